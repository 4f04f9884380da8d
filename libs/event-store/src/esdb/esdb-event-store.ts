import { EventStoreDBClient, type EventData as EsdbEventData, type RecordedEvent as EsdbRecordedEvent } from '@eventstore/db-client';
import {
  NO_STREAM, type AllSubscription, type AppendOperation, type AppendResult, type EventData, type EventStore, type ExpectedRevision,
  type ReadAllOptions, type ReadStreamOptions, type RecordedEvent,
} from '../event-store.port';
import { DuplicateEventIdError, ImportMismatchError, StoreUnavailableError } from '../errors';
import { checkExpectedRevision } from '../expected-revision';
import { AllReader } from './all-reader';
import { prepare, storedId, streamRuns, toClientRevision } from './append-input';
import { EsdbAllSubscription, type SubscriptionSource } from './esdb-all-subscription';
import { toPortAppendError, unavailable, unreachableMessage } from './esdb-errors';
import type { EsdbLocation } from './esdb-location';
import { fromEsdbEvent, toImportedEsdbEvent } from './event-mapping';
import { IndexFollower } from './index-follower';
import { ledgerFilter, type LedgerFilter } from './ledger-filter';
import { LedgerIndex } from './ledger-index';
import { withRetries } from './retries';
import { lastEventOfAll, lastLedgerEvent, readWholeStream, streamHead, withTimeout } from './server-reads';

export interface EsdbEventStoreOptions {
  /** The ledger's event types (a database shared with other applications); default: every non-system event. */
  readonly eventTypes?: readonly string[];
  /** How long opening waits for the server's first answer; default 5 s. */
  readonly connectTimeoutMs?: number;
}

/** Retries of a call that failed transiently (a node lost, a leader change), with backoff: about 1.5 s in all. */
const RETRIES = 4;
/** How long an append waits for the index to number what it appended (delivered in milliseconds when all is well). */
const INDEXED_WAIT_MS = 10_000;
/** Catching up with the log gives up when the index has numbered nothing new for this long. */
const STALL_MS = 15_000;

/**
 * The event store on EventStoreDB (a node or a cluster) through @eventstore/db-client. Streams map one to one; the
 * global log is `$all` filtered to the ledger's events and numbered densely by an in-memory index (LedgerIndex,
 * built at open and kept live by one subscription). What differs from the embedded store is in ESDB.md: appendMany
 * is not atomic across streams, and a duplicate event id is refused only if this instance has already seen it.
 */
export class EsdbEventStore implements EventStore {
  private readonly index = new LedgerIndex();
  private readonly follower: IndexFollower;
  private readonly reader: AllReader;
  private readonly subscriptions = new Set<EsdbAllSubscription>();
  private readonly source: SubscriptionSource;
  private closed = false;

  private constructor(private readonly client: EventStoreDBClient, private readonly location: EsdbLocation, private readonly filter: LedgerFilter) {
    this.follower = new IndexFollower(client, this.index, filter);
    this.reader = new AllReader(client, this.index);
    this.source = {
      index: this.index,
      range: (from, to) => this.retrying('read $all', () => this.reader.range(from, to)),
      ended: (subscription) => this.subscriptions.delete(subscription),
    };
  }

  /**
   * Connects, then numbers the ledger's events already in `$all` before resolving (the start-up cost: one read of the
   * ledger's whole log). An unreachable server fails within `connectTimeoutMs` with a StoreUnavailableError saying
   * what to check.
   */
  static async open(location: EsdbLocation, options: EsdbEventStoreOptions = {}): Promise<EsdbEventStore> {
    const filter = ledgerFilter(options.eventTypes);
    const client = EventStoreDBClient.connectionString(location.connectionString);
    const timeoutMs = options.connectTimeoutMs ?? 5000;
    try {
      await withTimeout(lastEventOfAll(client, timeoutMs), timeoutMs, `no answer within ${timeoutMs / 1000} s`);
    } catch (error) {
      await client.dispose().catch(() => undefined);
      throw new StoreUnavailableError(unreachableMessage(location, error), error);
    }
    const store = new EsdbEventStore(client, location, filter);
    store.follower.start();
    try {
      await store.catchUp();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  async appendToStream(streamId: string, events: readonly EventData[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    this.assertOpen();
    const esdbEvents = prepare({ streamId, events, expectedRevision }, this.filter);
    return this.append(streamId, events.map((e) => e.id), esdbEvents, expectedRevision);
  }

  /** Operation by operation, in order: the first failure is thrown and the operations before it stay appended. */
  async appendMany(operations: readonly AppendOperation[]): Promise<AppendResult[]> {
    this.assertOpen();
    const prepared = operations.map((operation) => prepare(operation, this.filter));
    const results: AppendResult[] = [];
    for (const [i, operation] of operations.entries()) {
      results.push(await this.append(operation.streamId, operation.events.map((e) => e.id), prepared[i]!, operation.expectedRevision));
    }
    return results;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const fromRevision = options.fromRevision ?? 0;
    if (!Number.isSafeInteger(fromRevision) || fromRevision < 0) throw new TypeError(`fromRevision must be a whole number >= 0, got ${fromRevision}`);
    const maxCount = countOf(options.maxCount);
    if (maxCount === 0) return [];
    const read = await this.retrying(`read stream ${streamId}`, () => readWholeStream(this.client, streamId, fromRevision, maxCount));
    const events: RecordedEvent[] = [];
    for (const event of read) {
      if (!this.filter.accepts(event.type)) continue;
      events.push(fromEsdbEvent(event, await this.positionOf(event)));
    }
    return events;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const after = Math.max(0, Math.floor(options.after ?? 0));
    const last = Math.min(this.index.lastPosition, after + countOf(options.maxCount));
    return last <= after ? [] : this.retrying('read $all', () => this.reader.range(after + 1, last));
  }

  async readEventById(eventId: string): Promise<RecordedEvent | undefined> {
    this.assertOpen();
    const position = this.index.positionOfId(eventId);
    if (position === undefined) return undefined;
    const [event] = await this.retrying('read $all', () => this.reader.range(position, position));
    return event;
  }

  subscribeToAll(options: { readonly after?: number } = {}): AllSubscription {
    this.assertOpen();
    const subscription = new EsdbAllSubscription(this.source, options.after ?? 0);
    this.subscriptions.add(subscription);
    return subscription;
  }

  /**
   * The last ledger position as of this call on the server, not only as this instance has numbered so far: it
   * reads the end of `$all` and waits for the index to reach it. So a position another replica returned for an
   * append is never above what this answers (read-your-writes across replicas), at the cost of one short read.
   */
  async lastPosition(): Promise<number> {
    this.assertOpen();
    await this.catchUp();
    return this.index.lastPosition;
  }

  async importEvents(events: readonly RecordedEvent[]): Promise<void> {
    this.assertOpen();
    if (events.length === 0) return;
    const last = await this.lastPosition();
    events.forEach((event, i) => {
      if (event.position !== last + 1 + i) throw new ImportMismatchError(event.id, event.position, last + 1 + i);
      if (!this.filter.accepts(event.type)) throw new TypeError(`event ${event.id}: type ${event.type} is not one of the ledger's (${this.filter.description})`);
    });
    const esdbEvents = events.map(toImportedEsdbEvent);
    for (const run of streamRuns(events)) {
      const first = events[run.start]!;
      const expected = first.revision === 0 ? NO_STREAM : first.revision - 1;
      const ids = events.slice(run.start, run.end).map((e) => e.id);
      await this.append(first.streamId, ids, esdbEvents.slice(run.start, run.end), expected);
    }
    // Dense numbering gives each imported event its source position when this store held exactly the source's
    // prefix; another writer appending meanwhile would shift them.
    for (const event of events) {
      const position = this.index.positionOfId(event.id);
      if (position !== event.position) throw new ImportMismatchError(event.id, event.position, position ?? -1);
    }
  }

  /** Ends the subscriptions, the index's subscription and the client. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const subscription of [...this.subscriptions]) subscription.end();
    await this.follower.stop();
    await this.client.dispose().catch(() => undefined);
  }

  private async append(streamId: string, ids: readonly string[], events: EsdbEventData[], expected: ExpectedRevision): Promise<AppendResult> {
    const stored = storedId(ids, this.index);
    if (events.length === 0 || stored !== undefined) {
      // As on the embedded store, a stale expectation is a conflict before a stored id is a duplicate. (EventStoreDB
      // itself would take the same ids on the same expectation as a retry of the append and answer success.)
      const head = await this.retrying(`read stream ${streamId}`, () => streamHead(this.client, streamId));
      checkExpectedRevision(streamId, expected, head);
      if (stored !== undefined) throw new DuplicateEventIdError(stored);
      return { nextExpectedRevision: head, events: [] };
    }
    const result = await this.retrying(`append to ${streamId}`, async () => {
      // The same event ids on a retry make it idempotent: EventStoreDB answers an append it already took with success.
      try {
        return await this.client.appendToStream(streamId, events, { expectedRevision: toClientRevision(expected) });
      } catch (error) {
        throw toPortAppendError(error, streamId, expected);
      }
    });
    const next = Number(result.nextExpectedRevision);
    const numbered = await this.index.waitFor(() => ids.every((id) => this.index.positionOfId(id) !== undefined), INDEXED_WAIT_MS);
    if (!numbered) {
      throw new StoreUnavailableError(
        `EventStoreDB at ${this.location.display}: appended to ${streamId}, but its subscription to $all did not deliver the events within ` +
        `${INDEXED_WAIT_MS / 1000} s${this.why()}; they are stored, and appending them again with the same ids is refused as a duplicate`,
      );
    }
    return {
      nextExpectedRevision: next,
      events: ids.map((id, i) => ({ id, revision: next - ids.length + 1 + i, position: this.index.positionOfId(id)! })),
    };
  }

  /** The ledger position of an event read from a stream; waits for the index when it was just appended elsewhere. */
  private async positionOf(event: EsdbRecordedEvent): Promise<number> {
    const find = (): number | undefined => (event.position ? this.index.positionOf(event.position) : undefined) ?? this.index.positionOfId(event.id);
    if (find() === undefined) await this.index.waitFor(() => find() !== undefined, INDEXED_WAIT_MS);
    const position = find();
    if (position === undefined) {
      throw new StoreUnavailableError(`EventStoreDB at ${this.location.display}: event ${event.id} of ${event.streamId} is not in the index yet${this.why()}`);
    }
    return position;
  }

  /**
   * Waits until the index has numbered every ledger event in `$all` as of now: reads `$all` backwards from its end
   * to the last ledger event (or to where the index has already searched) and waits for the index to reach it.
   */
  private async catchUp(): Promise<void> {
    const target = await this.retrying('read the end of $all', () => lastLedgerEvent(this.client, this.filter, this.index));
    if (target === undefined) return;
    while (!this.index.hasTaken(target)) {
      const before = this.index.lastPosition;
      await this.index.waitFor(() => this.index.hasTaken(target), STALL_MS);
      if (this.closed) throw new StoreUnavailableError('store is closed');
      if (!this.index.hasTaken(target) && this.index.lastPosition === before) {
        throw new StoreUnavailableError(
          `EventStoreDB at ${this.location.display}: the index of $all stalled at ledger position ${before} for ${STALL_MS / 1000} s${this.why()}`,
        );
      }
    }
  }

  private retrying<T>(action: string, attempt: () => Promise<T>): Promise<T> {
    return withRetries(attempt, RETRIES, (error) => unavailable(this.location, action, error));
  }

  private why(): string {
    const error = this.follower.lastError;
    return error ? ` (the subscription failed: ${error.message})` : '';
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError('store is closed');
  }
}

function countOf(maxCount: number | undefined): number {
  return maxCount === undefined || !Number.isFinite(maxCount) ? Number.MAX_SAFE_INTEGER : Math.max(0, Math.floor(maxCount));
}
