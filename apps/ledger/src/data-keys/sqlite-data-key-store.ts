import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { DataKey, DataKeyStore } from './data-key-store';

const KEY_BYTES = 32;

interface KeyRow {
  readonly version: number;
  readonly key: Buffer | null;
  readonly destroyed_at: string | null;
}

/**
 * Data keys in a SQLite file of their own (`<dataDir>/data-keys/keys.db`), apart from the event store so that a
 * backup of the events never carries them. Destroying a key sets it to NULL with `secure_delete` on, so that SQLite
 * overwrites the freed bytes with zeros in the file. The file is in WAL mode, so that creating the keys of new
 * subjects costs one fsync a group (a rollback journal cost three, on the ingest path); after a destruction the WAL
 * is checkpointed and truncated at once, so that the page with the old key does not linger in it. The row stays, with the time of
 * destruction, so that a destroyed key is told from one never known.
 */
export class SqliteDataKeyStore implements DataKeyStore {
  private readonly latest: Database.Statement<[string], KeyRow>;
  private readonly byVersion: Database.Statement<[string, number], KeyRow>;
  private readonly insert: Database.Statement<[string, number, Buffer, string]>;
  private readonly destroyLive: Database.Statement<[string, string]>;
  private readonly createKeys: (subjectIds: readonly string[]) => DataKey[];
  /** Subjects waiting for a new key, created together at the next turn of the event loop. */
  private pending = new Map<string, { resolve: (key: DataKey) => void; reject: (error: unknown) => void }[]>();

  private constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date,
  ) {
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
    `);
    this.latest = db.prepare(`SELECT version, key, destroyed_at FROM data_keys WHERE subject_id = ? ORDER BY version DESC LIMIT 1`);
    this.byVersion = db.prepare(`SELECT version, key, destroyed_at FROM data_keys WHERE subject_id = ? AND version = ?`);
    this.insert = db.prepare(`INSERT INTO data_keys (subject_id, version, key, created_at) VALUES (?, ?, ?, ?)`);
    this.destroyLive = db.prepare(`UPDATE data_keys SET key = NULL, destroyed_at = ? WHERE subject_id = ? AND key IS NOT NULL`);
    // IMMEDIATE: another process (a CLI writer beside the server) creating the same subject's key waits instead of
    // both inserting the same version.
    const create = db.transaction((subjectIds: readonly string[]): DataKey[] => subjectIds.map((subjectId) => {
      const row = this.latest.get(subjectId);
      if (row?.key) return { version: row.version, key: row.key };
      const version = (row?.version ?? 0) + 1;
      const key = randomBytes(KEY_BYTES);
      this.insert.run(subjectId, version, key, this.now().toISOString());
      return { version, key };
    }));
    this.createKeys = (subjectIds) => create.immediate(subjectIds);
  }

  /** Opens (creating if needed) the key file, readable by this user only, or an in-memory store for ':memory:'. */
  static open(path: string, now: () => Date = () => new Date()): SqliteDataKeyStore {
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
      return new SqliteDataKeyStore(db, now);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /**
   * New keys asked for in the same turn of the event loop (a batch of records about many new subjects, concurrent
   * requests) are created in one transaction: one fsync, as the event store groups its appends.
   */
  keyFor(subjectId: string): Promise<DataKey> {
    const row = this.latest.get(subjectId);
    if (row?.key) return Promise.resolve({ version: row.version, key: row.key });
    return new Promise((resolve, reject) => {
      const waiting = this.pending.get(subjectId);
      if (waiting) waiting.push({ resolve, reject });
      else this.pending.set(subjectId, [{ resolve, reject }]);
      if (this.pending.size === 1 && !waiting) setImmediate(() => this.createPending());
    });
  }

  private createPending(): void {
    const batch = this.pending;
    this.pending = new Map();
    try {
      const keys = this.createKeys([...batch.keys()]);
      [...batch.values()].forEach((waiting, i) => waiting.forEach((w) => w.resolve(keys[i] as DataKey)));
    } catch (error) {
      for (const waiting of batch.values()) waiting.forEach((w) => w.reject(error));
    }
  }

  async find(subjectId: string, version: number): Promise<Buffer | 'destroyed' | null> {
    const row = this.byVersion.get(subjectId, version);
    if (!row) return null;
    return row.key ?? 'destroyed';
  }

  async destroy(subjectId: string, at: Date): Promise<void> {
    this.destroyLive.run(at.toISOString(), subjectId);
    // The WAL still holds the page as it was before: write the zeroed page back and cut the WAL to nothing.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  async destroyedAt(subjectId: string, version: number): Promise<string | null> {
    return this.byVersion.get(subjectId, version)?.destroyed_at ?? null;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Nest calls this on shutdown, as it does for every provider that has it. */
  onApplicationShutdown(): void {
    this.close();
  }
}
