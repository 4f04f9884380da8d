import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openEventDatabase } from './sqlite-schema';

// Outside verifiers read the store's file by the layout CANONICAL.md section 8 gives: the table there must be the
// schema a fresh store really has, so that a column renamed or added here cannot leave the document behind.
const doc = readFileSync(join(__dirname, '..', '..', '..', 'integrity', 'CANONICAL.md'), 'utf8');

/** The rows of the table after the `store-layout` marker: `table.column` -> SQLite type. */
function documentedLayout(): Map<string, string> {
  const at = doc.indexOf('<!-- store-layout -->');
  if (at < 0) throw new Error('CANONICAL.md has no store-layout table');
  const lines = doc.slice(at).split('\n').slice(1);
  const rows = lines.slice(2, lines.findIndex((line, i) => i >= 2 && !line.startsWith('|')));
  return new Map(rows.map((row) => {
    const [table, column, type] = row.split('|').slice(1, 4).map((cell) => cell.trim().replace(/`/g, ''));
    return [`${table}.${column}`, type!];
  }));
}

describe('the store layout CANONICAL.md documents', () => {
  it('names every column of a fresh store\'s meta, streams and events tables, with its type, and no other', () => {
    const db = openEventDatabase(':memory:');
    try {
      const actual = new Map<string, string>();
      for (const table of ['meta', 'streams', 'events']) {
        for (const { name, type } of db.pragma(`table_info(${table})`) as Array<{ name: string; type: string }>) actual.set(`${table}.${name}`, type);
      }
      expect(actual.size).toBeGreaterThan(10);
      expect([...documentedLayout()].sort()).toEqual([...actual].sort());
    } finally {
      db.close();
    }
  });

  it('documents the schema version a fresh store records', () => {
    const db = openEventDatabase(':memory:');
    try {
      const version = db.prepare<[], string>(`SELECT value FROM meta WHERE key = 'schema_version'`).pluck().get();
      expect(doc).toContain(`| \`meta\` | \`value\` | TEXT | \`${version}\`: the layout described here`);
    } finally {
      db.close();
    }
  });
});
