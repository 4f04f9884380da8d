import { workerData } from 'node:worker_threads';
import { openEventStore, serveRequests } from '@derbes/event-store';
import { MAX_BATCH_ON_OWN_THREAD, ProjectionRunner, openReadModelDatabase } from '@derbes/projections';
import { threadProjections, type ProjectionSettings } from './projections.provider';
import { threadSideBuild } from './side-build';

/** What the projections thread is given: enough of the configuration to open the files and build the projections. */
export interface ProjectionsThreadData extends ProjectionSettings {
  readonly eventStore: string;
  readonly readModels: string;
  readonly registersFile: string | null;
}

/** What it is asked: the status of every projection (the request thread serves /health from it). */
export type ProjectionsThreadRequest = { readonly status: true };

/**
 * The projections thread: it follows the log and keeps the read models, on the second core, while the request
 * thread answers (it reads the read models through its own connection, as it would beside `derbes projections
 * run`). It reads the log through a store of its own (with SQLite, a connection that looks for new events every 50 ms).
 */
const data = workerData as ProjectionsThreadData;
// The same store as the request thread's, opened again here. A store that cannot be opened leaves this promise
// rejected and unhandled, which ends the thread with that error: the request thread then reports it.
const opened = openEventStore(data.eventStore, { writer: 'inline', pollIntervalMs: 50 }).then((store) => {
  const runner = new ProjectionRunner(store, openReadModelDatabase(data.readModels), threadProjections(data), {
    maxBatch: MAX_BATCH_ON_OWN_THREAD,
    checkpointsOnThread: true,
    // What is built from scratch is built on this thread and one more.
    sideBuild: threadSideBuild(data),
  });
  runner.start();
  return { store, runner };
});

serveRequests(
  async (_request: ProjectionsThreadRequest) => (await opened).runner.status(),
  async () => {
    const { store, runner } = await opened;
    await runner.stop();
    await store.close();
  },
);
