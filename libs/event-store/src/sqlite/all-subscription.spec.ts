// What every store's subscriptions do is in the contract suite (../contract/subscriptions.contract.ts); here is how
// the embedded store's subscriptions find new events: its own commits wake them, another connection's appends are polled for.
import { NO_STREAM, SqliteEventStore } from '../index';
import { event, now, take, useTempFiles } from './spec-helpers';

const newFile = useTempFiles();

describe.each([
  ['in memory', (): string => ':memory:'],
  ['on a file', newFile],
])('SqliteEventStore.subscribeToAll %s', (_, location) => {
  it('is woken by its own store\'s commits, not by the poll', async () => {
    const slowPoll = SqliteEventStore.open(location(), { now, pollIntervalMs: 60_000 });
    const subscription = slowPoll.subscribeToAll();
    const pending = take(subscription[Symbol.asyncIterator](), 1);
    await slowPoll.appendToStream('a', [event()], NO_STREAM);
    expect((await pending).map((e) => e.position)).toEqual([1]);
    await slowPoll.close();
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
