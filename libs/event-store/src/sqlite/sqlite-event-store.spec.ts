import {
  ANY, DuplicateEventIdError, NO_STREAM, STREAM_EXISTS, SqliteEventStore, StoreUnavailableError,
  WrongExpectedVersionError,
} from '../index';
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

  describe('expected revision', () => {
    it('ANY appends to a missing and to an existing stream', async () => {
      expect((await store.appendToStream('s', [event()], ANY)).nextExpectedRevision).toBe(0);
      expect((await store.appendToStream('s', [event(), event()], ANY)).nextExpectedRevision).toBe(2);
    });

    it('NO_STREAM appends only to a missing stream', async () => {
      await store.appendToStream('s', [event()], NO_STREAM);
      const error = await rejection(store.appendToStream('s', [event()], NO_STREAM));
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ streamId: 's', expected: NO_STREAM, actual: 0 });
    });

    it('STREAM_EXISTS appends only to a stream with events', async () => {
      const error = await rejection(store.appendToStream('s', [event()], STREAM_EXISTS));
      expect(error).toMatchObject({ name: 'WrongExpectedVersionError', streamId: 's', expected: STREAM_EXISTS, actual: 'no_stream' });
      await store.appendToStream('s', [event()], ANY);
      expect((await store.appendToStream('s', [event()], STREAM_EXISTS)).nextExpectedRevision).toBe(1);
    });

    it('a number must be the revision of the last event', async () => {
      await store.appendToStream('s', [event(), event()], NO_STREAM);
      expect(await rejection(store.appendToStream('s', [event()], 0)))
        .toMatchObject({ streamId: 's', expected: 0, actual: 1 });
      expect(await rejection(store.appendToStream('missing', [event()], 0)))
        .toMatchObject({ streamId: 'missing', expected: 0, actual: 'no_stream' });
      const result = await store.appendToStream('s', [event()], 1);
      expect(result.nextExpectedRevision).toBe(2);
      expect(result.events.map((e) => e.revision)).toEqual([2]);
    });

    it('an empty append checks the expectation, stores nothing and returns the current revision', async () => {
      expect(await store.appendToStream('s', [], NO_STREAM)).toEqual({ nextExpectedRevision: -1, events: [] });
      // -1 round-trips: it stands for "no stream".
      await store.appendToStream('s', [event()], -1);
      expect(await store.appendToStream('s', [], 0)).toEqual({ nextExpectedRevision: 0, events: [] });
      expect(await rejection(store.appendToStream('s', [], NO_STREAM))).toBeInstanceOf(WrongExpectedVersionError);
      expect(await store.lastPosition()).toBe(1);
    });

    it('of two appends with the same expectation exactly one wins', async () => {
      await store.appendToStream('s', [event()], NO_STREAM);
      const outcomes = await Promise.allSettled([
        store.appendToStream('s', [event('first')], 0),
        store.appendToStream('s', [event('second')], 0),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected']);
      expect((await store.readStream('s')).map((e) => e.id)).toEqual([expect.any(String), 'first']);
    });

    it('invalid input fails its own request only', async () => {
      const outcomes = await Promise.allSettled([
        store.appendToStream('a', [event()], ANY),
        store.appendToStream('b', [event()], 'nope' as never),
        store.appendToStream('c', [{ ...event(), data: undefined as never }], ANY),
        store.appendToStream('d', [event()], ANY),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
      expect((await store.readAll()).map((e) => e.streamId)).toEqual(['a', 'd']);
    });
  });

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

  describe('appendMany', () => {
    it('commits all operations, a stream twice included', async () => {
      const results = await store.appendMany([
        { streamId: 'a', events: [event()], expectedRevision: NO_STREAM },
        { streamId: 'b', events: [event(), event()], expectedRevision: NO_STREAM },
        { streamId: 'a', events: [event()], expectedRevision: 0 },
      ]);
      expect(results.map((r) => r.nextExpectedRevision)).toEqual([0, 1, 1]);
      expect(results.flatMap((r) => r.events.map((e) => e.position))).toEqual([1, 2, 3, 4]);
    });

    it('stores nothing when the third operation conflicts, and others in the group still commit', async () => {
      await store.appendToStream('c', [event()], NO_STREAM);
      const [many, other] = await Promise.allSettled([
        store.appendMany([
          { streamId: 'a', events: [event()], expectedRevision: NO_STREAM },
          { streamId: 'b', events: [event()], expectedRevision: ANY },
          { streamId: 'c', events: [event()], expectedRevision: NO_STREAM },
        ]),
        store.appendToStream('d', [event()], NO_STREAM),
      ]);
      expect(many).toMatchObject({ status: 'rejected', reason: { name: 'WrongExpectedVersionError', streamId: 'c', actual: 0 } });
      expect(other.status).toBe('fulfilled');
      expect(await store.readStream('a')).toEqual([]);
      expect(await store.readStream('b')).toEqual([]);
      expect((await store.readAll()).map((e) => [e.streamId, e.position])).toEqual([['c', 1], ['d', 2]]);
    });

    it('resolves to [] for no operations', async () => {
      expect(await store.appendMany([])).toEqual([]);
    });
  });

  describe('event ids', () => {
    it('rejects an id already stored and writes nothing of that append', async () => {
      await store.appendToStream('a', [event('dup')], ANY);
      const error = await rejection(store.appendToStream('b', [event('fresh'), event('dup')], ANY));
      expect(error).toBeInstanceOf(DuplicateEventIdError);
      expect(error).toMatchObject({ eventId: 'dup' });
      expect(await store.readEventById('fresh')).toBeUndefined();
      expect(await store.readStream('b')).toEqual([]);
    });

    it('rejects an id repeated within one appendMany', async () => {
      const error = await rejection(store.appendMany([
        { streamId: 'a', events: [event('same')], expectedRevision: ANY },
        { streamId: 'b', events: [event('same')], expectedRevision: ANY },
      ]));
      expect(error).toMatchObject({ name: 'DuplicateEventIdError', eventId: 'same' });
      expect(await store.lastPosition()).toBe(0);
    });
  });

  describe('reads', () => {
    beforeEach(async () => {
      await store.appendToStream('a', [event('a0'), event('a1')], NO_STREAM);
      await rejection(store.appendToStream('a', [event('lost')], NO_STREAM));
      await store.appendToStream('b', [event('b0')], NO_STREAM);
      await store.appendToStream('a', [event('a2'), event('a3')], 1);
    });

    it('numbers the global log 1, 2, 3... across streams, without gaps after failed appends', async () => {
      const all = await store.readAll();
      expect(all.map((e) => [e.id, e.position])).toEqual([['a0', 1], ['a1', 2], ['b0', 3], ['a2', 4], ['a3', 5]]);
      expect(await store.lastPosition()).toBe(5);
    });

    it('readAll returns events after a position, at most maxCount', async () => {
      expect((await store.readAll({ after: 2, maxCount: 2 })).map((e) => e.id)).toEqual(['b0', 'a2']);
      expect((await store.readAll({ after: 5 }))).toEqual([]);
      expect((await store.readAll({ maxCount: 0 }))).toEqual([]);
    });

    it('readStream returns a stream from a revision, at most maxCount, or [] when missing', async () => {
      expect((await store.readStream('a')).map((e) => e.revision)).toEqual([0, 1, 2, 3]);
      expect((await store.readStream('a', { fromRevision: 1, maxCount: 2 })).map((e) => e.id)).toEqual(['a1', 'a2']);
      expect(await store.readStream('missing')).toEqual([]);
    });

    it('readEventById finds an event wherever it is', async () => {
      expect(await store.readEventById('b0')).toMatchObject({ streamId: 'b', revision: 0, position: 3 });
      expect(await store.readEventById('lost')).toBeUndefined();
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
