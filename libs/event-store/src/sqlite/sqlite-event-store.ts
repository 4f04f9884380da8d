import type Database from 'better-sqlite3';
import type {
  AllSubscription, AppendOperation, AppendResult, EventData, EventStore, ExpectedRevision, ReadAllOptions,
  ReadStreamOptions, RecordedEvent,
} from '../event-store.port';
import { DuplicateEventIdError, StoreUnavailableError, WrongExpectedVersionError } from '../errors';
import { checkExpectedRevision, isValidExpectedRevision } from '../expected-revision';
import { SqliteAllSubscription, type SubscriptionSource } from './all-subscription';
import { AppendQueue } from './append-queue';
import { CommitSignal } from './commit-signal';
import { type EventStatements, type StreamRow, isDuplicateEventId, prepareEventStatements, toRecordedEvent } from './event-statements';
import { openEventDatabase } from './sqlite-schema';

export interface SqliteEventStoreOptions {
  /** The clock that stamps `created`; default: the system clock. */
  readonly now?: () => Date;
  /** How often a waiting subscription looks for events written by another connection; default 500 ms. */
  readonly pollIntervalMs?: number;
}

/** An operation checked and serialized before it is queued, so that bad input fails its own request only. */
interface PreparedOperation {
  readonly streamId: string;
  readonly expectedRevision: ExpectedRevision;
  readonly events: readonly EventData[];
  /** JSON of event i's data at 2i and of its metadata at 2i+1: one array per operation, not an object per event. */
  readonly payloads: readonly string[];
}

/** Per group of appends: one commit time for all its events. */
interface GroupContext {
  readonly created: string;
}

/**
 * The embedded event store: one SQLite file (or ':memory:') through better-sqlite3. Appends are group-committed
 * (see AppendQueue); reads run synchronously on the same connection; positions are 1, 2, 3... in commit order.
 * appendMany is atomic across streams. Other processes may open the same file; their appends are seen by
 * subscriptions through polling.
 */
export class SqliteEventStore implements EventStore {
  private readonly statements: EventStatements;
  private readonly queue: AppendQueue<GroupContext>;
  private readonly commits = new CommitSignal();
  private readonly subscriptions = new Set<SqliteAllSubscription>();
  private readonly subscriptionSource: SubscriptionSource;
  private closed = false;

  private constructor(private readonly db: Database.Database, options: SqliteEventStoreOptions) {
    const now = options.now ?? ((): Date => new Date());
    this.statements = prepareEventStatements(db);
    this.queue = new AppendQueue<GroupContext>(db, {
      openGroup: () => ({ created: now().toISOString() }),
      isRequestError: (error) => error instanceof WrongExpectedVersionError || error instanceof DuplicateEventIdError,
      onCommitted: () => this.commits.notify(),
    });
    this.subscriptionSource = {
      readPage: (after, maxCount) => this.readAllNow(after, maxCount),
      commits: this.commits,
      pollIntervalMs: options.pollIntervalMs ?? 500,
      ended: (subscription) => this.subscriptions.delete(subscription),
    };
  }

  /** Opens or creates the store at `path` (parent directories are created), or an in-memory one for ':memory:'. */
  static open(path: string, options: SqliteEventStoreOptions = {}): SqliteEventStore {
    return new SqliteEventStore(openEventDatabase(path), options);
  }

  async appendToStream(streamId: string, events: readonly EventData[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    this.assertOpen();
    const operation = prepareOperation({ streamId, events, expectedRevision });
    // One event undoes itself on failure (see applyOperation), so it needs no savepoint.
    return this.queue.enqueue((group) => this.applyOperation(operation, group, undefined), events.length > 1);
  }

  async appendMany(operations: readonly AppendOperation[]): Promise<AppendResult[]> {
    this.assertOpen();
    const prepared = operations.map(prepareOperation);
    if (prepared.length === 0) return [];
    return this.queue.enqueue((group) => {
      // Streams this request already moved: the query would see them too, the map only saves it.
      const heads = new Map<string, StreamRow>();
      return prepared.map((operation) => this.applyOperation(operation, group, heads));
    });
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    // A stream never written is answered from the small streams table alone: the common case for a new subject.
    const stream = this.statements.stream.get(streamId);
    if (stream === undefined) return [];
    const rows = this.statements.readStream.all(stream.id, options.fromRevision ?? 0, limit(options.maxCount));
    return rows.map((row) => toRecordedEvent(row, streamId));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    return this.readAllNow(options.after ?? 0, limit(options.maxCount));
  }

  async readEventById(eventId: string): Promise<RecordedEvent | undefined> {
    this.assertOpen();
    const row = this.statements.readById.get(eventId);
    return row === undefined ? undefined : toRecordedEvent(row, row.stream_id);
  }

  async lastPosition(): Promise<number> {
    this.assertOpen();
    return this.statements.lastPosition.get() ?? 0;
  }

  subscribeToAll(options: { readonly after?: number } = {}): AllSubscription {
    this.assertOpen();
    const subscription = new SqliteAllSubscription(this.subscriptionSource, options.after ?? 0);
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Commits what is queued, ends the subscriptions, closes the file. Later appends reject with StoreUnavailableError. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.queue.flush();
    for (const subscription of [...this.subscriptions]) subscription.end();
    this.db.close();
  }

  private applyOperation(operation: PreparedOperation, group: GroupContext, heads: Map<string, StreamRow> | undefined): AppendResult {
    const { streamId, events, payloads } = operation;
    const known = heads?.get(streamId) ?? this.statements.stream.get(streamId);
    let revision = known?.revision ?? -1;
    checkExpectedRevision(streamId, operation.expectedRevision, revision);
    if (events.length === 0) return { nextExpectedRevision: revision, events: [] };
    const key = known?.id ?? Number(this.statements.createStream.run(streamId).lastInsertRowid);
    const appended = new Array<AppendResult['events'][number]>(events.length);
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      revision += 1;
      let position: number | bigint;
      try {
        position = this.statements.insert.run(
          event.id, key, revision, event.type, payloads[2 * i]!, payloads[2 * i + 1]!, group.created,
        ).lastInsertRowid;
      } catch (error) {
        // A savepoint undoes the request's earlier writes; a single-event append has none but a new stream row.
        if (i === 0 && known === undefined) this.statements.dropStream.run(key);
        if (isDuplicateEventId(error)) throw new DuplicateEventIdError(event.id);
        throw error;
      }
      appended[i] = { id: event.id, revision, position: Number(position) };
    }
    this.statements.setRevision.run(revision, key);
    heads?.set(streamId, { id: key, revision });
    return { nextExpectedRevision: revision, events: appended };
  }

  private readAllNow(after: number, maxCount: number): RecordedEvent[] {
    return this.statements.readAll.all(after, maxCount).map((row) => toRecordedEvent(row, row.stream_id));
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError('store is closed');
  }
}

/** SQLite's LIMIT: -1 means no limit. */
function limit(maxCount: number | undefined): number {
  return maxCount === undefined || !Number.isFinite(maxCount) ? -1 : Math.max(0, Math.floor(maxCount));
}

function prepareOperation(operation: AppendOperation): PreparedOperation {
  const { streamId, events, expectedRevision } = operation;
  if (typeof streamId !== 'string' || streamId.length === 0) throw new TypeError('streamId must be a non-empty string');
  if (!isValidExpectedRevision(expectedRevision)) {
    throw new TypeError(`stream ${streamId}: invalid expected revision ${String(expectedRevision)}`);
  }
  const payloads = new Array<string>(events.length * 2);
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    if (typeof event.id !== 'string' || event.id.length === 0 || typeof event.type !== 'string' || event.type.length === 0) {
      throw new TypeError(`stream ${streamId}: event ${i} needs a non-empty string id and type`);
    }
    payloads[2 * i] = toJsonObjectText(event.data, streamId, i);
    payloads[2 * i + 1] = toJsonObjectText(event.metadata, streamId, i);
  }
  return { streamId, expectedRevision, events, payloads };
}

function toJsonObjectText(value: unknown, streamId: string, index: number): string {
  // JSON.stringify returns undefined for undefined/functions; a NOT NULL failure inside the group would fail
  // everybody's appends, so bad input is refused here.
  const text = typeof value === 'object' && value !== null && !Array.isArray(value) ? JSON.stringify(value) : undefined;
  if (text === undefined) throw new TypeError(`stream ${streamId}: event ${index} data and metadata must be JSON objects`);
  return text;
}
