import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { ANY, SqliteEventStore } from '@derbes/event-store';
import type { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';
import { READ_MODEL_WAL_AUTOCHECKPOINT, openReadModelDatabase } from './read-model-database';
import { WAL_SAFETY_NET_PAGES, WalCheckpoints } from './wal-checkpoints';

const autocheckpoint = (db: Database.Database) => db.pragma('wal_autocheckpoint', { simple: true });
const fileSize = (path: string) => statSync(path).size;

/** Writes about `pages` pages of rows in one transaction. */
function fill(db: Database.Database, pages: number): void {
  db.exec('CREATE TABLE IF NOT EXISTS filler(n INTEGER PRIMARY KEY, text TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO filler(text) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < pages * 3; i++) insert.run('x'.repeat(1200));
  })();
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within 10 s: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('WalCheckpoints', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'derbes-checkpoints-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('copies the WAL into the file from its own thread, while the keeping connection leaves it to it', async () => {
    const path = join(dir, 'read-models.db');
    const db = openReadModelDatabase(path);
    expect(autocheckpoint(db)).toBe(READ_MODEL_WAL_AUTOCHECKPOINT);
    const checkpoints = WalCheckpoints.start(db, 3_600_000); // only when asked, in this test
    try {
      expect(autocheckpoint(db)).toBe(WAL_SAFETY_NET_PAGES);
      const before = fileSize(path);
      fill(db, 500);
      // Committed, but still in the WAL only: the keeping connection did not checkpoint.
      expect(fileSize(path)).toBe(before);
      const answer = await checkpoints.now();
      expect(answer?.walFrames).toBeGreaterThan(500);
      expect(answer?.checkpointed).toBe(answer?.walFrames);
      expect(fileSize(path)).toBeGreaterThan(before + 500 * 4096);
      expect(db.prepare('SELECT count(*) FROM filler').pluck().get()).toBe(1500);
    } finally {
      await checkpoints.stop();
    }
    // Alone again, the connection checkpoints by itself as before.
    expect(autocheckpoint(db)).toBe(READ_MODEL_WAL_AUTOCHECKPOINT);
    db.close();
  });

  it('checkpoints on its timer, unasked', async () => {
    const path = join(dir, 'read-models.db');
    const db = openReadModelDatabase(path);
    const checkpoints = WalCheckpoints.start(db, 50);
    try {
      const before = fileSize(path);
      fill(db, 300);
      await until(() => fileSize(path) > before + 300 * 4096, 'the file to take the WAL');
    } finally {
      await checkpoints.stop();
      db.close();
    }
  });

  it('does nothing for read models in memory, which have no WAL', async () => {
    const db = openReadModelDatabase(':memory:');
    const checkpoints = WalCheckpoints.start(db);
    expect(autocheckpoint(db)).toBe(READ_MODEL_WAL_AUTOCHECKPOINT);
    expect(await checkpoints.now()).toBeNull();
    await checkpoints.stop();
    db.close();
  });

  it("a runner with checkpointsOnThread has them checkpointed while it runs, and stops them when it stops", async () => {
    const store = SqliteEventStore.open(join(dir, 'events.db'));
    const path = join(dir, 'read-models.db');
    const db = openReadModelDatabase(path);
    const notes: Projection = {
      name: 'notes',
      version: 1,
      setup: (t) => t.db.exec(`CREATE TABLE ${t.table('notes')}(position INTEGER PRIMARY KEY, text TEXT NOT NULL)`),
      apply: (t, event) => {
        t.db.prepare(`INSERT INTO ${t.table('notes')}(position, text) VALUES (?, ?)`).run(event.position, (event.data as { text: string }).text);
      },
    };
    const runner = new ProjectionRunner(store, db, [notes], { checkpointsOnThread: true });
    runner.start();
    try {
      expect(autocheckpoint(db)).toBe(WAL_SAFETY_NET_PAGES);
      const before = fileSize(path);
      const events = Array.from({ length: 600 }, (_, i) => ({
        id: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`, type: 'Noted', data: { text: 'y'.repeat(3000) }, metadata: {},
      }));
      await store.appendToStream('notes', events, ANY);
      expect(await runner.waitFor('notes', 600, 10_000)).toBe(true);
      await until(() => fileSize(path) > before + 400 * 4096, "the runner's writes to reach the file");
      const t = runner.tables('notes');
      expect(t.db.prepare(`SELECT count(*) FROM ${t.table('notes')}`).pluck().get()).toBe(600);
    } finally {
      await runner.stop();
      await store.close();
    }
    expect(autocheckpoint(db)).toBe(READ_MODEL_WAL_AUTOCHECKPOINT);
    db.close();
  });
});
