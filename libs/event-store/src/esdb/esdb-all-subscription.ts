import type { RecordedEvent } from '../event-store.port';
import { CatchUpSubscription } from '../catch-up-subscription';
import { StoreUnavailableError } from '../errors';
import { isTransient } from './esdb-errors';
import type { LedgerIndex } from './ledger-index';
import { backoffMs, wakeablePause } from './retries';

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
export class EsdbAllSubscription extends CatchUpSubscription {
  private failures = 0;

  constructor(private readonly source: SubscriptionSource, after: number) {
    super(after);
  }

  /** Nothing numbered after the checkpoint is answered synchronously, so that the wait registers before any change. */
  protected nextPage(checkpoint: number): RecordedEvent[] | Promise<RecordedEvent[]> {
    return this.source.index.lastPosition <= checkpoint ? [] : this.readPage(checkpoint);
  }

  private async readPage(checkpoint: number): Promise<RecordedEvent[]> {
    while (!this.ended) {
      const last = this.source.index.lastPosition;
      try {
        const page = await this.source.range(checkpoint + 1, Math.min(last, checkpoint + PAGE_SIZE));
        this.failures = 0;
        return page;
      } catch (error) {
        if (!isTransient(error) && !(error instanceof StoreUnavailableError)) throw error;
        await this.pause(backoffMs(++this.failures));
      }
    }
    return [];
  }

  /** Until the index numbers another event, or the subscription ends. */
  protected waitForMore(): Promise<void> {
    return new Promise((resolve) => {
      const off = this.source.index.onChange(done);
      function done(): void {
        off();
        resolve();
      }
      this.wake = done;
    });
  }

  protected onEnd(): void {
    this.source.ended(this);
  }

  private pause(ms: number): Promise<void> {
    return wakeablePause(ms, (wake) => { this.wake = wake; });
  }
}
