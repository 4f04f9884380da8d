import { workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { serveRequests } from '@derbes/event-store';

/** What the checkpointing thread is asked (see WalCheckpoints): besides its timer, a checkpoint now. */
export type WalCheckpointsRequest = { readonly now: true };

/**
 * The read models' checkpointing thread: its own connection to their file copies the WAL into it every
 * `intervalMs`, PASSIVE (it never waits for, nor blocks, the connection that keeps the read models or a reader).
 */
const { path, intervalMs } = workerData as { path: string; intervalMs: number };
const db = new Database(path, { timeout: 5000 });
// This connection writes nothing of its own: it has no commits to checkpoint after.
db.pragma('wal_autocheckpoint = 0');

function checkpoint(): { walFrames: number; checkpointed: number } {
  const [row] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>;
  return { walFrames: row?.log ?? 0, checkpointed: row?.checkpointed ?? 0 };
}

// A checkpoint that fails (a full disk, say) is tried again on the next tick; meanwhile the keeping connection's
// safety net (WAL_SAFETY_NET_PAGES) bounds the WAL, and the read models lose nothing: their data is in the WAL.
const timer = setInterval(() => {
  try {
    checkpoint();
  } catch {
    // tried again on the next tick
  }
}, intervalMs);

serveRequests(
  (_request: WalCheckpointsRequest) => checkpoint(),
  () => {
    clearInterval(timer);
    db.close();
  },
);
