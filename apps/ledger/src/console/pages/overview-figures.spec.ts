import type { QueryBus } from '@nestjs/cqrs';
import { Clock } from '../../clock';
import type { LedgerConfig } from '../../config/ledger-config';
import { OVERVIEW_TTL_MS, OverviewFigures } from './overview-figures';

/** The read-model queries the figures run: answered at once (or failing, when told to), and counted. */
function countedQueries() {
  let asked = 0;
  let failing = false;
  const bus = {
    execute: async () => {
      asked++;
      if (failing) throw new Error('the read model is being built');
      return {};
    },
  } as unknown as QueryBus;
  return { bus, asked: () => asked, fail: (on: boolean) => { failing = on; } };
}

/** Lets the event loop turn enough times for a whole computation (five queries, one per turn) to run. */
async function turns(n = 20): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}

describe('OverviewFigures', () => {
  let clock: number;
  let second: number;
  const figures = (bus: QueryBus) => new OverviewFigures(bus, new (class extends Clock {
    override now() { return new Date(Date.UTC(2026, 10, 25, 12, 0, second++)); }
  })(), { utcOffsetMinutes: 300 } as LedgerConfig, () => clock);
  beforeEach(() => { clock = 0; second = 0; });

  it('makes them on the first load, one query per turn of the event loop, and reuses them while fresh', async () => {
    const q = countedQueries();
    const overview = figures(q.bus);
    const first = overview.get('en');
    await turns(1);
    expect(q.asked()).toBe(1);
    const a = await first;
    expect(q.asked()).toBe(5);
    expect(a.asOf).toBe('2026-11-25T12:00:00.000Z');
    clock = OVERVIEW_TTL_MS - 1;
    expect(await overview.get('en')).toBe(a);
    await turns();
    expect(q.asked()).toBe(5);
  });

  it('answers a load with the last figures at once when they are older, and has fresh ones made once, after it, for the next', async () => {
    const q = countedQueries();
    const overview = figures(q.bus);
    const a = await overview.get('en');
    clock = OVERVIEW_TTL_MS;
    const [x, y] = await Promise.all([overview.get('en'), overview.get('en')]);
    expect([x, y]).toEqual([a, a]);
    expect(q.asked()).toBe(5);
    await turns();
    expect(q.asked()).toBe(10);
    expect((await overview.get('en')).asOf).toBe('2026-11-25T12:00:01.000Z');
  });

  it('keeps the last figures when fresh ones cannot be made, and tries again on a later load', async () => {
    const q = countedQueries();
    const overview = figures(q.bus);
    const a = await overview.get('kk');
    clock = OVERVIEW_TTL_MS;
    q.fail(true);
    expect(await overview.get('kk')).toBe(a);
    await turns();
    expect(await overview.get('kk')).toBe(a);
    q.fail(false);
    await turns();
    expect((await overview.get('kk')).asOf).not.toBe(a.asOf);
  });

  it('makes each language apart, and only those looked at', async () => {
    const q = countedQueries();
    const overview = figures(q.bus);
    const [kk, ru] = await Promise.all([overview.get('kk'), overview.get('ru')]);
    expect(kk.asOf).not.toBe(ru.asOf);
    expect(q.asked()).toBe(10);
  });
});
