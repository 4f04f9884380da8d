import { parentPort, workerData } from 'node:worker_threads';
import { openEventStore } from '@derbes/event-store';
import { MAX_BATCH_ON_OWN_THREAD, ProjectionRunner, openReadModelDatabase } from '@derbes/projections';
import { threadProjections } from './projections.provider';
import type { SideBuildData } from './side-build';

/**
 * A side build's thread (side-build.ts): builds its projections from the start of the log into its own file with a
 * runner of its own, and says when each is active there (or why one stopped), then ends.
 */
async function build(data: SideBuildData): Promise<void> {
  const store = await openEventStore(data.eventStore, { writer: 'inline', pollIntervalMs: 50 });
  const db = openReadModelDatabase(data.file);
  const projections = threadProjections(data).filter((p) => data.names.includes(p.name));
  const runner = new ProjectionRunner(store, db, projections, { maxBatch: MAX_BATCH_ON_OWN_THREAD, checkpointsOnThread: true });
  try {
    const last = await store.lastPosition();
    runner.start();
    // A projection that stopped never becomes active: look for one now and then.
    for (;;) {
      const statuses = await runner.status();
      const stopped = statuses.find((s) => s.error !== null);
      if (stopped) throw new Error(`${stopped.name}: ${stopped.error}`);
      if (statuses.every((s) => s.active !== null && s.active.position >= last)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await runner.stop();
    db.close();
    await store.close();
  }
}

build(workerData as SideBuildData).then(
  () => parentPort?.postMessage({ done: true }),
  (error: unknown) => parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) }),
);
