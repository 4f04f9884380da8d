import type Database from 'better-sqlite3';
import type {
  AllSubscription, AppendOperation, AppendResult, EventStore, ReadAllOptions, ReadStreamOptions, RecordedEvent,
} from '../event-store.port';
import { storedJsonObject } from '@derbes/canonical-json';
import { StoreUnavailableError } from '../errors';
import { isValidExpectedRevision } from '../expected-revision';
import { SqliteAllSubscription, type SubscriptionSource } from './all-subscription';
import { AppendQueue, type GroupSink } from './append-queue';
import { CommitSignal } from './commit-signal';
import { type EventStatements, StreamNames, logRowEvent, prepareEventStatements, toRecordedEvent } from './event-statements';
import { rememberStoredText } from '../stored-text';
import { prepareImport } from './event-import';
import { GroupWriter, type PreparedOperation } from './group-writer';
import { openEventDatabase } from './sqlite-schema';
import { WriterThread } from './writer-thread';

export interface SqliteEventStoreOptions {
  /** The clock that stamps `created`; default: the system clock. */
  readonly now?: () => Date;
  /** How often a waiting subscription looks for events written by another connection; default 500 ms. */
  readonly pollIntervalMs?: number;
  /**
   * Where appends are committed. `thread` (the default for a file): a writer thread with its own connection, so
   * that the request thread neither builds the transactions nor waits for their fsync. `inline`: on this thread,
   * the only choice for ':memory:'.
   */
  readonly writer?: 'thread' | 'inline';
}

/**
 * The embedded event store: one SQLite file (or ':memory:') through better-sqlite3. Appends are group-committed
 * (see AppendQueue), by default on a writer thread; reads run synchronously on this thread's connection; positions
 * are 1, 2, 3... in commit order. appendMany and importEvents are atomic across streams. Other processes may open the same file;
 * their appends are seen by subscriptions through polling.
 */
export class SqliteEventStore implements EventStore {
  private readonly statements: EventStatements;
  private readonly streamNames: StreamNames;
  private readonly queue: AppendQueue;
  private readonly commits = new CommitSignal();
  private readonly subscriptions = new Set<SqliteAllSubscription>();
  private readonly subscriptionSource: SubscriptionSource;
  private readonly writerThread: WriterThread | undefined;
  private closed = false;

  private constructor(private readonly db: Database.Database, path: string, options: SqliteEventStoreOptions) {
    const now = options.now ?? ((): Date => new Date());
    this.statements = prepareEventStatements(db);
    this.streamNames = new StreamNames(this.statements.streamsFrom);
    const onThread = path !== ':memory:' && (options.writer ?? 'thread') === 'thread';
    this.writerThread = onThread ? new WriterThread(path) : undefined;
    this.queue = new AppendQueue(this.writerThread ?? inlineSink(new GroupWriter(db)), now, () => this.commits.notify());
    this.subscriptionSource = {
      readPage: (after, maxCount) => this.readAllNow(after, maxCount),
      commits: this.commits,
      pollIntervalMs: options.pollIntervalMs ?? 500,
      ended: (subscription) => this.subscriptions.delete(subscription),
    };
  }

  /** Opens or creates the store at `path` (parent directories are created), or an in-memory one for ':memory:'. */
  static open(path: string, options: SqliteEventStoreOptions = {}): SqliteEventStore {
    return new SqliteEventStore(openEventDatabase(path), path, options);
  }

  async appendToStream(streamId: string, events: AppendOperation['events'], expectedRevision: AppendOperation['expectedRevision']): Promise<AppendResult> {
    this.assertOpen();
    return this.queue.enqueue({ operations: [prepareOperation({ streamId, events, expectedRevision })], many: false });
  }

  async appendMany(operations: readonly AppendOperation[]): Promise<AppendResult[]> {
    this.assertOpen();
    const prepared = operations.map(prepareOperation);
    if (prepared.length === 0) return [];
    return this.queue.enqueue({ operations: prepared, many: true });
  }

  /**
   * Writes the events of another store at their own positions (see the port): one transaction per call, queued with
   * the appends so that the log cannot move between the check and the write; subscriptions see them as appends.
   */
  async importEvents(events: readonly RecordedEvent[]): Promise<void> {
    this.assertOpen();
    const imported = prepareImport(events);
    if (imported.length === 0) return;
    await this.queue.enqueue<null>({ imported });
  }

  /** Runs a pragma on the connection that writes (the writer thread's, or this one): tests simulate faults with it. */
  async writerPragma(pragma: string): Promise<unknown> {
    return this.writerThread ? this.writerThread.pragma(pragma) : this.db.pragma(pragma);
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
    await this.queue.drain();
    for (const subscription of [...this.subscriptions]) subscription.end();
    await this.writerThread?.close();
    this.db.close();
  }

  private readAllNow(after: number, maxCount: number): RecordedEvent[] {
    // The rows' text is remembered for the tree, which hashes it rather than writing the parsed objects again.
    return this.statements.readAll.all(after, maxCount).map((row) => rememberStoredText(logRowEvent(row, this.streamNames), { data: row[5], metadata: row[6] }));
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
  const ids = new Array<string>(events.length);
  const types = new Array<string>(events.length);
  const payloads = new Array<string>(events.length * 2);
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    if (typeof event.id !== 'string' || event.id.length === 0 || typeof event.type !== 'string' || event.type.length === 0) {
      throw new TypeError(`stream ${streamId}: event ${i} needs a non-empty string id and type`);
    }
    ids[i] = event.id;
    types[i] = event.type;
    payloads[2 * i] = toJsonObjectText(event.data, streamId, i);
    payloads[2 * i + 1] = toJsonObjectText(event.metadata, streamId, i);
  }
  return { streamId, expectedRevision, ids, types, payloads };
}

/** Commits on this thread: the group's transaction runs synchronously when it is sent. */
function inlineSink(writer: GroupWriter): GroupSink {
  return {
    write: (group) => {
      try {
        return Promise.resolve(writer.write(group));
      } catch (error) {
        return Promise.reject(error);
      }
    },
  };
}

/**
 * The stored text: canonical JSON (storedJson), the text the Merkle leaf and the subject chain hash. A NOT NULL
 * failure inside the group would fail everybody's appends, so what is not a JSON object is refused here.
 */
function toJsonObjectText(value: unknown, streamId: string, index: number): string {
  let text: string | undefined;
  try {
    text = storedJsonObject(value);
  } catch (error) {
    throw new TypeError(`stream ${streamId}: event ${index} data and metadata must be JSON objects: ${(error as Error).message}`);
  }
  if (text === undefined) throw new TypeError(`stream ${streamId}: event ${index} data and metadata must be JSON objects`);
  return text;
}
