import { ANY, NO_STREAM, SqliteEventStore } from '../index';
import { event, now, range, take, useTempFiles } from './spec-helpers';

const newFile = useTempFiles();

describe.each([
  ['in memory', (): string => ':memory:'],
  ['on a file', newFile],
])('SqliteEventStore.subscribeToAll %s', (_, location) => {
  let store: SqliteEventStore;
  beforeEach(() => { store = SqliteEventStore.open(location(), { now, pollIntervalMs: 20 }); });
  afterEach(() => store.close());

  it('catches up from the start, then delivers live events, without gaps or repeats', async () => {
    await store.appendToStream('a', range(1, 1500).map(() => event()), NO_STREAM);
    const subscription = store.subscribeToAll();
    const iterator = subscription[Symbol.asyncIterator]();
    const caughtUp = await take(iterator, 1500);
    const live = take(iterator, 3);
    await store.appendToStream('b', [event()], NO_STREAM);
    await store.appendToStream('c', [event(), event()], NO_STREAM);
    const all = [...caughtUp, ...(await live)];
    expect(all.map((e) => e.position)).toEqual(range(1, 1503));
    await subscription.unsubscribe();
  });

  it('is woken by its own store\'s commits, not by the poll', async () => {
    const slowPoll = SqliteEventStore.open(location(), { now, pollIntervalMs: 60_000 });
    const subscription = slowPoll.subscribeToAll();
    const pending = take(subscription[Symbol.asyncIterator](), 1);
    await slowPoll.appendToStream('a', [event()], NO_STREAM);
    expect((await pending).map((e) => e.position)).toEqual([1]);
    await slowPoll.close();
  });

  it('starts after a checkpoint', async () => {
    await store.appendToStream('a', [event(), event(), event()], NO_STREAM);
    const subscription = store.subscribeToAll({ after: 2 });
    const iterator = subscription[Symbol.asyncIterator]();
    const pending = take(iterator, 2);
    await store.appendToStream('a', [event()], 2);
    expect((await pending).map((e) => e.position)).toEqual([3, 4]);
    await subscription.unsubscribe();
  });

  it('keeps events for a consumer that pulls late', async () => {
    const subscription = store.subscribeToAll();
    const iterator = subscription[Symbol.asyncIterator]();
    const first = take(iterator, 1);
    await store.appendToStream('a', [event()], ANY);
    await first;
    // The consumer is busy while three more appends commit.
    for (const i of range(1, 3)) await store.appendToStream(`x-${i}`, [event()], ANY);
    expect((await take(iterator, 3)).map((e) => e.position)).toEqual([2, 3, 4]);
    await subscription.unsubscribe();
  });

  it('unsubscribe ends a pending wait and the iteration', async () => {
    const subscription = store.subscribeToAll();
    const iterator = subscription[Symbol.asyncIterator]();
    const pending = iterator.next();
    await subscription.unsubscribe();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('ends with for-await when unsubscribed from inside the loop', async () => {
    await store.appendToStream('a', [event(), event(), event()], ANY);
    const subscription = store.subscribeToAll();
    const seen: number[] = [];
    for await (const recorded of subscription) {
      seen.push(recorded.position);
      if (recorded.position === 2) await subscription.unsubscribe();
    }
    expect(seen).toEqual([1, 2]);
  });
});

describe('SqliteEventStore.subscribeToAll across stores', () => {
  it('a second store on the same file sees the first one\'s appends through polling', async () => {
    const path = newFile();
    const writer = SqliteEventStore.open(path, { now });
    const reader = SqliteEventStore.open(path, { now, pollIntervalMs: 10 });
    await writer.appendToStream('a', [event()], NO_STREAM);
    const subscription = reader.subscribeToAll();
    const iterator = subscription[Symbol.asyncIterator]();
    expect((await take(iterator, 1))[0]?.position).toBe(1);
    const live = take(iterator, 2);
    await writer.appendToStream('b', [event(), event()], NO_STREAM);
    expect((await live).map((e) => e.position)).toEqual([2, 3]);
    await reader.close();
    await writer.close();
  });

});
