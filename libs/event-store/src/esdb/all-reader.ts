import { START, type EventStoreDBClient, type Position } from '@eventstore/db-client';
import type { RecordedEvent } from '../event-store.port';
import { fromEsdbEvent } from './event-mapping';
import type { LedgerIndex } from './ledger-index';

/** Events asked of the server in one read; a few more than wanted, as other events of `$all` may lie between. */
const PAGE = 1000;
const SLACK = 16;

/**
 * Reads ledger positions from `$all`. This client cannot filter a read of `$all`, so a read starts at the `$all`
 * position of the first event wanted and keeps the events the index numbered, in order. Reads of `$all` include the
 * event at their start (subscriptions start after it); should a server not, the first read shows it and later reads
 * start at the event before.
 */
export class AllReader {
  private startsAfter = false;

  constructor(private readonly client: EventStoreDBClient, private readonly index: LedgerIndex) {}

  /** The ledger's events at positions `from` to `to` (inclusive), all of which the index has numbered. */
  async range(from: number, to: number): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    let next = from;
    while (next <= to) {
      if (this.index.allPositionOf(next) === undefined) throw new RangeError(`ledger position ${next} is beyond the index (last ${this.index.lastPosition})`);
      const first = next;
      const maxCount = Math.min(to - next + 1, PAGE) + SLACK;
      for await (const resolved of this.client.readAll({ fromPosition: this.startOf(next), maxCount })) {
        const event = resolved.event;
        if (event === undefined) continue;
        const position = this.index.positionOf(event.position);
        if (position === undefined || position < next) continue;
        if (position !== next) break;
        events.push(fromEsdbEvent(event, position));
        if (++next > to) break;
      }
      if (next > first) continue;
      if (this.startsAfter) throw new Error(`reading $all at ledger position ${next} did not return its event: the log is not as the index numbered it`);
      this.startsAfter = true;
    }
    return events;
  }

  private startOf(position: number): Position | typeof START {
    if (!this.startsAfter) return this.index.allPositionOf(position)!;
    return position === 1 ? START : this.index.allPositionOf(position - 1)!;
  }
}
