import { NO_STREAM, type RecordedEvent } from '../event-store.port';
import { storedJsonObject } from '@derbes/canonical-json';
import { DuplicateEventIdError, ImportMismatchError } from '../errors';
import { checkExpectedRevision } from '../expected-revision';
import { type EventStatements, type StreamRow, isDuplicateEventId } from './event-statements';

/** An event of another store to import, checked and serialized before it is queued: plain values, it may cross to the writer thread. */
export interface PreparedImportEvent {
  readonly id: string;
  readonly type: string;
  readonly streamId: string;
  readonly revision: number;
  readonly position: number;
  /** JSON text of data and metadata. */
  readonly data: string;
  readonly metadata: string;
  readonly created: string;
}

/** One importEvents call: its events are kept all together or not at all. */
export interface ImportRequest {
  readonly imported: readonly PreparedImportEvent[];
}

/** Checks the shape of each event, naming the event and the field; what fits where is checked when it is written. */
export function prepareImport(events: readonly RecordedEvent[]): PreparedImportEvent[] {
  if (!Array.isArray(events)) throw new TypeError('importEvents takes an array of recorded events');
  return events.map((event, i) => {
    const bad = (field: string, reason: string) => new TypeError(`imported event ${i}${typeof event?.id === 'string' ? ` (${event.id})` : ''}: ${field} ${reason}`);
    if (typeof event !== 'object' || event === null) throw bad('event', 'is not an object');
    for (const field of ['id', 'type', 'streamId'] as const) {
      if (typeof event[field] !== 'string' || event[field].length === 0) throw bad(field, 'must be a non-empty string');
    }
    if (!Number.isSafeInteger(event.revision) || event.revision < 0) throw bad('revision', 'must be a whole number from 0');
    if (!Number.isSafeInteger(event.position) || event.position < 1) throw bad('position', 'must be a whole number from 1');
    if (typeof event.created !== 'string' || Number.isNaN(Date.parse(event.created))) throw bad('created', 'must be an ISO 8601 date-time');
    return {
      id: event.id, type: event.type, streamId: event.streamId, revision: event.revision, position: event.position,
      data: objectText(event.data, () => bad('data', 'must be a JSON object')),
      metadata: objectText(event.metadata, () => bad('metadata', 'must be a JSON object')),
      created: event.created,
    };
  });
}

function objectText(value: unknown, bad: () => Error): string {
  let text: string | undefined;
  try {
    text = storedJsonObject(value);
  } catch {
    throw bad();
  }
  if (text === undefined) throw bad();
  return text;
}

/**
 * Writes imported events at their own positions, revisions and commit times. Runs in the writer's transaction, so
 * the log cannot move between the check and the write: each event must land exactly where the source had it, or
 * this throws (ImportMismatchError, WrongExpectedVersionError, DuplicateEventIdError) and the caller's savepoint
 * undoes the call.
 */
export function applyImport(statements: EventStatements, events: readonly PreparedImportEvent[]): void {
  let next = (statements.lastPosition.get() ?? 0) + 1;
  const heads = new Map<string, StreamRow>();
  for (const event of events) {
    if (event.position !== next) throw new ImportMismatchError(event.id, event.position, next);
    let head = heads.get(event.streamId) ?? statements.stream.get(event.streamId);
    checkExpectedRevision(event.streamId, event.revision === 0 ? NO_STREAM : event.revision - 1, head?.revision ?? -1);
    head ??= { id: Number(statements.createStream.run(event.streamId).lastInsertRowid), revision: -1 };
    let position: number;
    try {
      position = Number(statements.insert.run(event.id, head.id, event.revision, event.type, event.data, event.metadata, event.created).lastInsertRowid);
    } catch (error) {
      if (isDuplicateEventId(error)) throw new DuplicateEventIdError(event.id);
      throw error;
    }
    // The schema gives a row max(position) + 1, which was checked above: anything else is a damaged table.
    if (position !== next) throw new Error(`import: event ${event.id} was stored at position ${position}, not ${next}`);
    heads.set(event.streamId, { id: head.id, revision: event.revision });
    next++;
  }
  for (const { id, revision } of heads.values()) statements.setRevision.run(revision, id);
}
