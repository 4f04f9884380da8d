import type Database from 'better-sqlite3';
import type { ReadModelTables } from './projection';

/** One generation of a projection's read model: its tables and how far into the log it has applied. */
export interface GenerationRow {
  readonly name: string;
  readonly generation: number;
  readonly version: number;
  /** The projection's settings it was built with (Projection.settings; '' for none, and for rows from before them). */
  readonly settings: string;
  readonly position: number;
  readonly state: 'active' | 'building';
}

/** `subject-history`, generation 3 -> tables `subject_history_g3_<table>`. */
export function tablePrefix(name: string, generation: number): string {
  return `${name.replace(/-/g, '_')}_g${generation}_`;
}

export function generationTables(db: Database.Database, name: string, generation: number): ReadModelTables {
  const prefix = tablePrefix(name, generation);
  return { db, table: (table: string) => `${prefix}${table}` };
}

/** Drops every table (and with them their indexes) of one generation. */
export function dropGeneration(db: Database.Database, name: string, generation: number): void {
  const prefix = tablePrefix(name, generation);
  const tables = db
    .prepare<[number, string], string>(`SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, ?) = ?`)
    .pluck()
    .all(prefix.length, prefix);
  for (const table of tables) db.exec(`DROP TABLE IF EXISTS "${table}"`);
}

/**
 * Copies every row of table `from` of the attached database `schema` into the empty table `to` of this one, made by
 * the same setup: rowids included, for a table that has them without naming them in a column (a table listed by
 * rowid then lists the same).
 */
export function copyTable(db: Database.Database, schema: string, from: string, to: string): void {
  const withoutRowid = db.prepare<[string, string], number>('SELECT wr FROM pragma_table_list WHERE schema = ? AND name = ?').pluck().get(schema, from) === 1;
  const columns = db.prepare<[string, string], { name: string; type: string; pk: number }>('SELECT name, type, pk FROM pragma_table_info(?, ?)').all(from, schema);
  const keys = columns.filter((c) => c.pk > 0);
  const rowidNamed = keys.length === 1 && keys[0]?.type.toUpperCase() === 'INTEGER';
  const list = columns.map((c) => `"${c.name}"`).join(', ');
  const all = withoutRowid || rowidNamed ? list : `rowid, ${list}`;
  db.exec(`INSERT INTO main."${to}" (${all}) SELECT ${all} FROM "${schema}"."${from}"`);
}
