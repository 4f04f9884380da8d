import { BACKWARDS, END, StreamNotFoundError, type EventStoreDBClient, type Position, type RecordedEvent as EsdbRecordedEvent } from '@eventstore/db-client';
import type { LedgerFilter } from './ledger-filter';
import type { LedgerIndex } from './ledger-index';

/** Deadline of one read of the end of `$all`. */
const READ_DEADLINE_MS = 10_000;

/** A stream's events from a revision; [] for a stream that does not exist. */
export async function readWholeStream(client: EventStoreDBClient, streamId: string, fromRevision: number, maxCount: number): Promise<EsdbRecordedEvent[]> {
  const events: EsdbRecordedEvent[] = [];
  try {
    for await (const resolved of client.readStream(streamId, { fromRevision: BigInt(fromRevision), maxCount })) {
      if (resolved.event) events.push(resolved.event);
    }
  } catch (error) {
    if (error instanceof StreamNotFoundError) return [];
    throw error;
  }
  return events;
}

/** Revision of a stream's last event; -1 when there is none. */
export async function streamHead(client: EventStoreDBClient, streamId: string): Promise<number> {
  try {
    for await (const resolved of client.readStream(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: 1 })) {
      if (resolved.event) return Number(resolved.event.revision);
    }
  } catch (error) {
    if (error instanceof StreamNotFoundError) return -1;
    throw error;
  }
  return -1;
}

/** The position of the last event in `$all`, whatever it is: the probe that the server answers. */
export async function lastEventOfAll(client: EventStoreDBClient, deadline: number): Promise<Position | undefined> {
  for await (const resolved of client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1, deadline })) {
    return resolved.event?.position;
  }
  return undefined;
}

/**
 * The `$all` position of the last ledger event, reading backwards from the end; undefined when the index has
 * already searched past every later event (nothing to wait for) or the log holds no ledger event.
 */
export async function lastLedgerEvent(client: EventStoreDBClient, filter: LedgerFilter, index: LedgerIndex): Promise<Position | undefined> {
  for await (const resolved of client.readAll({ direction: BACKWARDS, fromPosition: END, deadline: READ_DEADLINE_MS })) {
    const event = resolved.event;
    if (event === undefined) continue;
    if (filter.accepts(event.type)) return event.position;
    if (index.hasSearched(event.position)) return undefined;
  }
  return undefined;
}

/** Rejects with `message` when `promise` has not settled within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
