import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { ThreadClient } from '@derbes/event-store';
import { READ_MODEL_WAL_AUTOCHECKPOINT } from './read-model-database';
import type { WalCheckpointsRequest } from './wal-checkpoints.worker';

/** How often the checkpointing thread copies the read models' WAL into their file. */
export const CHECKPOINT_INTERVAL_MS = 250;

/**
 * WAL frames after which the keeping connection checkpoints by itself after all (~160 MiB of WAL). Under steady
 * writes this is also what restarts the WAL from its beginning: the thread's checkpoints rarely end with no commit
 * after them, so SQLite keeps appending; by then the thread has copied nearly all of it, and this checkpoint is short.
 * Should the thread stop, it bounds the WAL alone.
 */
export const WAL_SAFETY_NET_PAGES = 40_000;

/**
 * Checkpoints a read-model file's WAL on a thread of its own, so that the thread that applies events and commits
 * never waits for a checkpoint: copying the WAL into the file and its fsync (on a disk shared with the event store,
 * behind the store's fsyncs) held it for 100 ms and more, many times a minute, which is what a follower's lag
 * showed. The keeping connection's own checkpoints move out to WAL_SAFETY_NET_PAGES meanwhile. A file that is not
 * in WAL mode (in memory) needs none: `start` then returns a checkpointer that does nothing.
 */
export class WalCheckpoints {
  private constructor(
    private readonly db: Database.Database,
    private readonly thread: ThreadClient | null,
  ) {}

  static start(db: Database.Database, intervalMs = CHECKPOINT_INTERVAL_MS): WalCheckpoints {
    if (db.memory || db.pragma('journal_mode', { simple: true }) !== 'wal') return new WalCheckpoints(db, null);
    const thread = new ThreadClient("the read models' checkpointing thread", join(__dirname, 'wal-checkpoints.worker'), { path: db.name, intervalMs });
    db.pragma(`wal_autocheckpoint = ${WAL_SAFETY_NET_PAGES}`);
    return new WalCheckpoints(db, thread);
  }

  /** Checkpoints now, on the thread; resolves with SQLite's answer (frames in the WAL, frames copied). */
  async now(): Promise<{ readonly walFrames: number; readonly checkpointed: number } | null> {
    if (!this.thread) return null;
    return this.thread.request({ now: true } satisfies WalCheckpointsRequest);
  }

  /** Ends the thread; the keeping connection checkpoints by itself again, as it would alone. */
  async stop(): Promise<void> {
    if (!this.thread) return;
    await this.thread.close();
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${READ_MODEL_WAL_AUTOCHECKPOINT}`);
  }
}
