import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { DataKey, PendingDestruction } from './data-key-store';

export const KEY_BYTES = 32;

export interface KeyRow {
  readonly version: number;
  readonly key: Buffer | null;
  readonly destroyed_at: string | null;
}

/**
 * Opens (creating if needed) the data-key file, readable by this user only, or an in-memory one for ':memory:'. WAL
 * mode, so that creating the keys of new subjects costs one fsync a group and the request thread reads while the
 * key writer writes; `secure_delete`, so that SQLite overwrites a destroyed key's bytes with zeros.
 */
export function openKeyFile(path: string): Database.Database {
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    closeSync(openSync(path, 'a', 0o600));
  }
  const db = new Database(path, { timeout: 5000 });
  try {
    db.pragma('busy_timeout = 5000');
    if (path !== ':memory:') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('secure_delete = ON');
    db.exec(`
      CREATE TABLE IF NOT EXISTS data_keys (
        subject_id TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version >= 1),
        key BLOB CHECK (key IS NULL OR length(key) = ${KEY_BYTES}),
        created_at TEXT NOT NULL,
        destroyed_at TEXT,
        CHECK ((key IS NULL) = (destroyed_at IS NOT NULL)),
        PRIMARY KEY (subject_id, version)
      ) WITHOUT ROWID;
      -- The destroyed keys alone, so that a process holding live keys in memory counts them once a second to tell
      -- whether any was destroyed since (by another process too) rather than reading each key's row again.
      CREATE INDEX IF NOT EXISTS data_keys_destroyed ON data_keys(subject_id) WHERE destroyed_at IS NOT NULL;
      -- Destructions under way: written before the event that records one is appended, removed when the key is
      -- destroyed or the event was not stored. One left by a crash between the append and the destruction is
      -- finished at the next start (KeyDestructions).
      CREATE TABLE IF NOT EXISTS pending_destructions (
        subject_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (subject_id, event_id)
      ) WITHOUT ROWID;
    `);
    return db;
  } catch (error) {
    db.close();
    // "file is not a database" names no file: this one does (the same error, so its class and code still tell).
    if (error instanceof Error && !error.message.includes(path)) error.message = `${path}: ${error.message}`;
    throw error;
  }
}

/** The statement that counts the destroyed keys (by the partial index openKeyFile makes: as many steps as there are). */
export function destroyedCountStatement(db: Database.Database): Database.Statement<[], number> {
  return db.prepare<[], number>('SELECT count(*) FROM data_keys WHERE destroyed_at IS NOT NULL').pluck();
}

/** The statement that reads a subject's latest key version. */
export function latestKeyStatement(db: Database.Database): Database.Statement<[string], KeyRow> {
  return db.prepare(`SELECT version, key, destroyed_at FROM data_keys WHERE subject_id = ? ORDER BY version DESC LIMIT 1`);
}

/** The statement that lists the destructions under way. */
export function pendingDestructionsStatement(db: Database.Database): Database.Statement<[], PendingDestruction> {
  return db.prepare(`SELECT subject_id AS subjectId, event_id AS eventId, at FROM pending_destructions ORDER BY at, subject_id`);
}

/** What changes the key file: run by the key writer thread for a file, on the request thread for ':memory:'. */
export class KeyFileWrites {
  private readonly createAll: (subjectIds: readonly string[], createdAt: string) => DataKey[];
  private readonly destroyAll: (subjectId: string, at: string, settles: string | null) => void;
  private readonly addPending: Database.Statement<[string, string, string]>;
  private readonly removePending: Database.Statement<[string, string]>;

  constructor(private readonly db: Database.Database) {
    const latest = latestKeyStatement(db);
    const insert = db.prepare<[string, number, Buffer, string]>(`INSERT INTO data_keys (subject_id, version, key, created_at) VALUES (?, ?, ?, ?)`);
    const destroyLive = db.prepare<[string, string]>(`UPDATE data_keys SET key = NULL, destroyed_at = ? WHERE subject_id = ? AND key IS NOT NULL`);
    this.addPending = db.prepare(`INSERT OR IGNORE INTO pending_destructions (subject_id, event_id, at) VALUES (?, ?, ?)`);
    this.removePending = db.prepare(`DELETE FROM pending_destructions WHERE subject_id = ? AND event_id = ?`);
    // A destruction written down is settled with the keys, in the same transaction: a crash in between would have
    // the next start destroy again, and so destroy a key made since for later processing.
    this.destroyAll = db.transaction((subjectId: string, at: string, settles: string | null) => {
      destroyLive.run(at, subjectId);
      if (settles !== null) this.removePending.run(subjectId, settles);
    });
    // IMMEDIATE: another process (a CLI writer beside the server) creating the same subject's key waits instead of
    // both inserting the same version.
    const create = db.transaction((subjectIds: readonly string[], createdAt: string): DataKey[] => subjectIds.map((subjectId) => {
      const row = latest.get(subjectId);
      if (row?.key) return { version: row.version, key: row.key };
      const version = (row?.version ?? 0) + 1;
      const key = randomBytes(KEY_BYTES);
      insert.run(subjectId, version, key, createdAt);
      return { version, key };
    }));
    this.createAll = (subjectIds, createdAt) => create.immediate(subjectIds, createdAt);
  }

  /** The live key of each subject, created (in one transaction, one fsync) for those that have none. */
  create(subjectIds: readonly string[], createdAt: string): DataKey[] {
    return this.createAll(subjectIds, createdAt);
  }

  /**
   * Destroys the subject's live keys, and settles the destruction written down under the event id `settles`; then writes the zeroed pages back and cuts the WAL, so the old page does not linger in it.
   */
  destroy(subjectId: string, at: string, settles: string | null = null): void {
    this.destroyAll(subjectId, at, settles);
    if (this.db.pragma('journal_mode', { simple: true }) === 'wal') this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  /** Writes down a destruction before the event that records it is appended. */
  intend(destruction: PendingDestruction): void {
    this.addPending.run(destruction.subjectId, destruction.eventId, destruction.at);
  }

  /** Forgets a destruction whose event was not stored. */
  forget(subjectId: string, eventId: string): void {
    this.removePending.run(subjectId, eventId);
  }
}
