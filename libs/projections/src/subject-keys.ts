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

interface KeyCache {
  readonly find: Statement<[string], number>;
  readonly add: Statement<[string]>;
  /** Subject -> its key, and the log position of the event that first asked for it here. */
  readonly keys: Map<string, { readonly key: number; readonly learnedAt: number }>;
  /** The position of the last event that asked. */
  last: number;
}

// Per generation's tables: the statements, prepared once with a positional parameter, and the keys already known.
// Remembering the keys saved the SELECT each of three projections made per event (~4 µs an event in a rebuild);
// at most REMEMBERED of them, so that a ledger of millions of subjects does not keep them all in memory.
const REMEMBERED = 100_000;
const caches = new WeakMap<ReadModelTables, KeyCache>();

/**
 * The subject's key in these tables, made with its first row: for applying the event at `position`.
 *
 * A key remembered here may come from a batch whose transaction then rolled back (a projection that failed, a full
 * disk): the runner then applies the log again from the checkpoint, so an event at or before the last one seen
 * means that everything learned from it on was undone, and is forgotten.
 */
export function subjectKeyFor(tables: ReadModelTables, subjectId: string, position: number): number {
  let c = caches.get(tables);
  if (!c) {
    const subjects = `"${tables.table('subjects')}"`;
    c = {
      find: tables.db.prepare<[string], number>(`SELECT key FROM ${subjects} WHERE subject_id = ?`).pluck(),
      add: tables.db.prepare<[string]>(`INSERT INTO ${subjects} (subject_id) VALUES (?)`),
      keys: new Map(),
      last: 0,
    };
    caches.set(tables, c);
  }
  if (position <= c.last) {
    for (const [subject, known] of c.keys) if (known.learnedAt >= position) c.keys.delete(subject);
  }
  c.last = position;
  const known = c.keys.get(subjectId);
  if (known) return known.key;
  const key = c.find.get(subjectId) ?? Number(c.add.run(subjectId).lastInsertRowid);
  if (c.keys.size >= REMEMBERED) c.keys.clear();
  c.keys.set(subjectId, { key, learnedAt: position });
  return key;
}

/** The subject's key, or undefined when these tables hold nothing about the subject: for queries. */
export function existingSubjectKey(tables: ReadModelTables, subjectId: string): number | undefined {
  return cachedStatement<{ key: number }>(tables, `SELECT key FROM "${tables.table('subjects')}" WHERE subject_id = @subjectId`).get({ subjectId })?.key;
}
