import { jsonEvent, type EventData as EsdbEventData, type RecordedEvent as EsdbRecordedEvent } from '@eventstore/db-client';
import type { EventData, JsonObject, RecordedEvent } from '../event-store.port';

/**
 * Metadata key under which an imported event keeps its original commit time: EventStoreDB stamps `created` itself
 * and cannot be given one. Reads give it back as `created` and leave it out of `metadata`, so a migrated event has
 * the same canonical bytes (and Merkle leaf) as in the store it came from. The ledger never writes `$` keys.
 */
export const CREATED_KEY = '$derbes.created';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The client's event for an append. Throws TypeError naming the stream, the event and what is wrong with it. */
export function toEsdbEvent(streamId: string, index: number, event: EventData): EsdbEventData {
  checkEvent(streamId, index, event);
  if (Object.prototype.hasOwnProperty.call(event.metadata, CREATED_KEY)) {
    throw new TypeError(`stream ${streamId}: event ${index}: metadata key ${CREATED_KEY} is reserved for imported events`);
  }
  return jsonEvent({ id: event.id, type: event.type, data: event.data, metadata: event.metadata });
}

/** The client's event for an imported one: its commit time goes with it in the metadata. */
export function toImportedEsdbEvent(event: RecordedEvent): EsdbEventData {
  checkEvent(event.streamId, event.revision, event);
  if (typeof event.created !== 'string' || Number.isNaN(Date.parse(event.created))) {
    throw new TypeError(`event ${event.id}: created must be an ISO 8601 time, got ${String(event.created)}`);
  }
  return jsonEvent({ id: event.id, type: event.type, data: event.data, metadata: { ...event.metadata, [CREATED_KEY]: event.created } });
}

/** The port's event from the client's, at the ledger position the index gave it. */
export function fromEsdbEvent(event: EsdbRecordedEvent, position: number): RecordedEvent {
  if (!event.isJson || !isObject(event.data)) {
    throw new Error(`event ${event.id} in stream ${event.streamId} is not a JSON object event: the ledger cannot read it`);
  }
  const stored = event.metadata === undefined ? {} : event.metadata;
  if (!isObject(stored)) throw new Error(`event ${event.id} in stream ${event.streamId}: its metadata is not a JSON object`);
  const { [CREATED_KEY]: imported, ...metadata } = stored;
  return {
    id: event.id,
    type: event.type,
    streamId: event.streamId,
    revision: Number(event.revision),
    position,
    data: event.data as JsonObject,
    metadata: metadata as JsonObject,
    created: typeof imported === 'string' ? imported : event.created.toISOString(),
  };
}

/** Event ids as EventStoreDB gives them back (it parses them as GUIDs and writes them in lower case). */
export function eventKey(id: string): string {
  return id.toLowerCase();
}

function checkEvent(streamId: string, index: number, event: Pick<EventData, 'id' | 'type' | 'data' | 'metadata'>): void {
  if (typeof event.id !== 'string' || !UUID.test(event.id)) {
    throw new TypeError(`stream ${streamId}: event ${index}: id must be a UUID (EventStoreDB keeps event ids as GUIDs), got ${JSON.stringify(event.id)}`);
  }
  if (typeof event.type !== 'string' || event.type.length === 0) throw new TypeError(`stream ${streamId}: event ${index}: type must be a non-empty string`);
  if (!isObject(event.data) || !isObject(event.metadata)) {
    throw new TypeError(`stream ${streamId}: event ${index}: data and metadata must be JSON objects`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}
