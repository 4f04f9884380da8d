import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { ThreadClient } from '@derbes/event-store';
import type { DataKey, DataKeyStore } from './data-key-store';
import { KeyFileWrites, latestKeyStatement, openKeyFile, type KeyRow } from './key-file';
import type { KeyWriterRequest } from './key-writer.worker';

/** How many live keys are kept in memory (32 bytes each, and the map's own cost: about 15 MB). */
const LIVE_KEYS = 100_000;
/**
 * How long a remembered live key is used before it is checked again. Another replica sharing the key file may
 * destroy it meanwhile (the shred endpoint of another ledger process): after this long, this one stops sealing new
 * texts with it and creates the next version, as it would after destroying the key itself. The check reads the row
 * again only if another connection has written the file since the key was read (SQLite's `data_version`).
 */
export const LIVE_KEY_RECHECK_MS = 1_000;

/** A remembered live key, when it was last checked, and the file's data_version read just before that check. */
interface LiveKey {
  readonly key: DataKey;
  checkedAt: number;
  /** -1 for a key just created: its first check reads the row. */
  readonly fileVersion: number;
}

/** Where the key file is changed: the key writer thread for a file, this thread for ':memory:'. */
interface KeyWriter {
  create(subjectIds: readonly string[], createdAt: string): Promise<DataKey[]>;
  destroy(subjectId: string, at: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Data keys in a SQLite file of their own (`<dataDir>/data-keys/keys.db`), apart from the event store so that a
 * backup of the events never carries them. Destroying a key sets it to NULL with `secure_delete` on, so that SQLite
 * overwrites the freed bytes with zeros in the file; the WAL is then checkpointed and truncated at once, so that the
 * page with the old key does not linger in it. The row stays, with the time of destruction, so that a destroyed key
 * is told from one never known. Keys are written on a thread of their own (key-writer.worker.ts): the fsync of a
 * group of new subjects' keys does not stop the request thread, which reads keys through its own connection.
 */
export class SqliteDataKeyStore implements DataKeyStore {
  private readonly latest: Database.Statement<[string], KeyRow>;
  private readonly byVersion: Database.Statement<[string, number], KeyRow>;
  private readonly dataVersion: Database.Statement<[], number>;
  /**
   * Live keys recently used, so that sealing a record reads no row: the request thread's connection would re-read
   * pages from the file after every write of the key writer thread. A key leaves it when this store destroys it, and
   * is read again after LIVE_KEY_RECHECK_MS in case another process sharing the file destroyed it.
   */
  private readonly live = new Map<string, LiveKey>();
  /** Subjects waiting for a new key, created together at the next turn of the event loop. */
  private pending = new Map<string, { resolve: (key: DataKey) => void; reject: (error: unknown) => void }[]>();

  private constructor(
    private readonly db: Database.Database,
    private readonly writer: KeyWriter,
    private readonly now: () => Date,
  ) {
    this.latest = latestKeyStatement(db);
    this.byVersion = db.prepare(`SELECT version, key, destroyed_at FROM data_keys WHERE subject_id = ? AND version = ?`);
    // Changes when another connection (the key writer thread, another process) commits to the file; not on this one's.
    this.dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  }

  /** Opens (creating if needed) the key file, readable by this user only, or an in-memory store for ':memory:'. */
  static open(path: string, now: () => Date = () => new Date()): SqliteDataKeyStore {
    const db = openKeyFile(path);
    return new SqliteDataKeyStore(db, path === ':memory:' ? inlineWriter(db) : threadWriter(path), now);
  }

  /**
   * New keys asked for in the same turn of the event loop (a batch of records about many new subjects, concurrent
   * requests) are created in one transaction: one fsync, as the event store groups its appends.
   */
  keyFor(subjectId: string): Promise<DataKey> {
    const known = this.live.get(subjectId);
    const now = this.now().getTime();
    if (known && now - known.checkedAt < LIVE_KEY_RECHECK_MS) return Promise.resolve(known.key);
    // Read before the row: a write that lands in between makes the next check read the row again.
    const fileVersion = this.dataVersion.get() as number;
    if (known && known.fileVersion === fileVersion) {
      // Nothing else has written the file since the row was read: it still holds this key (the bench's 10,000
      // subjects came round every few seconds, and reading each row again cost about 5% of single-record ingest).
      known.checkedAt = now;
      this.live.delete(subjectId);
      this.live.set(subjectId, known);
      return Promise.resolve(known.key);
    }
    const row = this.latest.get(subjectId);
    if (row?.key) return Promise.resolve(this.remember(subjectId, { version: row.version, key: row.key }, fileVersion));
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
    const subjectIds = [...batch.keys()];
    this.writer.create(subjectIds, this.now().toISOString()).then(
      (keys) => [...batch.values()].forEach((waiting, i) => {
        const key = this.remember(subjectIds[i] as string, keys[i] as DataKey);
        waiting.forEach((w) => w.resolve(key));
      }),
      (error: unknown) => { for (const waiting of batch.values()) waiting.forEach((w) => w.reject(error)); },
    );
  }

  async find(subjectId: string, version: number): Promise<Buffer | 'destroyed' | null> {
    const row = this.byVersion.get(subjectId, version);
    if (!row) return null;
    return row.key ?? 'destroyed';
  }

  async destroy(subjectId: string, at: Date): Promise<void> {
    this.live.delete(subjectId);
    try {
      await this.writer.destroy(subjectId, at.toISOString());
    } finally {
      // A key created while this destruction was on its way is destroyed with it: it must not stay remembered.
      this.live.delete(subjectId);
    }
  }

  /** Keeps a live key in memory (the most recently used LIVE_KEYS of them). */
  private remember(subjectId: string, key: DataKey, fileVersion = -1): DataKey {
    this.live.delete(subjectId);
    this.live.set(subjectId, { key, checkedAt: this.now().getTime(), fileVersion });
    if (this.live.size > LIVE_KEYS) this.live.delete(this.live.keys().next().value as string);
    return key;
  }

  async destroyedAt(subjectId: string, version: number): Promise<string | null> {
    return this.byVersion.get(subjectId, version)?.destroyed_at ?? null;
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    await this.writer.close();
    this.db.close();
  }

  /** Nest calls this on shutdown, as it does for every provider that has it. */
  onApplicationShutdown(): Promise<void> {
    return this.close();
  }
}

function inlineWriter(db: Database.Database): KeyWriter {
  const writes = new KeyFileWrites(db);
  return {
    create: async (subjectIds, createdAt) => writes.create(subjectIds, createdAt),
    destroy: async (subjectId, at) => writes.destroy(subjectId, at),
    close: async () => undefined,
  };
}

function threadWriter(path: string): KeyWriter {
  const thread = new ThreadClient('the data-key writer thread', join(__dirname, 'key-writer.worker'), { path });
  return {
    // A Buffer crosses a thread as a plain Uint8Array.
    create: async (subjectIds, createdAt) => (await thread.request<{ version: number; key: Uint8Array }[]>({ create: subjectIds, createdAt } satisfies KeyWriterRequest))
      .map(({ version, key }) => ({ version, key: Buffer.from(key.buffer, key.byteOffset, key.byteLength) })),
    destroy: async (subjectId, at) => { await thread.request({ destroy: subjectId, at } satisfies KeyWriterRequest); },
    close: () => thread.close(),
  };
}
