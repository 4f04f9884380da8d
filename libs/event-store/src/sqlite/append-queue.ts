import type Database from 'better-sqlite3';
import { StoreUnavailableError } from '../errors';

/** One queued request: `apply` runs in its own savepoint unless it undoes itself; it settles after the group's commit. */
interface Task<C> {
  readonly apply: (context: C) => unknown;
  readonly savepoint: boolean;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  value?: unknown;
  error?: unknown;
  failed?: boolean;
}

export interface AppendQueueOptions<C> {
  /** Called once per group, inside its transaction; its result is passed to every request (e.g. the commit time). */
  readonly openGroup: () => C;
  /** Errors that fail one request only (a conflict, a duplicate id); any other error fails the whole group. */
  readonly isRequestError: (error: unknown) => boolean;
  /** Called after a group committed. */
  readonly onCommitted: () => void;
}

/**
 * Group commit: requests made in the same turn of the event loop are applied in arrival order in one SQLite
 * transaction, so a burst of appends pays for one fsync. Each request runs in its own savepoint so that its own
 * failure rolls back only its writes. Promises settle only after the commit, so an acknowledged append is durable.
 */
export class AppendQueue<C> {
  private tasks: Task<C>[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private readonly runInSavepoint: (task: Task<C>, context: C) => unknown;
  private readonly runGroup: (tasks: readonly Task<C>[]) => void;

  constructor(private readonly db: Database.Database, private readonly options: AppendQueueOptions<C>) {
    // Nested db.transaction calls become SAVEPOINT ... RELEASE / ROLLBACK TO in better-sqlite3.
    this.runInSavepoint = db.transaction((task: Task<C>, context: C) => task.apply(context));
    // IMMEDIATE takes the write lock up front: a deferred transaction that read first could fail with
    // SQLITE_BUSY_SNAPSHOT (which busy_timeout does not retry) if another connection committed in between.
    this.runGroup = db.transaction((tasks: readonly Task<C>[]) => {
      const context = options.openGroup();
      for (const task of tasks) {
        try {
          task.value = task.savepoint ? this.runInSavepoint(task, context) : task.apply(context);
        } catch (error) {
          if (!options.isRequestError(error)) throw error;
          task.failed = true;
          task.error = error;
        }
      }
    }).immediate;
  }

  /**
   * Queues a request for the next group; resolves with what `apply` returned once that group has committed.
   * `savepoint: false` is for a request that leaves nothing behind when it throws (it undoes its own writes), which
   * saves two statements, about a tenth of a small append's cost.
   */
  enqueue<T>(apply: (context: C) => T, savepoint = true): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.tasks.push({ apply, savepoint, resolve: resolve as (value: unknown) => void, reject });
      this.scheduled ??= setImmediate(() => this.flush());
    });
  }

  /** Commits the queued requests now (also used by close()). Never throws: failures reject the requests. */
  flush(): void {
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const tasks = this.tasks;
    if (tasks.length === 0) return;
    this.tasks = [];
    try {
      this.runGroup(tasks);
    } catch (cause) {
      this.rollbackLeftovers();
      // Every request fails, even one that had its own error: that error was judged against writes now undone.
      const error = new StoreUnavailableError(`append failed, nothing of this group was stored: ${describeCause(cause)}`, cause);
      for (const task of tasks) task.reject(error);
      return;
    }
    for (const task of tasks) {
      if (task.failed === true) task.reject(task.error);
      else task.resolve(task.value);
    }
    this.options.onCommitted();
  }

  /** better-sqlite3 rolls back a failed transaction itself, unless the ROLLBACK failed too; then we try once more. */
  private rollbackLeftovers(): void {
    if (!this.db.inTransaction) return;
    try {
      this.db.exec('ROLLBACK');
    } catch {
      // The connection is unusable for writes until SQLite recovers; later appends will report that themselves.
    }
  }
}

function describeCause(error: unknown): string {
  return error instanceof Error ? `${(error as { code?: string }).code ?? error.name}: ${error.message}` : String(error);
}
