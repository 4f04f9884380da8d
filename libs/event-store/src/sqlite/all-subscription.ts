import type { AllSubscription, RecordedEvent } from '../event-store.port';
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
export class SqliteAllSubscription implements AllSubscription {
  private isEnded = false;
  private wake: (() => void) | undefined;

  constructor(private readonly source: SubscriptionSource, private readonly after: number) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<RecordedEvent, void, undefined> {
    let checkpoint = this.after;
    try {
      while (!this.isEnded) {
        // The read and the wait below are in one synchronous step, so a commit cannot slip between them unseen.
        const page = this.source.readPage(checkpoint, PAGE_SIZE);
        if (page.length === 0) {
          await this.nextChange();
          continue;
        }
        for (const event of page) {
          checkpoint = event.position;
          yield event;
          if (this.isEnded) return;
        }
      }
    } finally {
      // A consumer that breaks out of for-await ends the subscription too.
      this.end();
    }
  }

  unsubscribe(): Promise<void> {
    this.end();
    return Promise.resolve();
  }

  /** Ends iteration: a pending wait resolves and the iterator returns. */
  end(): void {
    if (this.isEnded) return;
    this.isEnded = true;
    this.wake?.();
    this.source.ended(this);
  }

  private nextChange(): Promise<void> {
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
}
