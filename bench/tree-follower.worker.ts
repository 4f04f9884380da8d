import { workerData } from 'node:worker_threads';
import { SqliteEventStore, serveRequests } from '@derbes/event-store';
import { INTEGRITY_LOG, MAX_BATCH_ON_OWN_THREAD, ProjectionRunner, integrityLogProjection, openReadModelDatabase } from '@derbes/projections';

/**
 * The Merkle tree kept on a thread of its own, as the ledger keeps it on its projections thread: it reads the log
 * through its own connection and answers when it has applied a position.
 */
const { store: storePath, readModels } = workerData as { store: string; readModels: string };
const store = SqliteEventStore.open(storePath, { writer: 'inline', pollIntervalMs: 20 });
const runner = new ProjectionRunner(store, openReadModelDatabase(readModels), [integrityLogProjection], { maxBatch: MAX_BATCH_ON_OWN_THREAD, checkpointsOnThread: true });
runner.start();
serveRequests((request: { waitFor: number }) => runner.waitFor(INTEGRITY_LOG, request.waitFor, 600_000), async () => {
  await runner.stop();
  await store.close();
});
