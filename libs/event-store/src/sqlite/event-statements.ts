import Database from 'better-sqlite3';
import type { JsonObject, RecordedEvent } from '../event-store.port';

/** A row as selected by the read statements below. */
interface EventRow {
  position: number;
  event_id: string;
  stream_id: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
  created: string;
}

const COLUMNS = 'e.position, e.event_id, s.name AS stream_id, e.revision, e.type, e.data, e.metadata, e.created';
const FROM = 'events e JOIN streams s ON s.id = e.stream';

/** A row of the global log as readAll selects it: position, event id, stream key, revision, type, data, metadata, created. */
export type LogRow = [number, string, number, number, string, string, string, string];

/**
 * Stream names by their integer key, for reading the log without joining the streams table. A key never changes its
 * name: stream rows are only ever deleted inside the transaction that created them (a failed append), before anyone
 * else could see them. Holds every stream's name once seen (tens of bytes each).
 */
export class StreamNames {
  private readonly names = new Map<number, string>();
  constructor(private readonly streamsFrom: Database.Statement<[number], [number, string]>) {}

  of(key: number): string {
    let name = this.names.get(key);
    if (name === undefined) {
      // Streams are created with growing keys: load all the ones from here on at once.
      for (const [id, streamName] of this.streamsFrom.all(key)) this.names.set(id, streamName);
      name = this.names.get(key);
      if (name === undefined) throw new Error(`event store: no stream ${key} for an event of the log; the file is damaged`);
    }
    return name;
  }
}

/** The event of a raw log row, its stream named. */
export function logRowEvent(row: LogRow, names: StreamNames): RecordedEvent {
  return {
    id: row[1],
    type: row[4],
    streamId: names.of(row[2]),
    revision: row[3],
    position: row[0],
    data: JSON.parse(row[5]) as JsonObject,
    metadata: JSON.parse(row[6]) as JsonObject,
    created: row[7],
  };
}

/** A stream's integer key and last revision. */
export interface StreamRow {
  id: number;
  revision: number;
}

/** Every statement the store runs, prepared once per connection. */
export interface EventStatements {
  /** The stream's key and last revision, or undefined for a stream never written. */
  readonly stream: Database.Statement<[string], StreamRow>;
  readonly createStream: Database.Statement<[string]>;
  readonly dropStream: Database.Statement<[number]>;
  readonly setRevision: Database.Statement<[number, number]>;
  /** event id, stream key, revision, type, data, metadata, created. */
  readonly insert: Database.Statement<[string, number, number, string, string, string, string]>;
  /** stream key, from revision, limit (-1: all); the name is known to the caller. */
  readonly readStream: Database.Statement<[number, number, number], Omit<EventRow, 'stream_id'>>;
  /** after position, limit (-1: all); raw rows, the stream by its key (StreamNames gives the name). */
  readonly readAll: Database.Statement<[number, number], LogRow>;
  /** The streams whose key is at least the given one: the names StreamNames has not seen yet. */
  readonly streamsFrom: Database.Statement<[number], [number, string]>;
  readonly readById: Database.Statement<[string], EventRow>;
  readonly lastPosition: Database.Statement<[], number>;
}

export function prepareEventStatements(db: Database.Database): EventStatements {
  return {
    stream: db.prepare<[string], StreamRow>('SELECT id, revision FROM streams WHERE name = ?'),
    createStream: db.prepare<[string]>('INSERT INTO streams(name, revision) VALUES (?, -1)'),
    dropStream: db.prepare<[number]>('DELETE FROM streams WHERE id = ?'),
    setRevision: db.prepare<[number, number]>('UPDATE streams SET revision = ? WHERE id = ?'),
    // position is left out so that SQLite assigns max(rowid)+1 (see the schema).
    insert: db.prepare<[string, number, number, string, string, string, string]>(
      'INSERT INTO events(event_id, stream, revision, type, data, metadata, created) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    readStream: db.prepare<[number, number, number], Omit<EventRow, 'stream_id'>>(
      'SELECT position, event_id, revision, type, data, metadata, created FROM events WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?'),
    // Without the join on streams, and as arrays: 4.6 -> 3.0 µs a row of the bench's ledger (1 KB of data each).
    readAll: db.prepare<[number, number], LogRow>(
      'SELECT position, event_id, stream, revision, type, data, metadata, created FROM events WHERE position > ? ORDER BY position LIMIT ?').raw(),
    streamsFrom: db.prepare<[number], [number, string]>('SELECT id, name FROM streams WHERE id >= ?').raw(),
    readById: db.prepare<[string], EventRow>(`SELECT ${COLUMNS} FROM ${FROM} WHERE e.event_id = ?`),
    lastPosition: db.prepare<[], number>('SELECT coalesce(max(position), 0) FROM events').pluck(),
  };
}

export function toRecordedEvent(row: Omit<EventRow, 'stream_id'>, streamId: string): RecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    streamId,
    revision: row.revision,
    position: row.position,
    data: JSON.parse(row.data) as JsonObject,
    metadata: JSON.parse(row.metadata) as JsonObject,
    created: row.created,
  };
}

/**
 * True for the UNIQUE violation on event_id (not the one on stream, revision, which would be a bug here).
 * Checked by code, not `instanceof`: the native addon throws the SqliteError class registered last, which is not
 * the one this module sees when the module is loaded more than once (as jest does per test file).
 */
export function isDuplicateEventId(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' && typeof e.message === 'string' && e.message.includes('events.event_id');
}
