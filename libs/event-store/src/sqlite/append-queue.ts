import { StoreUnavailableError } from '../errors';
import { requestError, type WriteGroup, type WriteOutcome, type WriteRequest } from './group-writer';

/** Where groups are committed: on this thread (an in-memory store) or on the writer thread (a file). */
export interface GroupSink {
  /** Resolves with one outcome per request once the group is committed; rejects when the group failed as a whole. */
  write(group: WriteGroup): Promise<WriteOutcome[]>;
}

interface Task {
  readonly request: WriteRequest;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit: requests made while no group is being committed are committed together in the next group, in
 * arrival order, so a burst of appends pays for one fsync. While a group is being committed (on the writer thread,
 * the request thread meanwhile takes more requests), the next one gathers: the busier the store, the larger its
 * groups. Promises settle only after the commit, so an acknowledged append is durable.
 */
export class AppendQueue {
  private tasks: Task[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  /** The group being committed, if any: the next waits for it, so groups commit in order. */
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly sink: GroupSink,
    /** The commit time of a group, taken when it is sent. */
    private readonly now: () => Date,
    /** Called after a group committed. */
    private readonly onCommitted: () => void,
  ) {}

  /** Queues a request for the next group; resolves with what it appended once that group has committed. */
  enqueue<T>(request: WriteRequest): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.tasks.push({ request, resolve: resolve as (value: unknown) => void, reject });
      if (this.inFlight === undefined) this.scheduled ??= setImmediate(() => this.send());
    });
  }

  /** Commits everything queued, the group in flight first. Never rejects: failures reject the requests. */
  async drain(): Promise<void> {
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    while (this.inFlight !== undefined || this.tasks.length > 0) {
      if (this.inFlight === undefined) this.send();
      await this.inFlight;
    }
  }

  private send(): void {
    this.scheduled = undefined;
    const tasks = this.tasks;
    if (tasks.length === 0 || this.inFlight !== undefined) return;
    this.tasks = [];
    const group: WriteGroup = { created: this.now().toISOString(), requests: tasks.map((t) => t.request) };
    this.inFlight = this.sink.write(group).then(
      (outcomes) => {
        tasks.forEach((task, i) => {
          const outcome = outcomes[i]!;
          if (outcome.ok) task.resolve(outcome.value);
          else task.reject(requestError(outcome.failure));
        });
        this.onCommitted();
      },
      (cause: unknown) => {
        // Every request fails, even one that had its own error: that error was judged against writes now undone.
        const error = cause instanceof StoreUnavailableError
          ? cause
          : new StoreUnavailableError(`append failed, nothing of this group was stored: ${describeCause(cause)}`, cause);
        for (const task of tasks) task.reject(error);
      },
    ).finally(() => {
      this.inFlight = undefined;
      if (this.tasks.length > 0) this.scheduled ??= setImmediate(() => this.send());
    });
  }
}

function describeCause(error: unknown): string {
  return error instanceof Error ? `${(error as { code?: string }).code ?? error.name}: ${error.message}` : String(error);
}
