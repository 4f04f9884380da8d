import { START, UnavailableError, type AllStreamResolvedEvent, type EventStoreDBClient, type Position } from '@eventstore/db-client';
import { IndexFollower } from './index-follower';
import { ledgerFilter } from './ledger-filter';
import { LedgerIndex } from './ledger-index';

const ID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const at = (n: number): Position => ({ commit: BigInt(n * 100), prepare: BigInt(n * 100) });
const event = (n: number, type = 'Recorded'): AllStreamResolvedEvent =>
  ({ event: { id: ID(n), type, streamId: 's', revision: BigInt(n), isJson: true, data: {}, metadata: {}, created: new Date(0), position: at(n) } }) as AllStreamResolvedEvent;

/**
 * The server's side of subscribeToAll, one script per subscription: events to deliver, then either an error (the
 * node is lost) or a wait until unsubscribed. The follower under test is the real one.
 */
function server(scripts: Array<{ events: AllStreamResolvedEvent[]; then: 'fail' | 'wait'; confirmed?: false }>) {
  const calls: Array<Position | typeof START> = [];
  const client = {
    subscribeToAll: ({ fromPosition }: { fromPosition: Position | typeof START }) => {
      calls.push(fromPosition);
      const script = scripts.shift() ?? { events: [], then: 'wait' as const };
      let stop: () => void = () => undefined;
      const stopped = new Promise<void>((resolve) => { stop = resolve; });
      const listeners: Array<() => void> = [];
      return {
        on: (name: string, listener: () => void) => { if (name === 'confirmation') listeners.push(listener); },
        unsubscribe: async () => stop(),
        async *[Symbol.asyncIterator]() {
          if (script.confirmed !== false) for (const listener of listeners) listener();
          yield* script.events;
          if (script.then === 'fail') throw new UnavailableError(undefined, '14 UNAVAILABLE: Connection dropped');
          await stopped;
        },
      };
    },
  } as unknown as EventStoreDBClient;
  return { client, calls };
}

describe('IndexFollower', () => {
  it('numbers the ledger\'s events, resubscribes after the last one when the node is lost, and numbers none twice', async () => {
    const { client, calls } = server([
      { events: [event(1), event(2, 'OtherApp'), event(3)], then: 'fail' },
      { events: [event(3), event(4)], then: 'wait' }, // the boundary delivered again, then what came meanwhile
    ]);
    const index = new LedgerIndex();
    const follower = new IndexFollower(client, index, ledgerFilter(['Recorded']));
    follower.start();
    expect(await index.waitFor(() => index.lastPosition === 3, 2000)).toBe(true);
    await follower.stop();
    expect(calls).toEqual([START, at(3)]);
    expect([ID(1), ID(3), ID(4)].map((id) => index.positionOfId(id))).toEqual([1, 2, 3]);
    expect(index.positionOfId(ID(2))).toBeUndefined();
    expect(follower.lastError).toBeUndefined(); // confirmed again by the server after the failure
  });

  it('keeps the failure for messages while the node does not come back, and backs off between tries', async () => {
    const { client, calls } = server([
      { events: [event(1)], then: 'fail' },
      ...Array.from({ length: 5 }, () => ({ events: [], then: 'fail' as const, confirmed: false as const })),
    ]);
    const index = new LedgerIndex();
    const follower = new IndexFollower(client, index, ledgerFilter());
    const started = Date.now();
    follower.start();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await follower.stop();
    // 100, 200 then 400 ms apart: three or four subscriptions in half a second, not a busy loop.
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(calls.length).toBeLessThanOrEqual(5);
    expect(calls.slice(1)).toEqual(calls.slice(1).map(() => at(1)));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(follower.lastError?.message).toBe('14 UNAVAILABLE: Connection dropped');
  });
});
