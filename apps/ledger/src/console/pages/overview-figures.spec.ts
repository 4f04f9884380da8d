import type { QueryBus } from '@nestjs/cqrs';
import type { ProjectionRunner } from '@derbes/projections';
import { Clock } from '../../clock';
import type { LedgerConfig } from '../../config/ledger-config';
import { CHEAP_RECORDS, OVERVIEW_TTL_MS, OverviewFigures } from './overview-figures';

/**
 * The read models as the figures see them: a log position that moves when something is recorded, queries that
 * answer at that position with `records` in the period (or fail, when told to), counted.
 */
function readModels() {
  const state = { position: 1, records: 10, failing: false, asked: 0, now: 0 };
  const bus = {
    execute: async () => {
      state.asked++;
      if (state.failing) throw new Error('the read model is being built');
      return { position: state.position, totals: { records: state.records, subjects: 1 } };
    },
  } as unknown as QueryBus;
  const runner = { position: () => state.position } as unknown as ProjectionRunner;
  return { state, bus, runner };
}

/** Lets the event loop turn enough times for a whole making (five queries, one per turn) to run. */
async function turns(n = 20): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}

describe('OverviewFigures', () => {
  let second: number;
  const figures = (m: ReturnType<typeof readModels>) => new OverviewFigures(m.bus, new (class extends Clock {
    override now() { return new Date(Date.UTC(2026, 10, 25, 12, 0, second++)); }
  })(), { utcOffsetMinutes: 300, runProjections: true } as LedgerConfig, m.runner, () => m.state.now);
  beforeEach(() => { second = 0; });

  it('makes them on the first load, one query per turn of the event loop, and keeps them while nothing is recorded', async () => {
    const m = readModels();
    const overview = figures(m);
    const first = overview.get('en');
    await turns(1);
    expect(m.state.asked).toBe(1);
    const a = await first;
    expect(m.state.asked).toBe(5);
    expect(a.asOf).toBe('2026-11-25T12:00:00.000Z');
    m.state.now += 10 * OVERVIEW_TTL_MS;
    expect(await overview.get('en')).toBe(a);
    await turns();
    expect(m.state.asked).toBe(5);
  });

  it('makes them anew after local midnight though nothing was recorded: the windows end on the new day', async () => {
    const m = readModels();
    let at = Date.UTC(2026, 10, 25, 18, 59, 0); // 23:59 in Kazakhstan
    const overview = new OverviewFigures(m.bus, new (class extends Clock {
      override now() { return new Date(at); }
    })(), { utcOffsetMinutes: 300, runProjections: true } as LedgerConfig, m.runner, () => m.state.now);
    const before = await overview.get('en');
    expect(before.to).toBe('2026-11-25');
    expect(await overview.get('en')).toBe(before);
    at = Date.UTC(2026, 10, 25, 19, 0, 30); // 00:00:30 on the 26th
    const after = await overview.get('en');
    expect([after.to, after.from, after.asOf]).toEqual(['2026-11-26', '2026-08-29', '2026-11-25T19:00:30.000Z']);
  });

  it('makes them anew for a load after a change when they are cheap to make (a small ledger)', async () => {
    const m = readModels();
    const overview = figures(m);
    const first = await overview.get('en');
    m.state.position = 2;
    const fresh = await overview.get('en');
    expect(fresh.asOf > first.asOf).toBe(true);
    expect(fresh.perDay.position).toBe(2);
  });

  it('on a small ledger does not show figures that were being made when the latest record came: it makes them again', async () => {
    const m = readModels();
    const overview = figures(m);
    await overview.get('en');
    m.state.position = 2;
    m.state.now += OVERVIEW_TTL_MS;
    const load = overview.get('en'); // starts making them at position 2
    await turns(2);
    m.state.position = 3; // a record lands while they are being made
    expect((await load).perDay.position).toBe(3);
  });

  it('on a large ledger answers with the last ones at once, and once they are old has fresh ones made after the answer', async () => {
    const m = readModels();
    m.state.records = CHEAP_RECORDS;
    const overview = figures(m);
    const a = await overview.get('en');
    m.state.position = 2;
    expect(await overview.get('en')).toBe(a);
    await turns();
    expect(m.state.asked).toBe(5);

    m.state.now += OVERVIEW_TTL_MS;
    const [x, y] = await Promise.all([overview.get('en'), overview.get('en')]);
    expect([x, y]).toEqual([a, a]);
    expect(m.state.asked).toBe(5);
    await turns();
    expect(m.state.asked).toBe(10);
    expect((await overview.get('en')).perDay.position).toBe(2);
  });

  it('keeps the last ones when fresh ones cannot be made, and tries again on a later load', async () => {
    const m = readModels();
    m.state.records = CHEAP_RECORDS;
    const overview = figures(m);
    const a = await overview.get('kk');
    m.state.position = 2;
    m.state.now += OVERVIEW_TTL_MS;
    m.state.failing = true;
    expect(await overview.get('kk')).toBe(a);
    await turns();
    expect(await overview.get('kk')).toBe(a);
    m.state.failing = false;
    await turns();
    expect((await overview.get('kk')).perDay.position).toBe(2);
  });

  it('makes every language at start-up, again 5 s later while the read models are still being built', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    try {
      const m = readModels();
      m.state.failing = true;
      const overview = figures(m);
      overview.onApplicationBootstrap();
      await turns();
      expect(m.state.asked).toBe(3); // each language's first query failed
      m.state.failing = false;
      await jest.advanceTimersByTimeAsync(4_999);
      expect(m.state.asked).toBe(3);
      await jest.advanceTimersByTimeAsync(1);
      await turns();
      expect(m.state.asked).toBe(18);
      // Made: a load gets them without a query.
      await overview.get('ru');
      expect(m.state.asked).toBe(18);
    } finally {
      jest.useRealTimers();
    }
  });
});
