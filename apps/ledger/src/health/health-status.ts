import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { isEsdbLocation } from '@derbes/event-store';
import type { ProjectionStatus } from '@derbes/projections';
import type { LedgerConfig } from '../config/ledger-config';

/**
 * Free space under which /health says `degraded`: the event store's write-ahead log alone grows by some 40 MiB
 * between checkpoints, so a disk with less than this left is about to refuse writes.
 */
export const LOW_DISK_BYTES = 64 * 2 ** 20;

/**
 * Free space where the ledger writes, named by what it holds (`data directory`, `event store`, `read models`) and not
 * by its path: /health is open to anyone.
 */
export interface DiskSpace {
  readonly holds: string;
  readonly freeBytes: number;
}

/** The directories the ledger writes files into, each once (an EventStoreDB store or one in memory has none of its own). */
export function writtenDirectories(config: Pick<LedgerConfig, 'dataDir' | 'eventStore' | 'readModels'>): Map<string, string> {
  const dirs = new Map([[config.dataDir, 'data directory']]);
  if (config.eventStore !== ':memory:' && !isEsdbLocation(config.eventStore) && !dirs.has(dirname(config.eventStore))) dirs.set(dirname(config.eventStore), 'event store');
  if (config.readModels && !dirs.has(dirname(config.readModels))) dirs.set(dirname(config.readModels), 'read models');
  return dirs;
}

/** Free space (for an unprivileged writer) in each directory; one that cannot be asked is left out. */
export function diskSpace(dirs: ReadonlyMap<string, string>): DiskSpace[] {
  return [...dirs].flatMap(([path, holds]) => {
    try {
      const fs = statfsSync(path);
      return [{ holds, freeBytes: fs.bavail * fs.bsize }];
    } catch {
      return [];
    }
  });
}

/**
 * `ok`, or `degraded` with what is wrong: a projection that stopped (its read model frozen until the next start) or
 * paused (the disk refused its commit; it retries), and a disk nearly full. The ledger still answers either way, so
 * /health answers 200: a monitor reads `status` and `problems`.
 */
export function healthStatus(projections: readonly ProjectionStatus[], disks: readonly DiskSpace[]): { status: 'ok' | 'degraded'; problems: string[] } {
  const problems = [
    ...projections.filter((p) => p.error !== null).map((p) => `projection ${p.name}: ${p.error}`),
    ...disks.filter((d) => d.freeBytes < LOW_DISK_BYTES).map((d) =>
      `${d.holds}: ${mib(d.freeBytes)} MiB free, under ${mib(LOW_DISK_BYTES)} MiB: writes will soon be refused`),
  ];
  return { status: problems.length === 0 ? 'ok' : 'degraded', problems };
}

const mib = (bytes: number) => Math.floor(bytes / 2 ** 20);
