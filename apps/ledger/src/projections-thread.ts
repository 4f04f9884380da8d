import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { ThreadClient, type EventStore } from '@derbes/event-store';
import { ProjectionRunner, type Projection, type ProjectionStatus } from '@derbes/projections';
import type { ProjectionsThreadData, ProjectionsThreadRequest } from './projections.worker';
import { threadSideBuild } from './side-build';

/** How long /health waits for the projections thread's own word before showing the last one it gave. */
const STATUS_WAIT_MS = 200;

/**
 * The request thread's view of read models kept on the projections thread (projections.worker.ts): queries,
 * positions and waits read the read-model file as it is committed there (ProjectionRunner.attach); the status adds
 * what only the keeping thread knows, why a projection stopped.
 */
export class ThreadedProjectionRunner extends ProjectionRunner {
  private readonly thread: ThreadClient;
  private errors = new Map<string, string | null>();

  constructor(store: EventStore, readModels: Database.Database, projections: readonly Projection[], data: ProjectionsThreadData) {
    // The thread's side build, named here only so that status reads where it stands from its file (this runner,
    // attached, never builds).
    super(store, readModels, projections, { sideBuild: threadSideBuild(data) });
    this.thread = new ThreadClient('the projections thread', join(__dirname, 'projections.worker'), data);
  }

  override async status(): Promise<ProjectionStatus[]> {
    const statuses = await super.status();
    const kept = await Promise.race([
      this.thread.request<ProjectionStatus[]>({ status: true } satisfies ProjectionsThreadRequest).catch((error: unknown) => error as Error),
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), STATUS_WAIT_MS).unref()),
    ]);
    if (kept instanceof Error) return statuses.map((s) => ({ ...s, error: `the projections thread stopped: ${kept.message}` }));
    if (kept !== undefined) this.errors = new Map(kept.map((s) => [s.name, s.error]));
    return statuses.map((s) => ({ ...s, error: this.errors.get(s.name) ?? null }));
  }

  /** A rebuild is driven where the projections run: `derbes projections rebuild`, with the server stopped. */
  override rebuild(name: string): Promise<void> {
    return Promise.reject(new Error(`the ${name} read model is kept on the projections thread: rebuild it with derbes projections rebuild, the server stopped`));
  }

  override async stop(): Promise<void> {
    await super.stop();
    await this.thread.close();
  }
}
