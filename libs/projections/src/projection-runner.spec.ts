import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ANY, SqliteEventStore, type RecordedEvent } from '@derbes/event-store';
import type { Projection, ReadModelTables } from './projection';
import { ProjectionNotReadyError, ProjectionRunner } from './projection-runner';
import { openReadModelDatabase } from './read-model-database';

/** Counts events per stream; version 2 counts each event twice, so a rebuild shows in the numbers. */
function counting(version = 1, failAt?: number): Projection {
  return {
    name: 'stream-counts',
    version,
    setup: (t: ReadModelTables) => t.db.exec(`CREATE TABLE ${t.table('counts')}(stream TEXT PRIMARY KEY, n INTEGER NOT NULL)`),
    apply: (t: ReadModelTables, event: RecordedEvent) => {
      if (event.position === failAt) throw new Error('cannot read this event');
      t.db.prepare(`INSERT INTO ${t.table('counts')}(stream, n) VALUES (?, ?) ON CONFLICT(stream) DO UPDATE SET n = n + excluded.n`)
        .run(event.streamId, version);
    },
  };
}

function counts(runner: ProjectionRunner): Record<string, number> {
  const t = runner.tables('stream-counts');
  const rows = t.db.prepare<[], { stream: string; n: number }>(`SELECT stream, n FROM ${t.table('counts')} ORDER BY stream`).all();
  return Object.fromEntries(rows.map((r) => [r.stream, r.n]));
}

let id = 0;
async function append(store: SqliteEventStore, stream: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await store.appendToStream(stream, [{ id: `00000000-0000-4000-8000-${String(++id).padStart(12, '0')}`, type: 'Counted', data: {}, metadata: {} }], ANY);
  }
}

async function caughtUp(runner: ProjectionRunner, store: SqliteEventStore): Promise<void> {
  expect(await runner.waitFor('stream-counts', await store.lastPosition(), 5000)).toBe(true);
}

describe('ProjectionRunner', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'derbes-projections-'));
    store = SqliteEventStore.open(join(dir, 'events.db'));
  });
  afterEach(async () => {
    await store.close();
  });

  it('makes the first generation active at once on an empty log, then follows live events', async () => {
    const runner = new ProjectionRunner(store, openReadModelDatabase(':memory:'), [counting()]);
    runner.start();
    expect(await runner.waitFor('stream-counts', 0, 1000)).toBe(true);
    expect(counts(runner)).toEqual({});
    await append(store, 'a', 3);
    await append(store, 'b', 2);
    await caughtUp(runner, store);
    expect(counts(runner)).toEqual({ a: 3, b: 2 });
    const [status] = await runner.status();
    expect(status).toMatchObject({ name: 'stream-counts', version: 1, active: { position: 5 }, building: null, logPosition: 5, lag: 0, error: null });
    await runner.stop();
  });

  it('catches up on stored events in batches and answers queries only once it has a generation', async () => {
    await append(store, 'a', 1500);
    const runner = new ProjectionRunner(store, openReadModelDatabase(':memory:'), [counting()]);
    runner.start();
    expect(() => runner.tables('stream-counts')).toThrow(ProjectionNotReadyError);
    await caughtUp(runner, store);
    expect(counts(runner)).toEqual({ a: 1500 });
    await runner.stop();
  });

  it('lets other work run between batches while it catches up', async () => {
    for (let chunk = 0; chunk < 16; chunk++) {
      await store.appendMany(Array.from({ length: 1000 }, () => ({
        streamId: 'a', expectedRevision: ANY,
        events: [{ id: `00000000-0000-4000-8000-${String(++id).padStart(12, '0')}`, type: 'Counted', data: {}, metadata: {} }],
      })));
    }
    const runner = new ProjectionRunner(store, openReadModelDatabase(':memory:'), [counting()]);
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    runner.start();
    await caughtUp(runner, store);
    clearInterval(ticker);
    // Several batches: timers got turns in between, rather than waiting for the whole replay.
    expect(turns).toBeGreaterThanOrEqual(2);
    expect(counts(runner)).toEqual({ a: 16000 });
    await runner.stop();
  });

  it('applies every event exactly once across a restart, resuming from its checkpoint', async () => {
    const file = join(dir, 'read-models.db');
    const first = new ProjectionRunner(store, openReadModelDatabase(file), [counting()]);
    first.start();
    await append(store, 'a', 100);
    await caughtUp(first, store);
    await first.stop();
    await append(store, 'a', 50);
    await append(store, 'b', 7);
    const second = new ProjectionRunner(store, openReadModelDatabase(file), [counting()]);
    second.start();
    expect(second.position('stream-counts')).toBe(100);
    await caughtUp(second, store);
    expect(counts(second)).toEqual({ a: 150, b: 7 });
    await second.stop();
  });

  it('stops on an event it cannot apply, keeps the batch out whole, and resumes there once fixed', async () => {
    const file = join(dir, 'read-models.db');
    await append(store, 'a', 10);
    const broken = new ProjectionRunner(store, openReadModelDatabase(file), [counting(1, 5)]);
    broken.start();
    for (let i = 0; i < 50 && (await broken.status())[0]?.error === null; i++) await new Promise((r) => setTimeout(r, 10));
    const [status] = await broken.status();
    expect(status?.error).toContain('cannot read this event');
    // The first generation never became active: none of the failing batch was kept.
    expect(() => broken.tables('stream-counts')).toThrow(ProjectionNotReadyError);
    await broken.stop();

    const fixed = new ProjectionRunner(store, openReadModelDatabase(file), [counting()]);
    fixed.start();
    await caughtUp(fixed, store);
    expect(counts(fixed)).toEqual({ a: 10 });
    // The abandoned build is gone, its row and its tables: only the new generation is left, and none shows as building.
    const db = fixed.tables('stream-counts').db;
    expect(db.prepare('SELECT generation, state FROM projection_generations').all()).toEqual([{ generation: 2, state: 'active' }]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'stream_counts_g1_%'").all()).toEqual([]);
    const reader = new ProjectionRunner(store, openReadModelDatabase(file), [counting()]);
    reader.attach();
    expect((await reader.status())[0]).toMatchObject({ active: { generation: 2 }, building: null });
    await fixed.stop();
  });

  it('moves the checkpoint only with the events it applied: a live batch that failed is applied after a restart', async () => {
    const file = join(dir, 'read-models.db');
    const broken = new ProjectionRunner(store, openReadModelDatabase(file), [counting(1, 4)]);
    broken.start();
    await append(store, 'a', 3);
    await caughtUp(broken, store);
    await append(store, 'a', 3);
    for (let i = 0; i < 100 && (await broken.status())[0]?.error === null; i++) await new Promise((r) => setTimeout(r, 10));
    expect((await broken.status())[0]?.error).toBe('stopped before position 4: cannot read this event');
    await broken.stop();
    // The stored checkpoint is where the tables are, so the same version follows on from there.
    const stored = new Database(file, { readonly: true });
    expect(stored.prepare('SELECT position FROM projection_generations').pluck().all()).toEqual([3]);
    stored.close();
    const fixed = new ProjectionRunner(store, openReadModelDatabase(file), [counting()]);
    fixed.start();
    expect(fixed.position('stream-counts')).toBe(3);
    await caughtUp(fixed, store);
    expect(counts(fixed)).toEqual({ a: 6 });
    await fixed.stop();
  });

  it('pauses while the read-model file refuses writes (a full disk) and follows on by itself once it takes them', async () => {
    let diskFull = false;
    const faulty: Projection = {
      ...counting(),
      apply: (t, event) => {
        if (diskFull) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
        counting().apply(t, event);
      },
    };
    const runner = new ProjectionRunner(store, openReadModelDatabase(':memory:'), [faulty], { retryDelayMs: 20 });
    runner.start();
    await append(store, 'a', 3);
    await caughtUp(runner, store);
    diskFull = true;
    await append(store, 'a', 4);
    for (let i = 0; i < 100 && (await runner.status())[0]?.error === null; i++) await new Promise((r) => setTimeout(r, 10));
    expect((await runner.status())[0]?.error).toMatch(/^paused before position 4: database or disk is full; retrying/);
    expect(counts(runner)).toEqual({ a: 3 });
    diskFull = false;
    await caughtUp(runner, store);
    expect(counts(runner)).toEqual({ a: 7 });
    expect((await runner.status())[0]?.error).toBeNull();
    await append(store, 'b', 1);
    await caughtUp(runner, store);
    expect(counts(runner)).toEqual({ a: 7, b: 1 });
    await runner.stop();
  });

  it('rebuilds a new version into fresh tables while queries read the old ones, then swaps', async () => {
    const file = join(dir, 'read-models.db');
    const v1 = new ProjectionRunner(store, openReadModelDatabase(file), [counting(1)]);
    v1.start();
    await append(store, 'a', 2000);
    await caughtUp(v1, store);
    await v1.stop();

    const v2 = new ProjectionRunner(store, openReadModelDatabase(file), [counting(2)]);
    v2.start();
    const swapped = v2.rebuild('stream-counts');
    // Until the new generation has caught up, queries read generation 1 with version 1's numbers.
    expect(counts(v2)).toEqual({ a: 2000 });
    // The lag is the active generation's, the one queries read: none, though the build has the log still before it.
    expect((await v2.status())[0]).toMatchObject({ active: { generation: 1, version: 1 }, building: { generation: 2 }, lag: 0 });
    // A process that only reads the read models (the request thread) sees the build under way too.
    const reader = new ProjectionRunner(store, openReadModelDatabase(file), [counting(2)]);
    reader.attach();
    expect((await reader.status())[0]).toMatchObject({ active: { generation: 1 }, building: { generation: 2 } });
    await swapped;
    expect((await reader.status())[0]).toMatchObject({ active: { generation: 2 }, building: null });
    expect(counts(v2)).toEqual({ a: 4000 });
    const [status] = await v2.status();
    expect(status).toMatchObject({ active: { generation: 2, version: 2, position: 2000 }, building: null });
    const db = v2.tables('stream-counts').db;
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'stream_counts_g1_%'").all()).toEqual([]);
    await v2.stop();
  });

  it('rebuilds a generation made with other settings as for a new version, and resumes one made with the same', async () => {
    const file = join(dir, 'read-models.db');
    const run = async (settings: string | undefined) => {
      const runner = new ProjectionRunner(store, openReadModelDatabase(file), [{ ...counting(), ...(settings === undefined ? {} : { settings }) }]);
      runner.start();
      const started = (await runner.status())[0];
      await caughtUp(runner, store);
      // A build under way swaps in once it has caught up.
      for (let i = 0; i < 250 && (await runner.status())[0]?.building; i++) await new Promise((r) => setTimeout(r, 20));
      const ended = (await runner.status())[0];
      await runner.stop();
      return { started, ended };
    };
    await append(store, 'a', 10);
    expect((await run('offset 300')).ended).toMatchObject({ active: { generation: 1, position: 10 } });
    await append(store, 'a', 5);
    const same = await run('offset 300');
    expect(same.started).toMatchObject({ active: { generation: 1, current: true }, building: null });
    expect(same.ended).toMatchObject({ active: { generation: 1, position: 15 } });
    // A process that only reads them says the generation was made with other settings, before any rebuild.
    const reader = new ProjectionRunner(store, openReadModelDatabase(file), [{ ...counting(), settings: 'offset 360' }]);
    reader.attach();
    expect((await reader.status())[0]).toMatchObject({ active: { generation: 1, current: false }, building: null });
    const other = await run('offset 360');
    expect(other.started).toMatchObject({ active: { generation: 1, current: false }, building: { generation: 2 } });
    expect(other.ended).toMatchObject({ active: { generation: 2, position: 15, current: true }, building: null });
    // None is a setting too: a projection that drops its settings is rebuilt once more.
    expect((await run(undefined)).started).toMatchObject({ active: { generation: 2 }, building: { generation: 3 } });
  });

  it('takes a read-model file from before settings, its generations counting as made with none', async () => {
    const file = join(dir, 'read-models.db');
    const runner = new ProjectionRunner(store, openReadModelDatabase(file), [counting()]);
    runner.start();
    await append(store, 'a', 3);
    await caughtUp(runner, store);
    await runner.stop();
    const old = new Database(file);
    old.exec(`CREATE TABLE g AS SELECT name, generation, version, position, state, updated_at FROM projection_generations;
      DROP TABLE projection_generations; ALTER TABLE g RENAME TO projection_generations;`);
    old.close();
    const resumed = new ProjectionRunner(store, openReadModelDatabase(file), [counting()]);
    resumed.start();
    expect((await resumed.status())[0]).toMatchObject({ active: { generation: 1, position: 3 }, building: null });
    expect(counts(resumed)).toEqual({ a: 3 });
    await resumed.stop();
  });

  it('rebuilds the same version on demand and keeps serving meanwhile', async () => {
    const runner = new ProjectionRunner(store, openReadModelDatabase(':memory:'), [counting()]);
    runner.start();
    await append(store, 'a', 300);
    await caughtUp(runner, store);
    const rebuilt = runner.rebuild('stream-counts');
    await append(store, 'b', 5);
    await rebuilt;
    await caughtUp(runner, store);
    expect(counts(runner)).toEqual({ a: 300, b: 5 });
    expect((await runner.status())[0]?.active?.generation).toBe(2);
    await runner.stop();
  });

  it('lets a second process read the read models another keeps, without applying anything itself', async () => {
    const file = join(dir, 'read-models.db');
    const keeper = new ProjectionRunner(store, openReadModelDatabase(file), [counting()]);
    keeper.start();
    await append(store, 'a', 4);
    await caughtUp(keeper, store);
    const reader = new ProjectionRunner(store, openReadModelDatabase(file), [counting()]);
    reader.attach();
    expect(counts(reader)).toEqual({ a: 4 });
    // The keeper goes on; the reader sees its progress, waits for positions, and follows a rebuild's swap.
    await append(store, 'a', 2);
    expect(await reader.waitFor('stream-counts', 6, 5000)).toBe(true);
    expect(counts(reader)).toEqual({ a: 6 });
    await keeper.rebuild('stream-counts');
    expect((await reader.status())[0]).toMatchObject({ active: { generation: 2, position: 6 }, logPosition: 6, lag: 0 });
    expect(counts(reader)).toEqual({ a: 6 });
    await keeper.stop();
    await append(store, 'a', 2);
    expect(await reader.waitFor('stream-counts', 8, 100)).toBe(false);
    expect((await reader.status())[0]).toMatchObject({ active: { position: 6 }, logPosition: 8, lag: 2 });
  });

  it('waits for a position and gives up after the timeout', async () => {
    const runner = new ProjectionRunner(store, openReadModelDatabase(':memory:'), [counting()]);
    runner.start();
    const waiting = runner.waitFor('stream-counts', 3, 5000);
    await append(store, 'a', 3);
    expect(await waiting).toBe(true);
    expect(await runner.waitFor('stream-counts', 99, 50)).toBe(false);
    await runner.stop();
  });
});

describe('ProjectionRunner with several projections', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'derbes-projections-'));
    store = SqliteEventStore.open(join(dir, 'events.db'));
  });
  afterEach(async () => {
    await store.close();
  });

  /** Counts events per stream in a projection of its own name; `indexed` keeps an index on the counts apart. */
  function named(name: string, options: { failAt?: number; fault?: () => Error | undefined; indexed?: boolean } = {}): Projection {
    return {
      name,
      version: 1,
      setup: (t) => t.db.exec(`CREATE TABLE ${t.table('counts')}(stream TEXT PRIMARY KEY, n INTEGER NOT NULL)`),
      ...(options.indexed && { indexes: (t: ReadModelTables) => t.db.exec(`CREATE INDEX ${t.table('counts')}_by_n ON ${t.table('counts')}(n)`) }),
      apply: (t, event) => {
        if (event.position === options.failAt) throw new Error(`${name} cannot read this event`);
        const fault = options.fault?.();
        if (fault) throw fault;
        t.db.prepare(`INSERT INTO ${t.table('counts')}(stream, n) VALUES (?, 1) ON CONFLICT(stream) DO UPDATE SET n = n + 1`).run(event.streamId);
      },
    };
  }

  function countsOf(runner: ProjectionRunner, name: string): Record<string, number> {
    const t = runner.tables(name);
    const rows = t.db.prepare<[], { stream: string; n: number }>(`SELECT stream, n FROM ${t.table('counts')} ORDER BY stream`).all();
    return Object.fromEntries(rows.map((r) => [r.stream, r.n]));
  }

  async function allCaughtUp(runner: ProjectionRunner, names: string[]): Promise<void> {
    const last = await store.lastPosition();
    for (const name of names) expect(await runner.waitFor(name, last, 5000)).toBe(true);
  }

  async function errorOf(runner: ProjectionRunner, name: string): Promise<string | null> {
    for (let i = 0; i < 100; i++) {
      const error = (await runner.status()).find((s) => s.name === name)?.error ?? null;
      if (error !== null) return error;
      await new Promise((r) => setTimeout(r, 10));
    }
    return null;
  }

  it('reads the log once for projections at the same checkpoint', async () => {
    await append(store, 'a', 1200);
    const subscribe = jest.spyOn(store, 'subscribeToAll');
    const runner = new ProjectionRunner(store, openReadModelDatabase(':memory:'), [named('one'), named('two'), named('three')]);
    runner.start();
    await allCaughtUp(runner, ['one', 'two', 'three']);
    await append(store, 'b', 3);
    await allCaughtUp(runner, ['one', 'two', 'three']);
    for (const name of ['one', 'two', 'three']) expect(countsOf(runner, name)).toEqual({ a: 1200, b: 3 });
    expect(subscribe).toHaveBeenCalledTimes(1);
    await runner.stop();
  });

  it('feeds projections at different checkpoints from where each stands, and lets them share one reader once they meet', async () => {
    const file = join(dir, 'read-models.db');
    const first = new ProjectionRunner(store, openReadModelDatabase(file), [named('early')]);
    first.start();
    await append(store, 'a', 300);
    await allCaughtUp(first, ['early']);
    await first.stop();
    await append(store, 'b', 200);

    const subscribe = jest.spyOn(store, 'subscribeToAll');
    const second = new ProjectionRunner(store, openReadModelDatabase(file), [named('early'), named('late')]);
    second.start();
    expect(second.position('early')).toBe(300);
    await allCaughtUp(second, ['early', 'late']);
    expect(countsOf(second, 'early')).toEqual({ a: 300, b: 200 });
    expect(countsOf(second, 'late')).toEqual({ a: 300, b: 200 });
    // One reader from 300 for the one, one from 0 for the other; the second ends where they meet.
    expect(subscribe.mock.calls.map(([options]) => options?.after)).toEqual([300, 0]);
    const [fromEarly, fromStart] = subscribe.mock.results.map((r) => r.value as { unsubscribe: () => Promise<void> });
    const ended = [jest.spyOn(fromEarly!, 'unsubscribe'), jest.spyOn(fromStart!, 'unsubscribe')];
    await append(store, 'c', 5);
    await allCaughtUp(second, ['early', 'late']);
    expect(countsOf(second, 'early')).toEqual({ a: 300, b: 200, c: 5 });
    expect(countsOf(second, 'late')).toEqual({ a: 300, b: 200, c: 5 });
    await second.stop();
    // Only one of them was still running at the stop.
    expect(ended.filter((spy) => spy.mock.calls.length > 0)).toHaveLength(1);
  });

  it('stops only the projection that cannot apply an event; the others go on, with their own checkpoints', async () => {
    await append(store, 'a', 10);
    const runner = new ProjectionRunner(store, openReadModelDatabase(':memory:'), [named('good'), named('broken', { failAt: 5 })]);
    runner.start();
    expect(await errorOf(runner, 'broken')).toBe('stopped before position 1: broken cannot read this event');
    await allCaughtUp(runner, ['good']);
    await append(store, 'b', 2);
    await allCaughtUp(runner, ['good']);
    expect(countsOf(runner, 'good')).toEqual({ a: 10, b: 2 });
    expect(() => runner.tables('broken')).toThrow(ProjectionNotReadyError);
    const statuses = await runner.status();
    expect(statuses.find((s) => s.name === 'good')).toMatchObject({ lag: 0, error: null });
    expect(statuses.find((s) => s.name === 'broken')).toMatchObject({ building: { position: 0 }, error: expect.stringContaining('cannot read') });
    await runner.stop();
  });

  it('stops a live projection at the failing batch while another keeps following', async () => {
    const runner = new ProjectionRunner(store, openReadModelDatabase(':memory:'), [named('good'), named('broken', { failAt: 4 })]);
    runner.start();
    await append(store, 'a', 3);
    await allCaughtUp(runner, ['good', 'broken']);
    await append(store, 'a', 3);
    expect(await errorOf(runner, 'broken')).toBe('stopped before position 4: broken cannot read this event');
    await allCaughtUp(runner, ['good']);
    expect(countsOf(runner, 'good')).toEqual({ a: 6 });
    expect(countsOf(runner, 'broken')).toEqual({ a: 3 });
    expect(runner.position('broken')).toBe(3);
    await runner.stop();
  });

  it('pauses every projection of a batch when SQLite undoes the whole transaction, and they all follow on', async () => {
    let fault = false;
    // A fault that makes SQLite roll back the transaction itself, as a full disk may: nothing of the batch is kept.
    const undoAll = () => {
      if (!fault) return undefined;
      return Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    };
    const db = openReadModelDatabase(':memory:');
    const rollsBack: Projection = {
      ...named('rolls-back'),
      apply: (t, event) => {
        const error = undoAll();
        if (error) {
          t.db.exec('ROLLBACK');
          throw error;
        }
        named('rolls-back').apply(t, event);
      },
    };
    const runner = new ProjectionRunner(store, db, [named('other'), rollsBack], { retryDelayMs: 20 });
    runner.start();
    await append(store, 'a', 2);
    await allCaughtUp(runner, ['other', 'rolls-back']);
    fault = true;
    await append(store, 'a', 2);
    expect(await errorOf(runner, 'rolls-back')).toMatch(/^paused before position 3: database or disk is full; retrying/);
    expect(await errorOf(runner, 'other')).toMatch(/^paused before position 3/);
    expect(countsOf(runner, 'other')).toEqual({ a: 2 });
    fault = false;
    await allCaughtUp(runner, ['other', 'rolls-back']);
    expect(countsOf(runner, 'other')).toEqual({ a: 4 });
    expect(countsOf(runner, 'rolls-back')).toEqual({ a: 4 });
    expect((await runner.status()).map((s) => s.error)).toEqual([null, null]);
    await runner.stop();
  });

  it('creates deferred indexes once a rebuild has caught up, before queries read the new generation', async () => {
    const db = openReadModelDatabase(':memory:');
    const indexesOf = (name: string) =>
      db.prepare<[string], string>("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE ? ORDER BY name").pluck().all(`${name}%`);
    const runner = new ProjectionRunner(store, db, [named('indexed', { indexed: true })]);
    runner.start();
    // On an empty log the first generation is active at once, with its index.
    expect(await runner.waitFor('indexed', 0, 1000)).toBe(true);
    expect(indexesOf('indexed_g1_')).toEqual(['indexed_g1_counts_by_n']);
    await append(store, 'a', 1500);
    await append(store, 'b', 2);
    await allCaughtUp(runner, ['indexed']);
    const rebuilt = runner.rebuild('indexed');
    // The new generation fills its tables without the index...
    expect(indexesOf('indexed_g2_')).toEqual([]);
    await rebuilt;
    // ...and has it when queries first read it; the old generation's went with its tables.
    expect(indexesOf('indexed_')).toEqual(['indexed_g2_counts_by_n']);
    const t = runner.tables('indexed');
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT stream FROM ${t.table('counts')} WHERE n = 2`).all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('indexed_g2_counts_by_n');
    expect(countsOf(runner, 'indexed')).toEqual({ a: 1500, b: 2 });
    await runner.stop();
  });
});
