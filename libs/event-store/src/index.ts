export * from './event-store.port';
export * from './errors';
export { storedTextOf, rememberStoredText, type StoredText } from './stored-text';
export { SqliteEventStore } from './sqlite/sqlite-event-store';
export type { SqliteEventStoreOptions } from './sqlite/sqlite-event-store';
export { startWorker, typescriptLoader } from './worker-script';
export { ThreadClient, ThreadError, serveRequests } from './thread-requests';
export { openEventStore, storeDisplay, type OpenEventStoreOptions } from './open-event-store';
// Types only: openEventStore loads the EventStoreDB adapter (and its gRPC client) when a location names it.
export type { EsdbEventStore, EsdbEventStoreOptions } from './esdb/esdb-event-store';
export { EsdbLocationError, isEsdbLocation, parseEsdbLocation, type EsdbLocation } from './esdb/esdb-location';
