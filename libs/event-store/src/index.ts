export * from './event-store.port';
export * from './errors';
export { SqliteEventStore } from './sqlite/sqlite-event-store';
export type { SqliteEventStoreOptions } from './sqlite/sqlite-event-store';
export { startWorker, typescriptLoader } from './worker-script';
export { ThreadClient, ThreadError, serveRequests } from './thread-requests';
