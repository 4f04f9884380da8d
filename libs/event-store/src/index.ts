export * from './event-store.port';
export * from './errors';
export { SqliteEventStore } from './sqlite/sqlite-event-store';
export type { SqliteEventStoreOptions } from './sqlite/sqlite-event-store';
export { startWorker, typescriptLoader } from './worker-script';
export { ThreadClient, ThreadError, serveRequests } from './thread-requests';
export { openEventStore, storeDisplay, type OpenEventStoreOptions } from './open-event-store';
export { EsdbEventStore, type EsdbEventStoreOptions } from './esdb/esdb-event-store';
export { EsdbLocationError, isEsdbLocation, parseEsdbLocation, type EsdbLocation } from './esdb/esdb-location';
