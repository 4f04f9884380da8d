import type { QueryBus } from '@nestjs/cqrs';
import { Clock } from '../../clock';
import type { LedgerConfig } from '../../config/ledger-config';
import { FRESH_WAIT_MS, OVERVIEW_TTL_MS, OverviewFigures, type OverviewAggregates } from './overview-figures';

/** The queries the figures run, each held until released, so that a test decides how long a computation takes. */
function heldQueries() {
  const pending: { release: () => void; fail: (e: Error) => void }[] = [];
  const bus = {
    execute: () => new Promise((resolve, reject) => pending.push({ release: () => resolve({}), fail: reject })),
  } as unknown as QueryBus;
  return {
    bus,
    releaseAll: async () => { pending.splice(0).forEach((p) => p.release()); await flush(); },
    failAll: async () => { pending.splice(0).forEach((p) => p.fail(new Error('read model closed'))); await flush(); },
    /** Queries asked and not answered yet: five per computation of the overview. */
    waiting: () => pending.length,
  };
}

const flush = () => new Promise((r) => setImmediate(r));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('OverviewFigures', () => {
  let clock: number;
  let second: number;
  const figures = (bus: QueryBus) => new OverviewFigures(bus, new (class extends Clock {
    override now() { return new Date(Date.UTC(2026, 10, 25, 12, 0, second++)); }
  })(), { utcOffsetMinutes: 300, runProjections: true } as LedgerConfig, () => clock);
  beforeEach(() => { clock = 0; second = 0; });

  async function firstFigures(overview: OverviewFigures, q: ReturnType<typeof heldQueries>, lang: 'kk' | 'en' = 'en'): Promise<OverviewAggregates> {
    const first = overview.get(lang);
    expect(q.waiting()).toBe(5);
    await q.releaseAll();
    return first;
  }

  it('reuses the figures while fresh; once older, a load that the new ones do not reach in time gets the last ones at once', async () => {
    const q = heldQueries();
    const overview = figures(q.bus);
    const a = await firstFigures(overview, q);
    expect(a.asOf).toBe('2026-11-25T12:00:00.000Z');

    clock = OVERVIEW_TTL_MS - 1;
    expect(await overview.get('en')).toBe(a);
    expect(q.waiting()).toBe(0);

    // Older: a computation starts (one for all the loads meanwhile), and each load waits for it at most FRESH_WAIT_MS.
    clock = OVERVIEW_TTL_MS;
    const started = Date.now();
    const [x, y] = await Promise.all([overview.get('en'), overview.get('en')]);
    expect([x, y]).toEqual([a, a]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(FRESH_WAIT_MS - 5);
    expect(q.waiting()).toBe(5);
    await q.releaseAll();
    expect((await overview.get('en')).asOf).toBe('2026-11-25T12:00:01.000Z');
  });

  it('gives fresh figures to a load when they are made in time', async () => {
    const q = heldQueries();
    const overview = figures(q.bus);
    await firstFigures(overview, q);
    clock = OVERVIEW_TTL_MS;
    const load = overview.get('en');
    await q.releaseAll();
    expect((await load).asOf).toBe('2026-11-25T12:00:01.000Z');
  });

  it('keeps the last figures when computing fresh ones fails, and tries again on the next load', async () => {
    const q = heldQueries();
    const overview = figures(q.bus);
    const a = await firstFigures(overview, q);
    clock = OVERVIEW_TTL_MS;
    const load = overview.get('en');
    await q.failAll();
    expect(await load).toBe(a);
    const again = overview.get('en');
    expect(q.waiting()).toBe(5);
    await q.releaseAll();
    // (The failed computation took the clock's second 1.)
    expect((await again).asOf).toBe('2026-11-25T12:00:02.000Z');
  });

  it('computes every language at start-up as a fallback only: the first load still asks for fresh figures', async () => {
    const q = heldQueries();
    const overview = figures(q.bus);
    overview.onApplicationBootstrap();
    expect(q.waiting()).toBe(15);
    await q.releaseAll();
    const load = overview.get('kk');
    expect(q.waiting()).toBe(5);
    // Not made in time: the start-up figures, at once after the wait.
    await sleep(FRESH_WAIT_MS + 20);
    expect((await load).asOf).toMatch(/^2026-11-25T12:00:0[0-2]\.000Z$/);
    await q.releaseAll();
    expect((await overview.get('kk')).asOf).toBe('2026-11-25T12:00:03.000Z');
  });

  it('makes the start-up figures again a little later while the read models are still being built', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    try {
      const q = heldQueries();
      const overview = figures(q.bus);
      overview.onApplicationBootstrap();
      expect(q.waiting()).toBe(15);
      await q.failAll();
      await jest.advanceTimersByTimeAsync(4_999);
      expect(q.waiting()).toBe(0);
      await jest.advanceTimersByTimeAsync(1);
      expect(q.waiting()).toBe(15);
      await q.releaseAll();
      // They are there as a fallback: a load asks for fresh ones and, not getting them in time, shows these.
      const load = overview.get('en');
      expect(q.waiting()).toBe(5);
      await jest.advanceTimersByTimeAsync(FRESH_WAIT_MS);
      expect((await load).asOf).toMatch(/^2026-11-25T12:00:0[3-5]\.000Z$/);
    } finally {
      jest.useRealTimers();
    }
  });
});
