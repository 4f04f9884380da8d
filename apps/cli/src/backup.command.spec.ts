import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../ledger/src/config/ledger-config';
import { backupDataDir, restoreDataDir } from './backup.command';

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
