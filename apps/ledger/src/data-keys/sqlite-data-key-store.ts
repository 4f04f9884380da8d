import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { ThreadClient, unavailableOnStorageFault } from '@derbes/event-store';
import type { DataKey, DataKeyStore, PendingDestruction } from './data-key-store';
import { KeyFileWrites, destroyedCountStatement, latestKeyStatement, openKeyFile, pendingDestructionsStatement, type KeyRow } from './key-file';
import type { KeyWriterRequest } from './key-writer.worker';

/** How many live keys are kept in memory (32 bytes each, and the map's own cost: about 15 MB). */
const LIVE_KEYS = 100_000;
/**
 * How often the store looks whether any key in the file was destroyed since it last looked. Another replica sharing
 * the key file may destroy a key this one holds in memory (the shred endpoint of another ledger process): within
 * this long, this one stops sealing new texts with it and creates the next version, as it would after destroying
 * the key itself.
 */
export const LIVE_KEY_RECHECK_MS = 1_000;

/** Where the key file is changed: the key writer thread for a file, this thread for ':memory:'. */
interface KeyWriter {
  create(subjectIds: readonly string[], createdAt: string): Promise<DataKey[]>;
  destroy(subjectId: string, at: string, settles: string | null): Promise<void>;
  intend(destruction: PendingDestruction): Promise<void>;
  forget(subjectId: string, eventId: string): Promise<void>;
  pragma(pragma: string): Promise<unknown>;
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
  private readonly destroyedCount: Database.Statement<[], number>;
  private readonly pendingRows: Database.Statement<[], PendingDestruction>;
  /**
   * Live keys recently used, so that sealing a record reads no row: while the key writer thread creates keys for
   * new subjects, every read on this connection starts over from the changed file (about 20 µs a row here). A key
   * leaves it when this store destroys it, and all leave it when a key was destroyed anywhere (noticeDestructions).
   */
  private readonly live = new Map<string, DataKey>();
  /** How many keys the file held destroyed when this store last looked, and when that was. */
  private destroyedSeen: number | undefined;
  private destroyedCheckedAt = -Infinity;
  /** Subjects waiting for a new key, created together at the next turn of the event loop. */
  private pending = new Map<string, { resolve: (key: DataKey) => void; reject: (error: unknown) => void }[]>();

  private constructor(
    private readonly db: Database.Database,
    private readonly writer: KeyWriter,
    private readonly now: () => Date,
  ) {
    this.latest = latestKeyStatement(db);
    this.byVersion = db.prepare(`SELECT version, key, destroyed_at FROM data_keys WHERE subject_id = ? AND version = ?`);
    this.destroyedCount = destroyedCountStatement(db);
    this.pendingRows = pendingDestructionsStatement(db);
  }

  /** Opens (creating if needed) the key file, readable by this user only, or an in-memory store for ':memory:'. */
  static open(path: string, now: () => Date = () => new Date()): SqliteDataKeyStore {
    const db = openKeyFile(path);
    return new SqliteDataKeyStore(db, refusalsAsUnavailable(path === ':memory:' ? inlineWriter(db) : threadWriter(path)), now);
  }

  /** Runs a pragma on the connection that writes keys (the key writer thread's, or this one): tests simulate faults with it. */
  writerPragma(pragma: string): Promise<unknown> {
    return this.writer.pragma(pragma);
  }

  /**
   * New keys asked for in the same turn of the event loop (a batch of records about many new subjects, concurrent
   * requests) are created in one transaction: one fsync, as the event store groups its appends.
   */
  keyFor(subjectId: string): Promise<DataKey> {
    this.noticeDestructions();
    const known = this.live.get(subjectId);
    if (known) return Promise.resolve(known);
    const row = this.latest.get(subjectId);
    if (row?.key) return Promise.resolve(this.remember(subjectId, { version: row.version, key: row.key }));
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

  destroy(subjectId: string, at: Date): Promise<void> {
    return this.destroyKeys(subjectId, at.toISOString(), null);
  }

  settleDestruction(destruction: PendingDestruction): Promise<void> {
    return this.destroyKeys(destruction.subjectId, destruction.at, destruction.eventId);
  }

  private async destroyKeys(subjectId: string, at: string, settles: string | null): Promise<void> {
    this.live.delete(subjectId);
    try {
      await this.writer.destroy(subjectId, at, settles);
    } finally {
      // A key created while this destruction was on its way is destroyed with it: it must not stay remembered.
      this.live.delete(subjectId);
    }
  }

  /**
   * At most every LIVE_KEY_RECHECK_MS: if the file holds more destroyed keys than when this store last looked (a
   * destruction here, or by another process sharing the file), every key in memory is forgotten and read again at
   * its next use. Keys are destroyed rarely (a subject's erasure), so one count a second replaces a row read per key.
   */
  private noticeDestructions(): void {
    const now = this.now().getTime();
    if (now - this.destroyedCheckedAt < LIVE_KEY_RECHECK_MS) return;
    this.destroyedCheckedAt = now;
    const destroyed = this.destroyedCount.get() as number;
    if (destroyed !== this.destroyedSeen) this.live.clear();
    this.destroyedSeen = destroyed;
  }

  /** Keeps a live key in memory (the most recently used LIVE_KEYS of them). */
  private remember(subjectId: string, key: DataKey): DataKey {
    this.live.delete(subjectId);
    this.live.set(subjectId, key);
    if (this.live.size > LIVE_KEYS) this.live.delete(this.live.keys().next().value as string);
    return key;
  }

  async destroyedAt(subjectId: string, version: number): Promise<string | null> {
    return this.byVersion.get(subjectId, version)?.destroyed_at ?? null;
  }

  intendDestruction(destruction: PendingDestruction): Promise<void> {
    return this.writer.intend(destruction);
  }

  forgetDestruction(subjectId: string, eventId: string): Promise<void> {
    return this.writer.forget(subjectId, eventId);
  }

  async pendingDestructions(): Promise<PendingDestruction[]> {
    return this.pendingRows.all().map((row) => ({ ...row }));
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
    destroy: async (subjectId, at, settles) => writes.destroy(subjectId, at, settles),
    intend: async (destruction) => writes.intend(destruction),
    forget: async (subjectId, eventId) => writes.forget(subjectId, eventId),
    pragma: async (pragma) => db.pragma(pragma),
    close: async () => undefined,
  };
}

function threadWriter(path: string): KeyWriter {
  const thread = new ThreadClient('the data-key writer thread', join(__dirname, 'key-writer.worker'), { path });
  return {
    // A Buffer crosses a thread as a plain Uint8Array.
    create: async (subjectIds, createdAt) => (await thread.request<{ version: number; key: Uint8Array }[]>({ create: subjectIds, createdAt } satisfies KeyWriterRequest))
      .map(({ version, key }) => ({ version, key: Buffer.from(key.buffer, key.byteOffset, key.byteLength) })),
    destroy: async (subjectId, at, settles) => { await thread.request({ destroy: subjectId, at, settles } satisfies KeyWriterRequest); },
    intend: async (intend) => { await thread.request({ intend } satisfies KeyWriterRequest); },
    forget: async (subjectId, eventId) => { await thread.request({ forget: subjectId, eventId } satisfies KeyWriterRequest); },
    pragma: (pragma) => thread.request({ pragma } satisfies KeyWriterRequest),
    close: () => thread.close(),
  };
}

/**
 * A key the disk cannot take (full, failing, read-only) is the store being unavailable, as for the events: a record
 * about a new subject is then answered 503 with nothing recorded, as one about a known subject is, not 500.
 */
function refusalsAsUnavailable(writer: KeyWriter): KeyWriter {
  const guarded = <A extends unknown[], R>(write: (...args: A) => Promise<R>) => (...args: A): Promise<R> =>
    write(...args).catch((error: unknown) => { throw unavailableOnStorageFault(error, 'the data-key file cannot take writes now'); });
  return { ...writer, create: guarded(writer.create), destroy: guarded(writer.destroy), intend: guarded(writer.intend), forget: guarded(writer.forget) };
}
