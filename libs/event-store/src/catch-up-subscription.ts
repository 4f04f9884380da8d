import type { AllSubscription, RecordedEvent } from './event-store.port';

/**
 * What every adapter's catch-up subscription does alike: page through the events after its checkpoint, wait when
 * there are none yet, deliver each event once in position order, and end on unsubscribe or when the consumer
 * breaks out of its for-await. An adapter says how to read a page and how to wait for more.
 */
export abstract class CatchUpSubscription implements AllSubscription {
  private isEnded = false;
  /** Set by a pending wait: ending the subscription calls it so that the wait resolves at once. */
  protected wake: (() => void) | undefined;

  constructor(private readonly after: number) {}

  /**
   * Events after `checkpoint`, ascending; an empty array when there are none yet. A synchronous read is not awaited,
   * so that the read and the wait after an empty one happen in one synchronous step (no commit slips between them).
   */
  protected abstract nextPage(checkpoint: number): RecordedEvent[] | Promise<RecordedEvent[]>;
  /** Until more events may be there, or the subscription ends (through `wake`). */
  protected abstract waitForMore(): Promise<void>;
  /** Tells the store that this subscription ended (called once). */
  protected abstract onEnd(): void;

  protected get ended(): boolean {
    return this.isEnded;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<RecordedEvent, void, undefined> {
    let checkpoint = this.after;
    try {
      while (!this.isEnded) {
        const read = this.nextPage(checkpoint);
        const page = Array.isArray(read) ? read : await read;
        if (page.length === 0) {
          if (!this.isEnded) await this.waitForMore();
          continue;
        }
        for (const event of page) {
          if (this.isEnded) return;
          checkpoint = event.position;
          yield event;
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
    this.onEnd();
  }
}
