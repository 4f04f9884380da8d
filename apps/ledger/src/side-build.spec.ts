import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ANY, SqliteEventStore } from '@derbes/event-store';
import { threadSideBuild } from './side-build';

describe('threadSideBuild', () => {
  it('builds the projections it is asked for on a thread of its own into its file, each active at the end of the log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-side-build-'));
    const eventStore = join(dir, 'events.db');
    const store = SqliteEventStore.open(eventStore);
    for (let i = 1; i <= 25; i++) {
      await store.appendToStream(`s-${i % 4}`, [{ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, type: 'Noted', data: { i }, metadata: {} }], ANY);
    }
    await store.close();
    const side = threadSideBuild({ eventStore, readModels: join(dir, 'read-models.db'), registersFile: null, owner: 'mineco', utcOffsetMinutes: 300 });
    expect(side.file).toBe(join(dir, 'read-models.db-aside'));
    const names = [...side.names].sort().slice(0, 3);
    await side.build(side.file, names, new AbortController().signal);
    const db = new Database(side.file, { readonly: true });
    const rows = db.prepare('SELECT name, position, state FROM projection_generations ORDER BY name').all();
    db.close();
    // Only those it was asked for: the others are current where it was asked from.
    expect(rows).toEqual(names.map((name) => ({ name, position: 25, state: 'active' })));
    expect(existsSync(side.file)).toBe(true);
  }, 30_000);
});
