import { createServer, type Server } from 'node:net';
import { StoreUnavailableError } from './errors';
import { EsdbLocationError } from './esdb/esdb-location';
import { openEventStore, storeDisplay } from './open-event-store';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

/** A local port that nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('openEventStore', () => {
  it('opens a SQLite store for a path or :memory:', async () => {
    const store = await openEventStore(':memory:', { now: () => new Date('2026-01-02T03:04:05.000Z') });
    try {
      expect(store).toBeInstanceOf(SqliteEventStore);
      await store.appendToStream('s', [{ id: '6f1c2f0e-0000-4000-8000-000000000001', type: 'T', data: {}, metadata: {} }], 'no_stream');
      expect((await store.readAll())[0]).toMatchObject({ position: 1, created: '2026-01-02T03:04:05.000Z' });
    } finally {
      await store.close();
    }
  });

  it('loads the EventStoreDB client only for an EventStoreDB location (a SQLite ledger never pays for gRPC)', async () => {
    const refuse = () => {
      throw new Error('the EventStoreDB client was loaded');
    };
    const client = ['@eventstore/db-client', '@eventstore/db-client/dist/Client/parseConnectionString'];
    try {
      await jest.isolateModulesAsync(async () => {
        for (const name of client) jest.doMock(name, refuse);
        const isolated = (await import('./index')) as typeof import('./index');
        const store = await isolated.openEventStore(':memory:');
        await store.close();
        expect(isolated.isEsdbLocation('esdb://localhost:2113?tls=false')).toBe(true);
        // The mocks are in force: the same module opening EventStoreDB does load the client.
        await expect(isolated.openEventStore('esdb://localhost:2113?tls=false')).rejects.toThrow('the EventStoreDB client was loaded');
      });
    } finally {
      for (const name of client) jest.dontMock(name);
    }
  });

  it('fails fast and names the address and what to check when EventStoreDB is unreachable', async () => {
    const location = `esdb://127.0.0.1:${await closedPort()}?tls=false`;
    const started = Date.now();
    const error = await openEventStore(location).then(() => undefined, (e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(6000);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    const message = (error as Error).message;
    expect(message).toContain(`EventStoreDB at ${location} is unreachable: 14 UNAVAILABLE`);
    expect(message).toContain('ECONNREFUSED');
    expect(message).toContain('(is the server running? for a single insecure node use ?tls=false)');
  });

  it('says which seeds to check when no node of a cluster answers, without showing the password', async () => {
    const port = await closedPort();
    const location = `esdb+discover://admin:s3cret@127.0.0.1:${port},127.0.0.1:${port}?tls=false&maxDiscoverAttempts=2&discoveryInterval=50`;
    const error = await openEventStore(location).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    const message = (error as Error).message;
    expect(message).toContain(`EventStoreDB at esdb+discover://admin:***@127.0.0.1:${port},127.0.0.1:${port}?tls=false`);
    expect(message).toContain('Failed to discover');
    expect(message).toContain('are the cluster\'s nodes running');
    expect(message).not.toContain('s3cret');
  });

  it('refuses a malformed connection string before connecting', async () => {
    await expect(openEventStore('esdb://localhost:2113?tsl=false')).rejects.toThrow(EsdbLocationError);
    await expect(openEventStore('esdb://localhost:2113?tsl=false')).rejects.toThrow('unknown option "tsl"');
  });
});

describe('storeDisplay', () => {
  it('hides the password of an EventStoreDB connection string and shows a path as it is', () => {
    expect(storeDisplay('esdb://admin:changeit@node-1:2113?tls=false')).toBe('esdb://admin:***@node-1:2113?tls=false');
    expect(storeDisplay('/var/lib/derbes/events.db')).toBe('/var/lib/derbes/events.db');
  });
});
