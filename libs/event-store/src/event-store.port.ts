/**
 * The event-store port. Names and semantics follow EventStoreDB's (@eventstore/db-client) so that an adapter over it
 * is a thin mapping: streams with 0-based revisions, a global log with increasing positions, appends guarded by an
 * expected revision. Events are opaque here: `{ id, type, data, metadata }` with JSON data; the store never reads them.
 * The embedded store writes data and metadata as canonical JSON (@derbes/canonical-json), which the Merkle leaf hashes.
 */

/** Append only if the stream does not exist yet. */
export const NO_STREAM = 'no_stream' as const;
/** Append only if the stream already has at least one event. */
export const STREAM_EXISTS = 'stream_exists' as const;
/** Append whatever the stream's revision. */
export const ANY = 'any' as const;

/** `ANY`, `NO_STREAM`, `STREAM_EXISTS`, or the exact revision (0-based) of the stream's last event. */
export type ExpectedRevision = typeof ANY | typeof NO_STREAM | typeof STREAM_EXISTS | number;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** An event to append. `id` is a UUID, unique across the whole store (an append that repeats one fails). */
export interface EventData {
  readonly id: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
}

/** An event as stored. */
export interface RecordedEvent {
  readonly id: string;
  readonly type: string;
  readonly streamId: string;
  /** 0-based position of the event in its stream. */
  readonly revision: number;
  /** Position in the global log: strictly increasing in commit order; the embedded store numbers it 1, 2, 3... */
  readonly position: number;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
  /** When the store committed it (ISO 8601, UTC). */
  readonly created: string;
}

export interface AppendResult {
  /** The revision of the stream's last event after this append: pass it as the next expected revision. */
  readonly nextExpectedRevision: number;
  /** One entry per appended event, in order. */
  readonly events: ReadonlyArray<{ readonly id: string; readonly revision: number; readonly position: number }>;
}

export interface AppendOperation {
  readonly streamId: string;
  readonly events: readonly EventData[];
  readonly expectedRevision: ExpectedRevision;
}

export interface ReadStreamOptions {
  /** First revision to return (inclusive); default 0. */
  readonly fromRevision?: number;
  /** Default: all. */
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Return events whose position is greater than this (a checkpoint); default 0 = from the start. */
  readonly after?: number;
  readonly maxCount?: number;
}

/** A catch-up subscription: an async iterable of events after a checkpoint, first the stored ones, then live ones. */
export interface AllSubscription extends AsyncIterable<RecordedEvent> {
  /** Ends the iteration; pending reads finish first. */
  unsubscribe(): Promise<void>;
}

export interface EventStore {
  /** Appends to one stream if its revision matches `expectedRevision`; throws WrongExpectedVersionError otherwise. */
  appendToStream(streamId: string, events: readonly EventData[], expectedRevision: ExpectedRevision): Promise<AppendResult>;
  /**
   * Appends to several streams. The embedded store commits them in one transaction: all or nothing, and the first
   * failing operation's error is thrown. Stores without multi-stream transactions document what they do instead.
   */
  appendMany(operations: readonly AppendOperation[]): Promise<AppendResult[]>;
  /** A stream's events in revision order; an empty array when the stream does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Events of the global log in position order. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** The event with this id, wherever it is, or undefined. */
  readEventById(eventId: string): Promise<RecordedEvent | undefined>;
  /** Catch-up subscription to the global log from a checkpoint (exclusive). */
  subscribeToAll(options?: { readonly after?: number }): AllSubscription;
  /**
   * Copies events of another store into this one, for migration: each keeps its id, type, stream, revision, data,
   * metadata and commit time (`created`), and gets the same global position, in the order given. The events must
   * continue this store's log: the first one's position is `lastPosition() + 1`, positions follow each other, and
   * each event's revision follows its stream's. Otherwise nothing of the call is kept (on the embedded store) or the
   * call stops at the first event that does not fit (on a store without multi-stream transactions), and a
   * WrongExpectedVersionError or ImportMismatchError names it. Resuming an interrupted import is calling this again
   * from `lastPosition() + 1`.
   */
  importEvents(events: readonly RecordedEvent[]): Promise<void>;
  /** Position of the last event in the global log; 0 when empty. */
  lastPosition(): Promise<number>;
  close(): Promise<void>;
}

/** The dependency-injection token of the one abstract provider: the event store. */
export const EVENT_STORE = Symbol('EVENT_STORE');
