import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANY, SqliteEventStore } from '@derbes/event-store';
import { integrityLogProjection, merkleLogOf } from './integrity-log/integrity-log.projection';
import type { Projection, ReadModelTables } from './projection';
import { ProjectionRunner, type SideBuild } from './projection-runner';
import { openReadModelDatabase } from './read-model-database';

/** Counts events per stream. */
const counting: Projection = {
  name: 'stream-counts',
  version: 1,
  setup: (t: ReadModelTables) => t.db.exec(`CREATE TABLE ${t.table('counts')}(stream TEXT PRIMARY KEY, n INTEGER NOT NULL)`),
  apply: (t, event) => {
    t.db.prepare(`INSERT INTO ${t.table('counts')}(stream, n) VALUES (?, 1) ON CONFLICT(stream) DO UPDATE SET n = n + 1`).run(event.streamId);
  },
};

let id = 0;
async function append(store: SqliteEventStore, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await store.appendToStream(`s-${i % 3}`, [{ id: `00000000-0000-4000-8000-${String(++id).padStart(12, '0')}`, type: 'Counted', data: { i }, metadata: {} }], ANY);
  }
}

async function built(runner: ProjectionRunner, store: SqliteEventStore, names: readonly string[]): Promise<void> {
  const last = await store.lastPosition();
  for (const name of names) expect(await runner.waitFor(name, last, 5000)).toBe(true);
}

/** What a side build does, here on this thread: the integrity log built by a runner of its own into `file`. */
async function integrityLogBuiltIn(file: string, store: SqliteEventStore): Promise<void> {
  const db = openReadModelDatabase(file);
  const side = new ProjectionRunner(store, db, [integrityLogProjection]);
  side.start();
  await built(side, store, [integrityLogProjection.name]);
  await side.stop();
  db.close();
}

const rows = (runner: ProjectionRunner, name: string, table: string) => {
  const t = runner.tables(name);
  return t.db.prepare(`SELECT * FROM "${t.table(table)}" ORDER BY 1, 2`).all();
};

describe('ProjectionRunner with a side build', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'derbes-aside-'));
    store = SqliteEventStore.open(join(dir, 'events.db'));
    await append(store, 40);
  });
  afterEach(async () => {
    await store.close();
  });

  it('copies what was built aside, follows on from where it stopped, and leaves the rows a build here leaves', async () => {
    // Aside: the integrity log, built by a runner of its own on another file (here on this thread); more events
    // arrive after it stopped, which the runner that copies it must apply itself.
    const sideBuild: SideBuild = {
      names: new Set([integrityLogProjection.name]),
      file: join(dir, 'aside.db'),
      async build(file, names) {
        expect(names).toEqual([integrityLogProjection.name]);
        await integrityLogBuiltIn(file, store);
        await append(store, 13);
      },
    };
    const runner = new ProjectionRunner(store, openReadModelDatabase(join(dir, 'read-models.db')), [counting, integrityLogProjection], { sideBuild });
    runner.start();
    await built(runner, store, [counting.name]);
    await built(runner, store, [counting.name, integrityLogProjection.name]);
    await append(store, 5);
    await built(runner, store, [counting.name, integrityLogProjection.name]);

    const plain = new ProjectionRunner(store, openReadModelDatabase(':memory:'), [counting, integrityLogProjection]);
    plain.start();
    await built(plain, store, [counting.name, integrityLogProjection.name]);
    expect(runner.position(integrityLogProjection.name)).toBe(58);
    expect(rows(runner, integrityLogProjection.name, 'tiles')).toEqual(rows(plain, integrityLogProjection.name, 'tiles'));
    expect(rows(runner, counting.name, 'counts')).toEqual(rows(plain, counting.name, 'counts'));
    expect(merkleLogOf(runner.tables(integrityLogProjection.name)).root()).toEqual(merkleLogOf(plain.tables(integrityLogProjection.name)).root());
    expect((await runner.status()).map((s) => [s.name, s.active?.generation, s.building, s.error])).toEqual([
      [counting.name, 1, null, null], [integrityLogProjection.name, 1, null, null],
    ]);
    await runner.stop();
    await plain.stop();
  });

  it('builds here what the side build failed to build', async () => {
    const sideBuild: SideBuild = { names: new Set([counting.name]), file: join(dir, 'aside.db'), build: () => Promise.reject(new Error('no thread')) };
    const runner = new ProjectionRunner(store, openReadModelDatabase(':memory:'), [counting], { sideBuild });
    runner.start();
    await built(runner, store, [counting.name]);
    expect(rows(runner, counting.name, 'counts')).toEqual([{ stream: 's-0', n: 14 }, { stream: 's-1', n: 13 }, { stream: 's-2', n: 13 }]);
    await runner.stop();
  });

  it('builds a log shorter than the side build wants here, without it', async () => {
    const build = jest.fn(() => Promise.resolve());
    const sideBuild: SideBuild = { names: new Set([counting.name]), file: join(dir, 'aside.db'), minEvents: 41, build };
    const runner = new ProjectionRunner(store, openReadModelDatabase(':memory:'), [counting], { sideBuild });
    runner.start();
    await built(runner, store, [counting.name]);
    expect(build).not.toHaveBeenCalled();
    expect(rows(runner, counting.name, 'counts')).toEqual([{ stream: 's-0', n: 14 }, { stream: 's-1', n: 13 }, { stream: 's-2', n: 13 }]);
    await runner.stop();
  });

  // A version bump of one of them (an upgrade) builds that one aside, not every projection the side build could take.
  it('asks the side build for those of its projections that need a build, not for those already current', async () => {
    const asked: string[][] = [];
    const sideBuild = (): SideBuild => ({
      names: new Set([counting.name, integrityLogProjection.name]), file: join(dir, 'aside.db'),
      build: (_file, names) => {
        asked.push([...names]);
        return Promise.reject(new Error('built here instead'));
      },
    });
    const file = join(dir, 'read-models.db');
    const first = new ProjectionRunner(store, openReadModelDatabase(file), [counting, integrityLogProjection], { sideBuild: sideBuild() });
    first.start();
    await built(first, store, [counting.name, integrityLogProjection.name]);
    await first.stop();
    const again = new ProjectionRunner(store, openReadModelDatabase(file), [{ ...counting, version: 2 }, integrityLogProjection], { sideBuild: sideBuild() });
    again.start();
    for (let i = 0; i < 100 && (await again.status())[0]?.active?.version !== 2; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(asked).toEqual([[counting.name, integrityLogProjection.name], [counting.name]]);
    await again.stop();
  });

  // `derbes projections rebuild` asks for every projection at once: those the side build takes go to it together,
  // while the others are rebuilt here; the generations in use answer until each new one is swapped in.
  it('rebuilds aside, together, those of its projections asked for in one turn, and swaps them in with the same rows', async () => {
    const asked: string[][] = [];
    const sideBuild: SideBuild = {
      names: new Set([integrityLogProjection.name]),
      file: join(dir, 'aside.db'),
      async build(file, names) {
        asked.push([...names]);
        await integrityLogBuiltIn(file, store);
      },
    };
    const runner = new ProjectionRunner(store, openReadModelDatabase(join(dir, 'read-models.db')), [counting, integrityLogProjection], { sideBuild });
    runner.start();
    await built(runner, store, [counting.name, integrityLogProjection.name]);
    const before = rows(runner, integrityLogProjection.name, 'tiles');
    await append(store, 7);
    await Promise.all([runner.rebuild(counting.name), runner.rebuild(integrityLogProjection.name)]);
    expect(asked).toEqual([[integrityLogProjection.name], [integrityLogProjection.name]]);
    expect((await runner.status()).map((s) => [s.name, s.active?.generation])).toEqual([[counting.name, 2], [integrityLogProjection.name, 2]]);
    await built(runner, store, [counting.name, integrityLogProjection.name]);
    const plain = new ProjectionRunner(store, openReadModelDatabase(':memory:'), [counting, integrityLogProjection]);
    plain.start();
    await built(plain, store, [counting.name, integrityLogProjection.name]);
    expect(rows(runner, integrityLogProjection.name, 'tiles')).toEqual(rows(plain, integrityLogProjection.name, 'tiles'));
    expect(rows(runner, integrityLogProjection.name, 'tiles')).not.toEqual(before);
    await runner.stop();
    await plain.stop();
  });

  // Built aside, a projection has no generation row here until it is copied in: status says where the side build
  // stands, in this runner and in one attached to the same file (derbes projections status beside a server).
  it('says a projection is being rebuilt aside, and how far, until it is copied in', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const filled = new Promise<void>((resolve) => (reached = resolve));
    const sideBuild: SideBuild = {
      names: new Set([integrityLogProjection.name]),
      file: join(dir, 'aside.db'),
      async build(file) {
        await integrityLogBuiltIn(file, store);
        reached();
        await gate;
      },
    };
    const file = join(dir, 'read-models.db');
    const runner = new ProjectionRunner(store, openReadModelDatabase(file), [counting, integrityLogProjection], { sideBuild });
    runner.start();
    await filled;
    const aside = { generation: 1, position: 40, aside: true };
    expect((await runner.status()).find((s) => s.name === integrityLogProjection.name)?.building).toEqual(aside);
    const attached = new ProjectionRunner(store, openReadModelDatabase(file), [counting, integrityLogProjection], { sideBuild });
    attached.attach();
    expect((await attached.status()).find((s) => s.name === integrityLogProjection.name)?.building).toEqual(aside);
    release();
    await built(runner, store, [integrityLogProjection.name]);
    expect((await runner.status()).find((s) => s.name === integrityLogProjection.name)?.building).toBeNull();
    expect((await attached.status()).find((s) => s.name === integrityLogProjection.name)?.building).toBeNull();
    await runner.stop();
  });
});
