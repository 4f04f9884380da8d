import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { DataKey } from './data-key-store';

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
    `);
    return db;
  } catch (error) {
    db.close();
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

/** What changes the key file: run by the key writer thread for a file, on the request thread for ':memory:'. */
export class KeyFileWrites {
  private readonly createAll: (subjectIds: readonly string[], createdAt: string) => DataKey[];
  private readonly destroyLive: Database.Statement<[string, string]>;

  constructor(private readonly db: Database.Database) {
    const latest = latestKeyStatement(db);
    const insert = db.prepare<[string, number, Buffer, string]>(`INSERT INTO data_keys (subject_id, version, key, created_at) VALUES (?, ?, ?, ?)`);
    this.destroyLive = db.prepare(`UPDATE data_keys SET key = NULL, destroyed_at = ? WHERE subject_id = ? AND key IS NOT NULL`);
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

  /** Destroys the subject's live keys; then writes the zeroed pages back and cuts the WAL, so the old page does not linger in it. */
  destroy(subjectId: string, at: string): void {
    this.destroyLive.run(at, subjectId);
    if (this.db.pragma('journal_mode', { simple: true }) === 'wal') this.db.pragma('wal_checkpoint(TRUNCATE)');
  }
}
