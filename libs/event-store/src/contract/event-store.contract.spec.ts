import { describeWithEventStore } from '../../../../test/support/eventstore-target';
import { openEventStore } from '../open-event-store';
import { SqliteEventStore } from '../sqlite/sqlite-event-store';
import { useTempFiles } from '../sqlite/spec-helpers';
import { CONTRACT_EVENT_TYPES, describeEventStoreContract } from './event-store.contract';

const newFile = useTempFiles();

describeEventStoreContract('SQLite in memory', async () => SqliteEventStore.open(':memory:', { pollIntervalMs: 20 }), { atomicBatches: true });
describeEventStoreContract('SQLite on a file, writing on its writer thread', async () => SqliteEventStore.open(newFile(), { pollIntervalMs: 20, writer: 'thread' }), { atomicBatches: true });
describeEventStoreContract('SQLite on a file, writing on the calling thread', async () => SqliteEventStore.open(newFile(), { pollIntervalMs: 20, writer: 'inline' }), { atomicBatches: true });

// A server reused across runs holds earlier runs' events: opened with this run's event types only, the store's log is
// this run's alone (see CONTRACT_EVENT_TYPES).
describeWithEventStore('EventStoreDB', (server) => {
  describeEventStoreContract('EventStoreDB', () => openEventStore(server.url(), { eventTypes: CONTRACT_EVENT_TYPES }), { atomicBatches: false });
});
