import { UnavailableError } from '@eventstore/db-client';
import type { RecordedEvent } from '../event-store.port';
import { EsdbAllSubscription, type SubscriptionSource } from './esdb-all-subscription';
import { LedgerIndex } from './ledger-index';

const ID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/**
 * A log as the index numbers it, read through `range` as the store reads $all; `failures` makes the next reads fail
 * as a lost node does. The subscription under test is the real one.
 */
function log() {
  const index = new LedgerIndex();
  const events: RecordedEvent[] = [];
  let failures = 0;
  const reads: Array<[number, number]> = [];
  const ended: EsdbAllSubscription[] = [];
  const source: SubscriptionSource = {
    index,
    range: async (from, to) => {
      reads.push([from, to]);
      if (failures > 0) {
        failures--;
        throw new UnavailableError(undefined, '14 UNAVAILABLE: No connection established');
      }
      return events.slice(from - 1, to);
    },
    ended: (s) => ended.push(s),
  };
  const append = (count: number) => {
    for (let i = 0; i < count; i++) {
      const n = events.length + 1;
      // $all positions far apart and uneven, as byte offsets are, with other events between them.
      index.add(ID(n), { commit: BigInt(n * 1000 + (n % 7)), prepare: BigInt(n * 1000 + (n % 7)) });
      events.push({ id: ID(n), type: 'T', streamId: `s-${n % 3}`, revision: 0, position: n, data: { n }, metadata: {}, created: '2026-01-01T00:00:00.000Z' });
    }
  };
  return { source, append, reads, ended, fail: (n: number) => { failures = n; } };
}

async function take(iterator: AsyncIterator<RecordedEvent>, count: number): Promise<number[]> {
  const positions: number[] = [];
  while (positions.length < count) {
    const next = await iterator.next();
    if (next.done) break;
    positions.push(next.value.position);
  }
  return positions;
}

describe('EsdbAllSubscription', () => {
  it('delivers what is numbered after the checkpoint in pages, then what is numbered later', async () => {
    const { source, append, reads } = log();
    append(2500);
    const subscription = new EsdbAllSubscription(source, 1200);
    const iterator = subscription[Symbol.asyncIterator]();
    expect(await take(iterator, 1300)).toEqual(Array.from({ length: 1300 }, (_, i) => 1201 + i));
    expect(reads).toEqual([[1201, 2200], [2201, 2500]]);
    const live = take(iterator, 2);
    append(2);
    expect(await live).toEqual([2501, 2502]);
    await subscription.unsubscribe();
  });

  it('after failed reads reads again from its last delivered position, with no event twice and none skipped', async () => {
    const { source, append, reads, fail } = log();
    append(3);
    const subscription = new EsdbAllSubscription(source, 0);
    const iterator = subscription[Symbol.asyncIterator]();
    expect(await take(iterator, 3)).toEqual([1, 2, 3]);
    fail(2);
    const next = take(iterator, 4);
    append(4);
    expect(await next).toEqual([4, 5, 6, 7]);
    // Two failed reads from 4, then one that succeeds from 4 again (it may see more of the log by then).
    expect(reads.slice(1, 4).map(([from]) => from)).toEqual([4, 4, 4]);
    await subscription.unsubscribe();
  });

  it('ends a pending wait on unsubscribe, and tells its store once', async () => {
    const { source, ended } = log();
    const subscription = new EsdbAllSubscription(source, 0);
    const iterator = subscription[Symbol.asyncIterator]();
    const pending = iterator.next();
    await subscription.unsubscribe();
    await subscription.unsubscribe();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(ended).toEqual([subscription]);
  });

  it('stops within a page when unsubscribed from inside a for-await loop', async () => {
    const { source, append } = log();
    append(5);
    const subscription = new EsdbAllSubscription(source, 0);
    const seen: number[] = [];
    for await (const event of subscription) {
      seen.push(event.position);
      if (event.position === 2) await subscription.unsubscribe();
    }
    expect(seen).toEqual([1, 2]);
  });

  it('gives up on an error that is not transient', async () => {
    const { source, append } = log();
    append(1);
    const broken: SubscriptionSource = { ...source, range: async () => { throw new Error('event x is not a JSON object event'); } };
    const iterator = new EsdbAllSubscription(broken, 0)[Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toThrow('event x is not a JSON object event');
  });
});
