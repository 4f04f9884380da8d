// What every event store does is in the contract suite (../contract/event-store.contract.ts), which runs against this
// store too. Here is what is the embedded store's own: group commit (imports included), its clock, its connection,
// faults of the file, close, several stores on one file.
import {
  ANY, DuplicateEventIdError, ImportMismatchError, NO_STREAM, STREAM_EXISTS, SqliteEventStore, StoreUnavailableError,
  WrongExpectedVersionError, storedTextOf, type JsonObject, type RecordedEvent,
} from '../index';
import Database from 'better-sqlite3';
import { keepStoredJson } from '@derbes/canonical-json';
import { CLOCK, event, now, range, rejection, useTempFiles } from './spec-helpers';

const newFile = useTempFiles();

describe.each([
  ['in memory', (): string => ':memory:', 'inline'],
  ['on a file, writing on its writer thread', newFile, 'thread'],
  ['on a file, writing on the calling thread', newFile, 'inline'],
] as const)('SqliteEventStore %s', (_, location, writer) => {
  let store: SqliteEventStore;
  beforeEach(() => { store = SqliteEventStore.open(location(), { now, pollIntervalMs: 20, writer }); });
  afterEach(() => store.close());

  describe('group commit', () => {
    it('appends made in the same tick get consecutive positions; a conflicting one fails alone', async () => {
      const outcomes = await Promise.allSettled(range(0, 49).map((i) =>
        store.appendToStream(`s-${i}`, [event(`g-${i}`)], i === 20 ? STREAM_EXISTS : NO_STREAM)));
      const failed = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [i] : []));
      expect(failed).toEqual([20]);
      const positions = outcomes.flatMap((o) => (o.status === 'fulfilled' ? o.value.events.map((e) => e.position) : []));
      expect(positions).toEqual(range(1, 49));
      const stored = await store.readAll();
      expect(stored.map((e) => e.position)).toEqual(range(1, 49));
      expect(stored.map((e) => e.id)).toEqual(range(0, 49).filter((i) => i !== 20).map((i) => `g-${i}`));
    });

    it('a single-event append with a duplicate id fails alone', async () => {
      await store.appendToStream('a', [event('taken')], ANY);
      const outcomes = await Promise.allSettled([
        store.appendToStream('b', [event('b0')], ANY),
        store.appendToStream('c', [event('taken')], ANY),
        store.appendToStream('d', [event('d0')], ANY),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(outcomes[1]).toMatchObject({ reason: expect.any(DuplicateEventIdError) });
      expect((await store.readAll()).map((e) => [e.id, e.position])).toEqual([['taken', 1], ['b0', 2], ['d0', 3]]);
    });

    it('leaves no trace of a new stream whose only event was refused', async () => {
      await store.appendToStream('a', [event('taken')], ANY);
      await expect(store.appendToStream('fresh', [event('taken')], NO_STREAM)).rejects.toBeInstanceOf(DuplicateEventIdError);
      const connection = (store as unknown as { db: { prepare(sql: string): { get(name: string): unknown } } }).db;
      expect(connection.prepare('SELECT id FROM streams WHERE name = ?').get('fresh')).toBeUndefined();
      const result = await store.appendToStream('fresh', [event('f0')], NO_STREAM);
      expect(result).toMatchObject({ nextExpectedRevision: 0, events: [{ id: 'f0', revision: 0, position: 2 }] });
    });

    it('applies requests in arrival order, each seeing the ones before it', async () => {
      const [first, second, third] = await Promise.allSettled([
        store.appendToStream('s', [event()], NO_STREAM),
        store.appendToStream('s', [event(), event()], 0),
        store.appendToStream('s', [event()], 0),
      ]);
      expect(first).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 0 } });
      expect(second).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 2 } });
      expect(third).toMatchObject({ status: 'rejected', reason: { expected: 0, actual: 2 } });
    });

    it('stamps created with the clock and round-trips data and metadata', async () => {
      const data = { name: 'Әлия', amounts: [1, 2.5], nested: { ok: true, none: null } };
      await store.appendToStream('s', [event('x', data)], ANY);
      expect(await store.readEventById('x')).toEqual({
        id: 'x', type: 'Happened', streamId: 's', revision: 0, position: 1, data,
        metadata: { correlationId: 'c-1' }, created: CLOCK.toISOString(),
      });
    });
  });

  describe('importEvents in a group', () => {
    const imported = (id: string, streamId: string, revision: number, position: number): RecordedEvent => ({
      id, type: 'Imported', streamId, revision, position, data: { id }, metadata: {}, created: '2021-05-06T07:08:09.010Z',
    });

    it('is checked against the log as the appends queued before it left it, not as it was when called', async () => {
      const [append, late] = await Promise.allSettled([
        store.appendToStream('a', [event('appended')], NO_STREAM),
        store.importEvents([imported('i-1', 'x', 0, 1)]),
      ]);
      expect(append.status).toBe('fulfilled');
      expect(late).toMatchObject({ status: 'rejected', reason: expect.any(ImportMismatchError) });
      expect(late).toMatchObject({ reason: { eventId: 'i-1', expectedPosition: 1, actualPosition: 2 } });
      expect((await store.readAll()).map((e) => e.id)).toEqual(['appended']);
    });

    it('an import that fails half-way leaves nothing of itself, and the other requests of its group commit', async () => {
      const outcomes = await Promise.allSettled([
        store.importEvents([imported('i-1', 'x', 0, 1), imported('i-2', 'x', 0, 2)]),
        store.appendToStream('a', [event('after')], NO_STREAM),
      ]);
      expect(outcomes[0]).toMatchObject({ status: 'rejected', reason: expect.any(WrongExpectedVersionError) });
      expect(outcomes[1]).toMatchObject({ status: 'fulfilled', value: { events: [{ position: 1 }] } });
      expect(await store.readStream('x')).toEqual([]);
      const connection = (store as unknown as { db: { prepare(sql: string): { get(name: string): unknown } } }).db;
      expect(connection.prepare('SELECT id FROM streams WHERE name = ?').get('x')).toBeUndefined();
    });

    it('keeps the imported stream\'s revision for the appends after it', async () => {
      await store.importEvents([imported('i-1', 'x', 0, 1), imported('i-2', 'x', 1, 2)]);
      expect(await rejection(store.appendToStream('x', [event()], 0))).toMatchObject({ expected: 0, actual: 1 });
      expect((await store.appendToStream('x', [event()], 1)).events).toEqual([{ id: expect.any(String), revision: 2, position: 3 }]);
    });
  });

  describe('when a commit fails', () => {
    it('rejects the whole group with StoreUnavailableError, keeps reads working and recovers', async () => {
      await store.appendToStream('a', [event('kept')], ANY);
      await store.writerPragma('query_only = ON');
      const outcomes = await Promise.allSettled([
        store.appendToStream('a', [event()], 0),
        store.appendToStream('b', [event()], STREAM_EXISTS),
        store.appendMany([{ streamId: 'c', events: [event()], expectedRevision: ANY }]),
      ]);
      for (const outcome of outcomes) {
        expect(outcome).toMatchObject({ status: 'rejected', reason: expect.any(StoreUnavailableError) });
        expect((outcome as PromiseRejectedResult).reason.cause).toMatchObject({ code: 'SQLITE_READONLY' });
      }
      expect((await store.readAll()).map((e) => e.id)).toEqual(['kept']);
      await store.writerPragma('query_only = OFF');
      expect((await store.appendToStream('a', [event()], 0)).events).toEqual([{ id: expect.any(String), revision: 1, position: 2 }]);
    });

    it('reports a full disk as StoreUnavailableError', async () => {
      await store.appendToStream('a', [event()], ANY);
      const [{ page_count: pages }] = await store.writerPragma('page_count') as [{ page_count: number }];
      await store.writerPragma(`max_page_count = ${pages}`);
      const error = await rejection(store.appendToStream('a', [event('big', { text: 'ж'.repeat(50_000) })], ANY));
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as StoreUnavailableError).cause).toMatchObject({ code: 'SQLITE_FULL' });
      expect(await store.readEventById('big')).toBeUndefined();
      await store.writerPragma('max_page_count = 1073741823');
      expect((await store.appendToStream('a', [event()], 0)).nextExpectedRevision).toBe(1);
    });
  });

  describe('close', () => {
    it('commits appends still queued, ends subscriptions, then refuses appends', async () => {
      const subscription = store.subscribeToAll({ after: 1 });
      const pendingNext = subscription[Symbol.asyncIterator]().next();
      const queued = store.appendToStream('a', [event()], NO_STREAM);
      await store.close();
      expect((await queued).events[0]?.position).toBe(1);
      expect(await pendingNext).toEqual({ done: true, value: undefined });
      const error = await rejection(store.appendToStream('a', [event()], ANY));
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).message).toBe('store is closed');
      await store.close();
    });
  });
});

describe('SqliteEventStore on a shared file', () => {
  it('keeps everything across close and reopen', async () => {
    const path = newFile();
    const first = SqliteEventStore.open(path, { now });
    await first.appendToStream('a', [event('one'), event('two')], NO_STREAM);
    await first.close();
    const second = SqliteEventStore.open(path, { now });
    expect((await second.readStream('a')).map((e) => e.id)).toEqual(['one', 'two']);
    expect((await second.appendToStream('a', [event()], 1)).events[0]).toMatchObject({ revision: 2, position: 3 });
    await second.close();
  });

  it('names the streams of the log it reads, also streams another store created after its last read', async () => {
    const path = newFile();
    const reader = SqliteEventStore.open(path, { now });
    const writer = SqliteEventStore.open(path, { now });
    await writer.appendToStream('first', [event('one')], NO_STREAM);
    expect((await reader.readAll()).map((e) => e.streamId)).toEqual(['first']);
    await writer.appendToStream('second', [event('two')], NO_STREAM);
    await writer.appendToStream('first', [event('three')], ANY);
    await writer.appendToStream('third', [event('four')], NO_STREAM);
    expect((await reader.readAll()).map((e) => [e.id, e.streamId])).toEqual([['one', 'first'], ['two', 'second'], ['three', 'first'], ['four', 'third']]);
    expect((await reader.readAll({ after: 3 })).map((e) => e.streamId)).toEqual(['third']);
    await writer.close();
    await reader.close();
  });

  it('gives the stored text of the events it reads from the log (storedTextOf), hidden from JSON and from copies', async () => {
    const store = SqliteEventStore.open(':memory:', { now });
    await store.appendToStream('s', [{ id: 'x', type: 'Happened', data: { b: 'Қ', a: 1 }, metadata: { schemaVersion: 1 } }], ANY);
    const [read] = await store.readAll();
    expect(storedTextOf(read!)).toEqual({ data: '{"a":1,"b":"Қ"}', metadata: '{"schemaVersion":1}' });
    expect(Object.keys(read!)).toEqual(['id', 'type', 'streamId', 'revision', 'position', 'data', 'metadata', 'created']);
    expect(storedTextOf({ ...read! })).toBeUndefined();
    expect(storedTextOf(JSON.parse(JSON.stringify(read)) as RecordedEvent)).toBeUndefined();
    await store.close();
  });

  it('of two stores appending with the same expectation exactly one wins', async () => {
    const path = newFile();
    const left = SqliteEventStore.open(path, { now });
    const right = SqliteEventStore.open(path, { now });
    const outcomes = await Promise.allSettled([
      left.appendToStream('s', [event()], NO_STREAM),
      right.appendToStream('s', [event()], NO_STREAM),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.find((o) => o.status === 'rejected')).toMatchObject({ reason: expect.any(WrongExpectedVersionError) });
    expect(await left.lastPosition()).toBe(1);
    await left.close();
    await right.close();
  });
});

describe('SqliteEventStore stored text', () => {
  /** The data and metadata columns as the file holds them. */
  function storedText(path: string): Array<{ data: string; metadata: string }> {
    const db = new Database(path, { readonly: true });
    try {
      return db.prepare<[], { data: string; metadata: string }>('SELECT data, metadata FROM events ORDER BY position').all();
    } finally {
      db.close();
    }
  }

  it.each(['thread', 'inline'] as const)('writes data and metadata as canonical JSON, keys sorted at every depth (writer %s)', async (writer) => {
    const path = newFile();
    const store = SqliteEventStore.open(path, { now, writer });
    const data = { z: 1, a: { y: 'Қ\n', b: [{ d: 1, c: 2 }] }, gone: undefined, when: new Date('2025-03-01T10:00:00.000Z') };
    await store.appendToStream('s', [{ id: 'x', type: 'Happened', data: data as unknown as JsonObject, metadata: { schemaVersion: 1, correlationId: 'c' } }], ANY);
    await store.close();
    expect(storedText(path)).toEqual([{
      data: '{"a":{"b":[{"c":2,"d":1}],"y":"Қ\\n"},"when":"2025-03-01T10:00:00.000Z","z":1}',
      metadata: '{"correlationId":"c","schemaVersion":1}',
    }]);
  });

  it('writes the text a caller kept with keepStoredJson (what it hashed), not the object written again', async () => {
    const path = newFile();
    const store = SqliteEventStore.open(path, { now });
    const data: JsonObject = { b: 1, a: 2 };
    expect(keepStoredJson(data)).toBe('{"a":2,"b":1}');
    data.c = 3; // changed after it was hashed: the store still writes what was hashed
    await store.appendToStream('s', [{ id: 'x', type: 'Happened', data, metadata: {} }], ANY);
    await store.close();
    expect(storedText(path)[0]!.data).toBe('{"a":2,"b":1}');
  });

  it('refuses data that is not a JSON object before anything is written', async () => {
    const store = SqliteEventStore.open(':memory:', { now });
    for (const data of [[1], null, new Date(0), 'text']) {
      await expect(store.appendToStream('s', [{ id: 'x', type: 'Happened', data: data as unknown as JsonObject, metadata: {} }], ANY))
        .rejects.toThrow('data and metadata must be JSON objects');
    }
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(store.appendToStream('s', [{ id: 'x', type: 'Happened', data: cyclic as JsonObject, metadata: {} }], ANY))
      .rejects.toThrow('data and metadata must be JSON objects');
    expect(await store.lastPosition()).toBe(0);
    await store.close();
  });
});
