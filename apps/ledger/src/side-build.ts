import { join } from 'node:path';
import { startWorker } from '@derbes/event-store';
import { INTEGRITY_LOG, SOURCE_SYSTEMS, SUBJECT_INVENTORY, TRANSFERS, removeDatabaseFiles, type SideBuild } from '@derbes/projections';
import type { ProjectionsThreadData } from './projections.worker';

/** What a side build's thread is given: the projections thread's data, which projections (those that need a build now), and the file to fill. */
export interface SideBuildData extends ProjectionsThreadData {
  readonly names: readonly string[];
  readonly file: string;
}

/**
 * The projections built on a second thread when the read models are built from scratch: about half the time of a
 * rebuild of all nine (15.0 + 8.6 + 3.9 + 1.4 µs an event of the 63 spent inside projections, measured in session
 * 21's bench), the rest being built meanwhile on the thread that keeps the read models.
 */
const ASIDE = [SUBJECT_INVENTORY, INTEGRITY_LOG, SOURCE_SYSTEMS, TRANSFERS];

/**
 * A log shorter than this is built on one thread: starting the other thread and copying its tables in cost time of
 * their own, and tests and new ledgers, whose logs are short, see no change at all.
 */
const SIDE_BUILD_MIN_EVENTS = 20_000;

/** A side build (ProjectionRunner's SideBuild) on a thread of its own (side-build.worker.ts), into `${readModels}-aside`. */
export function threadSideBuild(data: ProjectionsThreadData): SideBuild {
  return {
    names: new Set(ASIDE),
    file: `${data.readModels}-aside`,
    minEvents: SIDE_BUILD_MIN_EVENTS,
    build: (file, names, signal) => new Promise<void>((resolve, reject) => {
      // What an earlier build left, if it stopped half-way.
      removeDatabaseFiles(file);
      const worker = startWorker(join(__dirname, 'side-build.worker'), { workerData: { ...data, names, file } satisfies SideBuildData });
      worker.once('message', (message: { done?: true; error?: string }) => {
        if (message.error !== undefined) reject(new Error(`the side build stopped: ${message.error}`));
        else resolve();
      });
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the side build's thread ended (${code}) before it was done`)));
      // The runner stops (the server or the command ends): the half-filled file is replaced at the next build.
      signal.addEventListener('abort', () => void worker.terminate(), { once: true });
    }),
  };
}
