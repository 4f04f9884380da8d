import type { AllSubscription, RecordedEvent } from '../event-store.port';
import { StoreUnavailableError } from '../errors';
import { isTransient } from './esdb-errors';
import type { LedgerIndex } from './ledger-index';
import { backoffMs } from './retries';

/** What a subscription needs from its store. */
export interface SubscriptionSource {
  readonly index: LedgerIndex;
  /** The ledger's events at positions `from` to `to`, inclusive. */
  range(from: number, to: number): Promise<RecordedEvent[]>;
  /** Called once when the subscription ends. */
  ended(subscription: EsdbAllSubscription): void;
}

const PAGE_SIZE = 1000;

/**
 * Catch-up subscription in ledger positions: pages through the events the index has numbered, then waits for it to
 * number more. Its checkpoint is the last position it delivered, so after a failed read (a node lost) it reads
 * again from there, with backoff, and delivers no event twice and skips none.
 */
export class EsdbAllSubscription implements AllSubscription {
  private isEnded = false;
  private wake: (() => void) | undefined;

  constructor(private readonly source: SubscriptionSource, private readonly after: number) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<RecordedEvent, void, undefined> {
    let checkpoint = this.after;
    let failures = 0;
    try {
      while (!this.isEnded) {
        const last = this.source.index.lastPosition;
        if (last <= checkpoint) {
          await this.nextChange();
          continue;
        }
        let page: RecordedEvent[];
        try {
          page = await this.source.range(checkpoint + 1, Math.min(last, checkpoint + PAGE_SIZE));
          failures = 0;
        } catch (error) {
          if (!isTransient(error) && !(error instanceof StoreUnavailableError)) throw error;
          await this.pause(backoffMs(++failures));
          continue;
        }
        for (const event of page) {
          if (this.isEnded) return;
          checkpoint = event.position;
          yield event;
        }
      }
    } finally {
      this.end();
    }
  }

  unsubscribe(): Promise<void> {
    this.end();
    return Promise.resolve();
  }

  end(): void {
    if (this.isEnded) return;
    this.isEnded = true;
    this.wake?.();
    this.source.ended(this);
  }

  /** Until the index numbers another event, or the subscription ends. */
  private nextChange(): Promise<void> {
    return new Promise((resolve) => {
      const off = this.source.index.onChange(done);
      function done(): void {
        off();
        resolve();
      }
      this.wake = done;
    });
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
