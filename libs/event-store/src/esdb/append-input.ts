import { NO_STREAM as ESDB_NO_STREAM, type AppendExpectedRevision, type EventData as EsdbEventData } from '@eventstore/db-client';
import type { AppendOperation, ExpectedRevision, RecordedEvent } from '../event-store.port';
import { isValidExpectedRevision } from '../expected-revision';
import { eventKey, toEsdbEvent } from './event-mapping';
import type { LedgerFilter } from './ledger-filter';
import type { LedgerIndex } from './ledger-index';

/**
 * The first id that is already stored or repeats one before it: the port's rule is that an event id is stored once
 * in the whole store. Checked against the index, so an id appended by another instance a moment ago may pass (ESDB.md).
 */
export function storedId(ids: readonly string[], index: LedgerIndex): string | undefined {
  const seen = new Set<string>();
  for (const id of ids) {
    const key = eventKey(id);
    if (seen.has(key) || index.positionOfId(id) !== undefined) return id;
    seen.add(key);
  }
  return undefined;
}

/** Checks an operation and gives the client's events for it; TypeError naming what is wrong. */
export function prepare(operation: AppendOperation, filter: LedgerFilter): EsdbEventData[] {
  const { streamId, events, expectedRevision } = operation;
  if (typeof streamId !== 'string' || streamId.length === 0) throw new TypeError('streamId must be a non-empty string');
  if (streamId.startsWith('$')) throw new TypeError(`stream ${streamId}: names starting with $ are EventStoreDB's system streams`);
  if (!isValidExpectedRevision(expectedRevision)) throw new TypeError(`stream ${streamId}: invalid expected revision ${String(expectedRevision)}`);
  return events.map((event, i) => {
    const esdbEvent = toEsdbEvent(streamId, i, event);
    if (!filter.accepts(event.type)) throw new TypeError(`stream ${streamId}: event ${i}: type ${event.type} is not one of the ledger's (${filter.description})`);
    return esdbEvent;
  });
}

export function toClientRevision(expected: ExpectedRevision): AppendExpectedRevision {
  if (typeof expected !== 'number') return expected;
  return expected === -1 ? ESDB_NO_STREAM : BigInt(expected);
}

/** Runs of consecutive events of the same stream with consecutive revisions: each is one append. */
export function streamRuns(events: readonly RecordedEvent[]): Array<{ start: number; end: number }> {
  const runs: Array<{ start: number; end: number }> = [];
  events.forEach((event, i) => {
    const run = runs[runs.length - 1];
    const previous = events[i - 1];
    if (run && previous && previous.streamId === event.streamId && previous.revision + 1 === event.revision) run.end = i + 1;
    else runs.push({ start: i, end: i + 1 });
  });
  return runs;
}
