import type { RecordedEvent } from '../event-store.port';
import { CatchUpSubscription } from '../catch-up-subscription';
import type { CommitSignal } from './commit-signal';

/** What a subscription needs from its store. */
export interface SubscriptionSource {
  /** Up to `maxCount` events with position > `after`, ascending. */
  readPage(after: number, maxCount: number): RecordedEvent[];
  readonly commits: CommitSignal;
  readonly pollIntervalMs: number;
  /** Called once when the subscription ends, so the store stops tracking it. */
  ended(subscription: SqliteAllSubscription): void;
}

const PAGE_SIZE = 1000;

/**
 * Catch-up subscription over the events table: pages through stored events, then waits for a commit of this store
 * or the next poll (which is how writes by another process show up). Reading the table rather than buffering
 * commits in memory means a slow consumer cannot lose events and costs nothing while it lags.
 */
export class SqliteAllSubscription extends CatchUpSubscription {
  constructor(private readonly source: SubscriptionSource, after: number) {
    super(after);
  }

  protected nextPage(checkpoint: number): RecordedEvent[] {
    return this.source.readPage(checkpoint, PAGE_SIZE);
  }

  protected waitForMore(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.source.commits.off(done);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.source.pollIntervalMs);
      this.source.commits.on(done);
      this.wake = done;
    });
  }

  protected onEnd(): void {
    this.source.ended(this);
  }
}
