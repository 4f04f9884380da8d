import { SqliteEventStore } from '../sqlite/sqlite-event-store';
import { useTempFiles } from '../sqlite/spec-helpers';
import { describeEventStoreContract } from './event-store.contract';

const newFile = useTempFiles();

describeEventStoreContract('SQLite in memory', async () => SqliteEventStore.open(':memory:', { pollIntervalMs: 20 }), { atomicBatches: true });
describeEventStoreContract('SQLite on a file, writing on its writer thread', async () => SqliteEventStore.open(newFile(), { pollIntervalMs: 20, writer: 'thread' }), { atomicBatches: true });
describeEventStoreContract('SQLite on a file, writing on the calling thread', async () => SqliteEventStore.open(newFile(), { pollIntervalMs: 20, writer: 'inline' }), { atomicBatches: true });
