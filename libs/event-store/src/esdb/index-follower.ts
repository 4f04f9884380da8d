import { START, type AllStreamSubscription, type EventStoreDBClient } from '@eventstore/db-client';
import type { LedgerFilter } from './ledger-filter';
import type { LedgerIndex } from './ledger-index';
import { backoffMs, wakeablePause } from './retries';

/**
 * Keeps the index live: one catch-up subscription to `$all`, filtered on the server to the ledger's events, from
 * the start of the log. When it fails (a node lost, a leader change) it resubscribes after the last event numbered,
 * with backoff, for as long as the store is open; an event delivered again is ignored by the index, so none is
 * numbered twice or skipped.
 */
export class IndexFollower {
  private subscription: AllStreamSubscription | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** Why the subscription last failed, while it has not recovered; for messages. */
  lastError: Error | undefined;

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly index: LedgerIndex,
    private readonly filter: LedgerFilter,
  ) {}

  start(): void {
    this.running ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.subscription?.unsubscribe().catch(() => undefined);
    await this.running;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        // Confirmed by the server: the outage, if there was one, is over.
        await this.follow(() => {
          failures = 0;
          this.lastError = undefined;
        });
        // The server ended the subscription without an error: resubscribe, not at once.
        failures = Math.max(failures, 1);
      } catch (error) {
        if (this.stopped) break;
        this.lastError = error instanceof Error ? error : new Error(String(error));
        failures++;
      }
      if (!this.stopped) await this.pause(backoffMs(failures));
    }
  }

  private async follow(delivered: () => void): Promise<void> {
    const subscription = this.client.subscribeToAll({
      fromPosition: this.index.lastTaken ?? START,
      filter: this.filter.server((position) => this.index.searched(position)),
    });
    this.subscription = subscription;
    subscription.on('confirmation', delivered);
    if (this.stopped) {
      await subscription.unsubscribe();
      return;
    }
    for await (const resolved of subscription) {
      const event = resolved.event;
      // The server's filter and this one are the same rule; this one also drops what a filter cannot (links).
      if (event === undefined || !this.filter.accepts(event.type)) continue;
      this.index.add(event.id, event.position);
    }
  }

  private pause(ms: number): Promise<void> {
    return wakeablePause(ms, (wake) => { this.wake = wake; });
  }
}
