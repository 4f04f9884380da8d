import type { EventStore } from './event-store.port';
import { isEsdbLocation, parseEsdbLocation } from './esdb/esdb-location';
import { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite/sqlite-event-store';

export interface OpenEventStoreOptions {
  /** SQLite: the clock that stamps `created`. EventStoreDB stamps `created` itself. */
  readonly now?: () => Date;
  /** SQLite: where appends are committed (see SqliteEventStoreOptions). */
  readonly writer?: 'thread' | 'inline';
  /** SQLite: how often a waiting subscription looks for events written by another connection. */
  readonly pollIntervalMs?: number;
  /** EventStoreDB: the ledger's event types, when the database is shared; default every non-system event. */
  readonly eventTypes?: readonly string[];
}

/**
 * Opens the event store at `location`: `esdb://...` or `esdb+discover://...` is EventStoreDB (a node or a cluster),
 * anything else a SQLite file path or ':memory:'. A malformed connection string throws EsdbLocationError; an
 * unreachable EventStoreDB rejects within seconds with a StoreUnavailableError naming the address and what to check.
 */
export async function openEventStore(location: string, options: OpenEventStoreOptions = {}): Promise<EventStore> {
  if (isEsdbLocation(location)) {
    // Loaded only for EventStoreDB: its client (gRPC) costs about 150 ms and 10 MB on each thread that loads it.
    const { EsdbEventStore } = await import('./esdb/esdb-event-store');
    return EsdbEventStore.open(parseEsdbLocation(location), options.eventTypes ? { eventTypes: options.eventTypes } : {});
  }
  const sqlite: { -readonly [K in keyof SqliteEventStoreOptions]: SqliteEventStoreOptions[K] } = {};
  if (options.now) sqlite.now = options.now;
  if (options.writer) sqlite.writer = options.writer;
  if (options.pollIntervalMs !== undefined) sqlite.pollIntervalMs = options.pollIntervalMs;
  return SqliteEventStore.open(location, sqlite);
}

/** The location as it may be shown or logged: an EventStoreDB connection string with its password hidden. */
export function storeDisplay(location: string): string {
  return isEsdbLocation(location) ? parseEsdbLocation(location).display : location;
}
