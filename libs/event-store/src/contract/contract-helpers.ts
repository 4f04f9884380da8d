import { randomUUID } from 'node:crypto';
import type { EventData, EventStore, RecordedEvent } from '../event-store.port';

/**
 * This run's mark. A store may be shared with earlier runs and with other test processes (an EventStoreDB server is
 * reused): stream names and event types carry it, so that nothing of this run collides with what is already there.
 */
export const CONTRACT_RUN = randomUUID().slice(0, 8);

/**
 * The only event types the contract writes. A store that follows chosen types only (EventStoreDB's server-side filter)
 * is opened with these: then its log is this run's events alone, numbered from 1, whatever else the server holds.
 */
export const CONTRACT_EVENT_TYPES = [`ContractHappened-${CONTRACT_RUN}`, `ContractNoted-${CONTRACT_RUN}`] as const;
export const HAPPENED = CONTRACT_EVENT_TYPES[0];
export const NOTED = CONTRACT_EVENT_TYPES[1];

/** What the contract is given: the store under test, opened before the suite and closed after it. */
export interface ContractContext {
  store(): EventStore;
  /** The embedded store keeps all of an appendMany or importEvents call or nothing; EventStoreDB stops at the first failure. */
  readonly atomicBatches: boolean;
}

/** An event with a fresh UUID (EventStoreDB takes nothing else as an event id). */
export function newEvent(data: EventData['data'] = { n: 1 }, type: string = HAPPENED): EventData {
  return { id: randomUUID(), type, data, metadata: { correlationId: `contract-${CONTRACT_RUN}` } };
}

export function newEvents(count: number, type: string = HAPPENED): EventData[] {
  return Array.from({ length: count }, (_, i) => newEvent({ n: i }, type));
}

let streams = 0;
/** A stream name no other test, run or process uses. */
export function streamName(label: string): string {
  return `contract-${label}-${CONTRACT_RUN}-${++streams}`;
}

export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => { throw new Error('expected a rejection'); }, (error: unknown) => error);
}

/** The next `count` events of a subscription; fails naming what arrived if they do not come within `timeoutMs`. */
export async function take(iterator: AsyncIterator<RecordedEvent>, count: number, timeoutMs = 20_000): Promise<RecordedEvent[]> {
  const taken: RecordedEvent[] = [];
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`${taken.length} of ${count} events arrived within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    while (taken.length < count) {
      const next = await Promise.race([iterator.next(), late]);
      if (next.done === true) throw new Error(`iteration ended after ${taken.length} of ${count} events`);
      taken.push(next.value);
    }
    return taken;
  } finally {
    clearTimeout(timer);
  }
}

export const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

export const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
