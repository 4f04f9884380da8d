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
