import type { Statement } from 'better-sqlite3';
import type { ReadModelTables } from './projection';
import { cachedStatement } from './statement-cache';

/**
 * A read model's subjects, each named by a small integer key in its other tables and their indexes: the 64-character
 * pseudonym in every row and index entry made applying events run at less than half the speed (measured on
 * subject-history, then on subject-inventory).
 */
export function createSubjectsTable(tables: ReadModelTables): void {
  tables.db.exec(`CREATE TABLE "${tables.table('subjects')}" (key INTEGER PRIMARY KEY, subject_id TEXT NOT NULL UNIQUE)`);
}

interface KeyStatements {
  readonly find: Statement<[string], number>;
  readonly add: Statement<[string]>;
}

// Prepared once per generation's tables, with a positional parameter (the apply side runs once per event).
const prepared = new WeakMap<ReadModelTables, KeyStatements>();

/** The subject's key in these tables, made with its first row: for applying events. */
export function subjectKeyFor(tables: ReadModelTables, subjectId: string): number {
  let s = prepared.get(tables);
  if (!s) {
    const subjects = `"${tables.table('subjects')}"`;
    s = {
      find: tables.db.prepare<[string], number>(`SELECT key FROM ${subjects} WHERE subject_id = ?`).pluck(),
      add: tables.db.prepare<[string]>(`INSERT INTO ${subjects} (subject_id) VALUES (?)`),
    };
    prepared.set(tables, s);
  }
  return s.find.get(subjectId) ?? Number(s.add.run(subjectId).lastInsertRowid);
}

/** The subject's key, or undefined when these tables hold nothing about the subject: for queries. */
export function existingSubjectKey(tables: ReadModelTables, subjectId: string): number | undefined {
  return cachedStatement<{ key: number }>(tables, `SELECT key FROM "${tables.table('subjects')}" WHERE subject_id = @subjectId`).get({ subjectId })?.key;
}
