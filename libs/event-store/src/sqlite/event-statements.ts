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

const COLUMNS = 'position, event_id, stream_id, revision, type, data, metadata, created';

/** Every statement the store runs, prepared once per connection. */
export interface EventStatements {
  /** The stream's last revision; served by the UNIQUE(stream_id, revision) index. */
  readonly head: Database.Statement<[string], number>;
  readonly insert: Database.Statement<[string, string, number, string, string, string, string]>;
  /** stream id, from revision, limit (-1: all). */
  readonly readStream: Database.Statement<[string, number, number], EventRow>;
  /** after position, limit (-1: all). */
  readonly readAll: Database.Statement<[number, number], EventRow>;
  readonly readById: Database.Statement<[string], EventRow>;
  readonly lastPosition: Database.Statement<[], number>;
}

export function prepareEventStatements(db: Database.Database): EventStatements {
  return {
    head: db.prepare<[string], number>(
      'SELECT revision FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1').pluck(),
    // position is left out so that SQLite assigns max(rowid)+1 (see the schema).
    insert: db.prepare<[string, string, number, string, string, string, string]>(
      'INSERT INTO events(event_id, stream_id, revision, type, data, metadata, created) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    readStream: db.prepare<[string, number, number], EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`),
    readAll: db.prepare<[number, number], EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`),
    readById: db.prepare<[string], EventRow>(`SELECT ${COLUMNS} FROM events WHERE event_id = ?`),
    lastPosition: db.prepare<[], number>('SELECT coalesce(max(position), 0) FROM events').pluck(),
  };
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    streamId: row.stream_id,
    revision: row.revision,
    position: row.position,
    data: JSON.parse(row.data) as JsonObject,
    metadata: JSON.parse(row.metadata) as JsonObject,
    created: row.created,
  };
}

/**
 * True for the UNIQUE violation on event_id (not the one on stream_id, revision, which would be a bug here).
 * Checked by code, not `instanceof`: the native addon throws the SqliteError class registered last, which is not
 * the one this module sees when the module is loaded more than once (as jest does per test file).
 */
export function isDuplicateEventId(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' && typeof e.message === 'string' && e.message.includes('events.event_id');
}
