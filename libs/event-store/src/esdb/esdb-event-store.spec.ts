import { randomUUID } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { describeWithEventStore } from '../../../../test/support/eventstore-target';
import { ANY, NO_STREAM, type EventData, type EventStore, type RecordedEvent } from '../event-store.port';
import { StoreUnavailableError } from '../errors';
import { openEventStore } from '../open-event-store';
import { CREATED_KEY } from './event-mapping';
import { parseEsdbLocation } from './esdb-location';

// What only the EventStoreDB adapter does; the port's behaviour itself is the contract suite's (libs/event-store/src/contract).
// Each test has event types of its own, so that the server's other events (earlier runs, other tests) are not its log.

const run = randomUUID().slice(0, 8);
let tests = 0;
function typesOfATest(): [string, string] {
  tests++;
  return [`EsdbHappened-${run}-${tests}`, `EsdbForeign-${run}-${tests}`];
}
const event = (type: string, data: EventData['data'] = {}): EventData => ({ id: randomUUID(), type, data, metadata: { run } });
const stream = (label: string) => `esdb-${label}-${run}-${randomUUID().slice(0, 6)}`;

async function take(iterator: AsyncIterator<RecordedEvent>, count: number, timeoutMs = 45_000): Promise<RecordedEvent[]> {
  const taken: RecordedEvent[] = [];
  const deadline = Date.now() + timeoutMs;
  while (taken.length < count) {
    const next = await Promise.race([iterator.next(), new Promise<'late'>((done) => setTimeout(() => done('late'), Math.max(0, deadline - Date.now())))]);
    if (next === 'late') throw new Error(`${taken.length} of ${count} events arrived within ${timeoutMs} ms`);
    if (next.done === true) throw new Error(`iteration ended after ${taken.length} of ${count} events`);
    taken.push(next.value);
  }
  return taken;
}

/** A TCP proxy in front of the server: cutting it is losing the node, for this client only. */
class NodeProxy {
  private readonly sockets = new Set<Socket>();
  private up = true;
  private constructor(private readonly server: Server, private readonly target: { host: string; port: number }) {}

  static async start(target: { host: string; port: number }): Promise<NodeProxy> {
    const proxy = new NodeProxy(createServer((client) => proxy.accept(client)), target);
    await new Promise<void>((done) => proxy.server.listen(0, '127.0.0.1', done));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  /** Drops every connection and refuses new ones. */
  cut(): void {
    this.up = false;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  restore(): void {
    this.up = true;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise((done) => this.server.close(done));
  }

  private accept(client: Socket): void {
    if (!this.up) {
      client.destroy();
      return;
    }
    const upstream = connect(this.target.port, this.target.host);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  }
}

/** The same connection string, to another address. */
function through(url: string, port: number): string {
  return url.replace(/^(esdb(?:\+discover)?:\/\/(?:[^@/?]*@)?)[^/?]*/, `$1127.0.0.1:${port}`).replace(/^esdb\+discover:/, 'esdb:');
}

describeWithEventStore('EsdbEventStore on a running EventStoreDB', (server) => {
  const opened: EventStore[] = [];
  async function open(types: readonly string[], url = server.url()): Promise<EventStore> {
    const store = await openEventStore(url, { eventTypes: types });
    opened.push(store);
    return store;
  }
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });

  it('numbers the log alike in another instance and after a reopen (the index is rebuilt from $all)', async () => {
    const [type] = typesOfATest();
    const first = await open([type]);
    const [a, b] = [stream('a'), stream('b')];
    await first.appendToStream(a, [event(type), event(type)], NO_STREAM);
    await first.appendMany([{ streamId: b, events: [event(type)], expectedRevision: NO_STREAM }, { streamId: a, events: [event(type)], expectedRevision: 1 }]);
    const log = await first.readAll();
    expect(log.map((e) => e.position)).toEqual([1, 2, 3, 4]);
    const second = await open([type]);
    expect(await second.readAll()).toEqual(log);
    await first.close();
    const reopened = await open([type]);
    expect(await reopened.lastPosition()).toBe(4);
    expect(await reopened.readAll()).toEqual(log);
    expect(await reopened.readEventById(log[2]!.id)).toEqual(log[2]);
  });

  it('lets another instance read what one wrote as soon as it answers (read-your-writes across replicas)', async () => {
    const [type] = typesOfATest();
    const [writer, reader] = [await open([type]), await open([type])];
    for (let i = 0; i < 5; i++) {
      const written = await writer.appendToStream(stream('ryw'), [event(type, { i })], NO_STREAM);
      const position = written.events[0]!.position;
      expect(await reader.lastPosition()).toBeGreaterThanOrEqual(position);
      expect((await reader.readEventById(written.events[0]!.id))?.position).toBe(position);
    }
  });

  it('leaves events of other types out of the log, keeping it dense, and refuses to append them', async () => {
    const [type, foreign] = typesOfATest();
    const store = await open([type]);
    const client = EventStoreDBClient.connectionString(server.url());
    try {
      const s = stream('mixed');
      await store.appendToStream(s, [event(type)], NO_STREAM);
      await client.appendToStream(stream('other-app'), jsonEvent({ type: foreign, data: {} }));
      await store.appendToStream(s, [event(type)], 0);
      expect((await store.readAll()).map((e) => [e.type, e.position])).toEqual([[type, 1], [type, 2]]);
      await expect(store.appendToStream(s, [event(foreign)], ANY)).rejects.toThrow(`type ${foreign} is not one of the ledger's`);
    } finally {
      await client.dispose();
    }
  });

  it('keeps an imported event\'s commit time in its metadata under the reserved key and gives it back as created', async () => {
    const [type] = typesOfATest();
    const store = await open([type]);
    const imported: RecordedEvent = {
      id: randomUUID(), type, streamId: stream('imported'), revision: 0, position: 1,
      data: { n: 1 }, metadata: { correlationId: 'c-9' }, created: '2019-05-06T07:08:09.010Z',
    };
    await store.importEvents([imported]);
    expect(await store.readEventById(imported.id)).toEqual(imported);
    const client = EventStoreDBClient.connectionString(server.url());
    try {
      const raw = [];
      for await (const resolved of client.readStream(imported.streamId)) raw.push(resolved.event);
      expect(raw[0]?.metadata).toEqual({ correlationId: 'c-9', [CREATED_KEY]: '2019-05-06T07:08:09.010Z' });
      expect(raw[0]?.created.toISOString()).not.toBe(imported.created);
    } finally {
      await client.dispose();
    }
  });

  it('after the node is lost and back: appends fail as unavailable meanwhile, and a subscription delivers every event once', async () => {
    const [type] = typesOfATest();
    const [host, port] = parseEsdbLocation(server.url()).hosts[0]!.split(':') as [string, string];
    const proxy = await NodeProxy.start({ host, port: Number(port) });
    try {
      const writer = await open([type]);
      const behind = await open([type], through(server.url(), proxy.port));
      const s = stream('lost');
      await writer.appendToStream(s, [event(type), event(type)], NO_STREAM);
      const subscription = behind.subscribeToAll();
      const iterator = subscription[Symbol.asyncIterator]();
      try {
        expect((await take(iterator, 2)).map((e) => e.position)).toEqual([1, 2]);
        proxy.cut();
        const refused = await behind.appendToStream(stream('lost'), [event(type)], NO_STREAM).catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(StoreUnavailableError);
        expect((refused as Error).message).toContain(`EventStoreDB at esdb://127.0.0.1:${proxy.port}`);
        await writer.appendToStream(s, [event(type), event(type), event(type)], 1);
        proxy.restore();
        expect((await take(iterator, 3)).map((e) => e.position)).toEqual([3, 4, 5]);
        const after = await behind.appendToStream(s, [event(type)], 4);
        expect(after.events[0]?.position).toBe(6);
        expect((await take(iterator, 1)).map((e) => e.position)).toEqual([6]);
      } finally {
        await subscription.unsubscribe();
      }
    } finally {
      await proxy.close();
    }
  }, 120_000);
});
