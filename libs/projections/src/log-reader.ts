import type { AllSubscription, EventStore, RecordedEvent } from '@derbes/event-store';

/**
 * Events per batch during a catch-up. Larger batches write each touched page once for many events; the reader
 * yields to other work (requests) between batches, so a batch is also the longest the thread is held.
 */
export const MAX_BATCH = 5000;

/**
 * The same on a thread that keeps the read models and answers nothing else (the ledger's projections thread): a
 * rebuild of all the read models measured 5,600 -> 7,000 events/s with 20,000 instead of 5,000 (each batch is one
 * transaction, and fewer, larger ones rewrite the same index pages fewer times).
 */
export const MAX_BATCH_ON_OWN_THREAD = 20_000;

/**
 * One catch-up subscription to the log, shared by a group of followers: the log is read and parsed once for all of
 * them, and handed over in batches (a page of the catch-up, or what one group commit brought). A follower may be
 * ahead of the reader (it skips what it has applied); the runner merges readers that meet at the same position.
 */
export class LogReader<F> {
  readonly followers = new Set<F>();
  /** Position of the last event the subscription handed over, those still in the pending batch included. */
  yielded: number;
  private pending: RecordedEvent[] = [];
  private scheduled = false;
  private ended = false;
  private readonly subscription: AllSubscription;

  constructor(
    store: EventStore,
    after: number,
    private readonly deliver: (reader: LogReader<F>, batch: readonly RecordedEvent[]) => void,
    failed: (reader: LogReader<F>, error: unknown) => void,
    private readonly maxBatch = MAX_BATCH,
  ) {
    this.yielded = after;
    this.subscription = store.subscribeToAll({ after });
    this.run().catch((error: unknown) => {
      if (!this.ended) failed(this, error);
    });
  }

  /** True when every event handed over so far has been delivered. */
  get idle(): boolean {
    return this.pending.length === 0;
  }

  end(): Promise<void> {
    this.ended = true;
    this.pending = [];
    return this.subscription.unsubscribe();
  }

  /** Delivers what is pending now (also called by the runner before it merges readers). */
  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0 || this.ended) return;
    const batch = this.pending;
    this.pending = [];
    this.deliver(this, batch);
  }

  private async run(): Promise<void> {
    for await (const event of this.subscription) {
      this.pending.push(event);
      this.yielded = event.position;
      // Events of one catch-up page or one group commit arrive in the same turn: one batch for all of them.
      if (this.pending.length >= this.maxBatch) {
        this.flush();
        // A catch-up reads page after page without waiting for I/O: give requests a turn between batches, or the
        // API would stop answering until the whole log had been replayed.
        await new Promise<void>((resolve) => setImmediate(resolve));
      } else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    }
  }
}
