import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openReadModelDatabase } from '@derbes/projections';
import { SqliteEventStore } from '@derbes/event-store';
import { startTestApp } from './support/test-app';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('the ledger\'s SQLite files', () => {
  it('are created readable by their owner only, their WAL and shared memory too, in a directory of the owner\'s', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'derbes-mode-')), 'data');
    const store = SqliteEventStore.open(join(dir, 'events.db'));
    await store.appendToStream('s', [{ id: 'e-1', type: 'Happened', data: {}, metadata: {} }], 'any');
    const readModels = openReadModelDatabase(join(dir, 'read-models.db'));
    readModels.exec('CREATE TABLE t (x)');
    try {
      expect(mode(dir)).toBe(0o700);
      for (const file of ['events.db', 'events.db-wal', 'events.db-shm', 'read-models.db', 'read-models.db-wal', 'read-models.db-shm']) {
        expect([file, mode(join(dir, file))]).toEqual([file, 0o600]);
      }
    } finally {
      readModels.close();
      await store.close();
    }
  });

  it('makes the data directory its owner\'s only when the server creates it, whatever creates it first', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'derbes-mode-')), 'data');
    const t = await startTestApp({ DERBES_DATA_DIR: dir, DERBES_EVENT_STORE: join(dir, 'events.db'), DERBES_PSEUDONYM_KEY: '' });
    try {
      expect(mode(dir)).toBe(0o700);
      expect(mode(join(dir, 'pseudonym.key'))).toBe(0o600);
    } finally {
      await t.close();
    }
  });
});
