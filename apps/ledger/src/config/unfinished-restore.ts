import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncPath, writeDurably } from './durable-files';

/** Written into the data directory before a restore touches anything, removed once everything is in place. */
export const RESTORE_MARKER = 'restore-unfinished.json';

/** What the marker says: which backup was being restored, and since when. */
interface RestoreMarker {
  readonly source: string;
  readonly startedAt: string;
}

/**
 * Marks the data directory as being restored: should the restore stop half-way, the directory may hold the backup's
 * log beside the old pseudonym key, or no log at all, and a ledger started on it would answer from the wrong data
 * (subjects not found by IIN, a new empty log) without a sign. Every process that opens the ledger refuses it then.
 */
export function markRestoreStarted(dataDir: string, source: string, startedAt: Date): void {
  writeDurably(join(dataDir, RESTORE_MARKER), `${JSON.stringify({ source, startedAt: startedAt.toISOString() } satisfies RestoreMarker)}\n`);
}

export function markRestoreFinished(dataDir: string): void {
  rmSync(join(dataDir, RESTORE_MARKER), { force: true });
  fsyncPath(dataDir);
}

/** Throws, saying how to finish it, when a restore into the data directory did not finish. */
export function refuseUnfinishedRestore(dataDir: string): void {
  const path = join(dataDir, RESTORE_MARKER);
  if (!existsSync(path)) return;
  let marker: Partial<RestoreMarker> = {};
  try {
    marker = JSON.parse(readFileSync(path, 'utf8')) as Partial<RestoreMarker>;
  } catch {
    // An unreadable marker still marks the directory: the restore stopped while writing it, or before.
  }
  const from = marker.source ?? '(the backup)';
  throw new Error(`a restore into ${dataDir} from ${from}${marker.startedAt ? ` (started ${marker.startedAt})` : ''} did not finish: `
    + `the directory may hold part of the backup only. Run \`derbes restore ${from} --force\` again (${RESTORE_MARKER} marks it)`);
}
