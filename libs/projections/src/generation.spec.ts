import { copyTable } from './generation';
import { openReadModelDatabase } from './read-model-database';

describe('copyTable', () => {
  it('copies the rows of a table of an attached file, with their rowids, whether they have them and name them or not', () => {
    const db = openReadModelDatabase(':memory:');
    db.exec("ATTACH DATABASE ':memory:' AS aside");
    const tables = {
      plain: '(system TEXT PRIMARY KEY, n INTEGER)',
      keyed: '(key INTEGER PRIMARY KEY, name TEXT)',
      clustered: '(a TEXT, b INTEGER, PRIMARY KEY (a, b)) WITHOUT ROWID',
    };
    for (const [name, shape] of Object.entries(tables)) {
      db.exec(`CREATE TABLE aside.${name} ${shape}; CREATE TABLE main.${name}_copy ${shape}`);
    }
    db.exec(`INSERT INTO aside.plain VALUES ('c', 1), ('a', 2), ('b', 3); DELETE FROM aside.plain WHERE system = 'a';
      INSERT INTO aside.keyed VALUES (7, 'x'), (3, 'y'); INSERT INTO aside.clustered VALUES ('q', 2), ('p', 1)`);
    for (const name of Object.keys(tables)) copyTable(db, 'aside', name, `${name}_copy`);
    for (const name of Object.keys(tables)) {
      const rowid = name === 'clustered' ? '' : 'rowid AS r, ';
      const rows = (schema: string, table: string) => db.prepare(`SELECT ${rowid}* FROM ${schema}.${table} ORDER BY 1, 2`).all();
      expect(rows('main', `${name}_copy`)).toEqual(rows('aside', name));
    }
    expect(db.prepare('SELECT rowid, system FROM main.plain_copy ORDER BY rowid').all()).toEqual([{ rowid: 1, system: 'c' }, { rowid: 3, system: 'b' }]);
  });
});
