import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../ledger/src/config/ledger-config';
import { backupDataDir, copyDatabase, restoreDataDir } from './backup.command';

describe('backup and restore on an EventStoreDB location', () => {
  it('are refused, saying to use EventStoreDB\'s own backup, without the password and without touching the target', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-backup-esdb-'));
    try {
      const config = loadConfig({ DERBES_DATA_DIR: join(dir, 'data'), DERBES_EVENT_STORE: 'esdb://admin:changeit@es1:2113?tls=false' });
      for (const attempt of [backupDataDir(config, join(dir, 'backup')), restoreDataDir(config, join(dir, 'backup'), { force: false })]) {
        const error = (await attempt.then(() => undefined, (e: unknown) => e)) as Error;
        expect(error.message).toBe('derbes backup and restore copy the embedded SQLite store; the event store is EventStoreDB at esdb://admin:***@es1:2113?tls=false: ' +
          'back it up with EventStoreDB\'s own backup of its database (libs/event-store/ESDB.md); the read models are rebuilt from it');
      }
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('copyDatabase', () => {
  it('makes the copy owner-only before its first page is written, whatever the umask', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-copy-'));
    const previous = process.umask(0);
    try {
      const source = new Database(join(dir, 'source.db'));
      source.exec('CREATE TABLE t (x TEXT); INSERT INTO t VALUES (\'personal\')');
      source.close();
      await copyDatabase(join(dir, 'source.db'), join(dir, 'copy.db'));
      expect(statSync(join(dir, 'copy.db')).mode & 0o777).toBe(0o600);
      const copy = new Database(join(dir, 'copy.db'), { readonly: true });
      expect(copy.prepare('SELECT x FROM t').pluck().get()).toBe('personal');
      copy.close();
      // A file already there is not written over.
      await expect(copyDatabase(join(dir, 'source.db'), join(dir, 'copy.db'))).rejects.toThrow('EEXIST');
    } finally {
      process.umask(previous);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
