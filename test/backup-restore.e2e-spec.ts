import { spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type RecordedEvent } from '@derbes/event-store';
import { rotate } from '@derbes/integrity';
import { backupDataDir, restoreDataDir, type BackupManifest } from '../apps/cli/src/backup.command';
import { projectionsRebuild } from '../apps/cli/src/projections.command';
import { verifyLedger } from '../apps/cli/src/verify.command';
import { migrateLedger } from '../apps/cli/src/migrate.command';
import { loadConfig } from '../apps/ledger/src/config/ledger-config';
import {
  childEnv, createTestKeys, dataFiles, readModelSnapshot, runCli, sleep, startChildServer, waitForProjections,
  serverApi as api,
} from './support/child-server';
import { aRecord, IIN, OTHER_IIN, startTestApp } from './support/test-app';

/** The ledger keeps its pseudonym key in a file of the data directory (none configured), so the backup carries it. */
const keyFileEnv = (dataDir: string) => childEnv(dataDir, { DERBES_PSEUDONYM_KEY: '' });

async function readLog(eventStore: string, maxCount?: number): Promise<RecordedEvent[]> {
  const store = SqliteEventStore.open(eventStore);
  try {
    return await store.readAll({ maxCount });
  } finally {
    await store.close();
  }
}

/** Every file under a directory, with its path relative to it. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const path = join(prefix, entry.name);
    return entry.isDirectory() ? [`${path}/`, ...filesUnder(dir, path)] : [path];
  });
}

describe('derbes backup and restore', () => {
  it('backs up while the server writes; the restore holds exactly the log to the manifest\'s position, the key, and read models as a rebuild makes them', async () => {
    const source = mkdtempSync(join(tmpdir(), 'derbes-source-'));
    const backup = join(mkdtempSync(join(tmpdir(), 'derbes-backup-')), 'backup');
    const restored = mkdtempSync(join(tmpdir(), 'derbes-restored-'));
    const tokens = await createTestKeys(keyFileEnv(source));
    const server = await startChildServer(keyFileEnv(source), { tokens });
    // Beside the key store's own file, a marker that must never reach a backup.
    const dataKey = `data key ${Date.now()} ${'7f'.repeat(32)}`;
    mkdirSync(join(source, 'data-keys'), { recursive: true });
    writeFileSync(join(source, 'data-keys', 'subject-1.key'), dataKey);

    const acked: { iin: string; subjectId: string; position: number; record: Record<string, unknown> }[] = [];
    let writing = true;
    const writers = [0, 1, 2, 3].map(async (w) => {
      for (let i = 0; writing; i++) {
        const records = [0, 1, 2].map((k) => aRecord({
          subject: { iin: (w + k) % 2 === 0 ? IIN : OTHER_IIN }, occurredAt: new Date(Date.now() - (i + k) * 60_000).toISOString(),
        }));
        const res = await api(server, 'POST', '/v1/processing-records/batch', { records });
        expect(res.status).toBe(201);
        records.forEach((record, k) => acked.push({
          iin: (record.subject as { iin: string }).iin, subjectId: res.body.results[k].subjectId, position: res.body.results[k].position, record,
        }));
      }
    });
    let manifest: BackupManifest;
    try {
      while (acked.length < 60) await sleep(10);
      const run = await runCli(['backup', backup], keyFileEnv(source));
      expect([run.code, run.stderr]).toEqual([0, '']);
      const acksAtBackup = acked.length;
      while (acked.length < acksAtBackup + 30) await sleep(10);
      manifest = JSON.parse(readFileSync(join(backup, 'manifest.json'), 'utf8')) as BackupManifest;
      expect(run.stdout).toContain(`backed up the log to position ${manifest.lastPosition}`);
    } finally {
      writing = false;
      await Promise.all(writers);
      await server.kill('SIGTERM');
    }

    // The server went on writing after the copy: the backup holds the log up to a moment during its run.
    const sourceLog = await readLog(dataFiles(source).events);
    expect(manifest.lastPosition).toBeGreaterThan(0);
    expect(sourceLog.length).toBeGreaterThan(manifest.lastPosition);
    expect(manifest.files.map((f) => f.name)).toEqual(['read-models.db', 'events.db', 'pseudonym.key']);
    expect(filesUnder(backup).sort()).toEqual(['events.db', 'manifest.json', 'pseudonym.key', 'read-models.db']);
    for (const name of filesUnder(backup)) expect(readFileSync(join(backup, name)).includes(dataKey)).toBe(false);
    expect(JSON.stringify(manifest.excluded)).toContain('data-keys/');

    const run = await runCli(['restore', backup], keyFileEnv(restored));
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toContain(`(log to position ${manifest.lastPosition})`);
    expect(await readLog(dataFiles(restored).events)).toEqual(sourceLog.slice(0, manifest.lastPosition));
    expect(readFileSync(join(restored, 'pseudonym.key'))).toEqual(readFileSync(join(source, 'pseudonym.key')));
    expect(filesUnder(restored)).not.toContain('data-keys/');

    const again = await startChildServer(keyFileEnv(restored), { tokens });
    try {
      // The key came back: the IIN leads to the same pseudonym.
      const lookup = await api(again, 'POST', '/v1/subjects/lookup', { iin: IIN });
      expect(lookup.body).toEqual({ subjectId: acked.find((a) => a.iin === IIN)!.subjectId, known: true });
      // What was acknowledged up to the manifest's position is there (a repeat); what came after is new to it.
      const before = acked.find((a) => a.position <= manifest.lastPosition)!;
      const after = acked.find((a) => a.position > manifest.lastPosition)!;
      expect((await api(again, 'POST', '/v1/processing-records', before.record)).status).toBe(200);
      expect((await api(again, 'POST', '/v1/processing-records', after.record)).status).toBe(201);
      await waitForProjections(again);
    } finally {
      await again.kill('SIGTERM');
    }
    const kept = readModelSnapshot(dataFiles(restored).readModels);
    await projectionsRebuild(loadConfig(keyFileEnv(restored)), undefined);
    expect(kept).toEqual(readModelSnapshot(dataFiles(restored).readModels));
  }, 120_000); // a CLI backup and restore in child processes beside a writing server: slow on a loaded machine

  it('writes the copied databases owner-only, into an empty directory that already existed open to all too', async () => {
    const source = mkdtempSync(join(tmpdir(), 'derbes-source-'));
    const t = await startTestApp({ DERBES_DATA_DIR: source, DERBES_EVENT_STORE: join(source, 'events.db'), DERBES_PSEUDONYM_KEY: '' });
    try {
      await t.http.post('/v1/processing-records').send(aRecord()).expect(201);
    } finally {
      await t.close();
    }
    const backup = join(mkdtempSync(join(tmpdir(), 'derbes-backup-')), 'open');
    mkdirSync(backup);
    chmodSync(backup, 0o755);
    await backupDataDir(loadConfig(keyFileEnv(source)), backup);
    // Were 0644 here (the umask's): anyone on the machine could read every person's processing history.
    for (const name of ['events.db', 'read-models.db', 'pseudonym.key']) expect([name, statSync(join(backup, name)).mode & 0o777]).toEqual([name, 0o600]);

    // A restore (over a ledger: the record counts as one) forgets what `derbes verify` found of the log it replaces
    // (was shown on the console as the restored one's).
    const restored = mkdtempSync(join(tmpdir(), 'derbes-restored-'));
    writeFileSync(join(restored, 'last-verification.json'), JSON.stringify({ verifiedAt: '2026-11-01T00:00:00.000Z', ok: true, events: 276 }));
    await restoreDataDir(loadConfig(keyFileEnv(restored)), backup, { force: true });
    expect(readdirSync(restored)).not.toContain('last-verification.json');
  });

  it('carries every version of the tree-head signing keys, owner-only, so that the restored heads verify and the server keeps its keys', async () => {
    const source = mkdtempSync(join(tmpdir(), 'derbes-source-'));
    const backup = join(mkdtempSync(join(tmpdir(), 'derbes-backup-')), 'b');
    const restored = join(mkdtempSync(join(tmpdir(), 'derbes-restored-')), 'data');
    const env = { DERBES_DATA_DIR: source, DERBES_EVENT_STORE: join(source, 'events.db'), DERBES_PSEUDONYM_KEY: '' };
    const signHeadAfterARecord = async () => {
      const t = await startTestApp(env);
      try {
        await t.http.post('/v1/processing-records').send(aRecord()).expect(201);
        await t.http.post('/v1/integrity/tree-heads').send({}).expect(201);
        return (await t.http.get('/v1/integrity/keys').expect(200)).body as { keyId: string }[];
      } finally {
        await t.close();
      }
    };
    await signHeadAfterARecord();
    rotate(join(source, 'integrity-keys'));
    const published = await signHeadAfterARecord();
    expect(published.length).toBe(2);

    const manifest = await backupDataDir(loadConfig(keyFileEnv(source)), backup);
    const keys = ['integrity-keys/key-1.json', 'integrity-keys/key-2.json'];
    expect(manifest.files.map((f) => f.name)).toEqual(['read-models.db', 'events.db', 'pseudonym.key', ...keys]);
    await restoreDataDir(loadConfig(keyFileEnv(restored)), backup, { force: false });
    for (const dir of [backup, restored]) {
      expect(statSync(join(dir, 'integrity-keys')).mode & 0o777).toBe(0o700);
      for (const key of [...keys, 'pseudonym.key']) {
        expect(readFileSync(join(dir, key))).toEqual(readFileSync(join(source, key)));
        expect(statSync(join(dir, key)).mode & 0o777).toBe(0o600);
      }
    }

    const { ok, lines } = await verifyLedger(loadConfig(keyFileEnv(restored)));
    expect([ok, lines.at(-1)]).toEqual([true, expect.stringContaining('OK')]);
    const again = await startTestApp({ DERBES_DATA_DIR: restored, DERBES_EVENT_STORE: join(restored, 'events.db'), DERBES_PSEUDONYM_KEY: '' });
    try {
      expect((await again.http.get('/v1/integrity/keys').expect(200)).body).toEqual(published);
    } finally {
      await again.close();
    }
  }, 60_000);

  it('refuses a signing key file others may read, as the server does, naming it and the fix, with exit 1, and writes nothing', async () => {
    const source = mkdtempSync(join(tmpdir(), 'derbes-source-'));
    const t = await startTestApp({ DERBES_DATA_DIR: source, DERBES_EVENT_STORE: join(source, 'events.db'), DERBES_PSEUDONYM_KEY: '' });
    try {
      await t.http.post('/v1/processing-records').send(aRecord()).expect(201);
      await t.http.post('/v1/integrity/tree-heads').send({}).expect(201);
    } finally {
      await t.close();
    }
    const key = join(source, 'integrity-keys', 'key-1.json');
    chmodSync(key, 0o604);
    const parent = mkdtempSync(join(tmpdir(), 'derbes-backup-'));
    mkdirSync(join(parent, 'empty'));
    for (const target of [join(parent, 'new'), join(parent, 'empty')]) {
      const { code, stdout, stderr } = await runCli(['backup', target], keyFileEnv(source));
      expect([code, stdout, stderr]).toEqual([1, '', `derbes: signing key ${key}: readable by others than its owner; chmod 600 it\n`]);
    }
    expect(filesUnder(parent)).toEqual(['empty/']);
    // The copy would be owner-only; the original stays as it was, for its owner to mend.
    expect(statSync(key).mode & 0o777).toBe(0o604);
  }, 60_000);

  describe('restore refuses', () => {
    let ledger: string;
    let backup: string;
    let ledgerLog: string[];
    beforeAll(async () => {
      ledger = mkdtempSync(join(tmpdir(), 'derbes-ledger-'));
      const t = await startTestApp({ DERBES_DATA_DIR: ledger, DERBES_EVENT_STORE: join(ledger, 'events.db'), DERBES_PSEUDONYM_KEY: '' });
      await t.store.appendToStream('s', [{ id: 'e-1', type: 'Happened', data: {}, metadata: {} }], 'any');
      await t.close();
      ledgerLog = (await readLog(join(ledger, 'events.db'))).map((e) => e.id);
      backup = join(mkdtempSync(join(tmpdir(), 'derbes-backup-')), 'b');
      await backupDataDir(loadConfig(keyFileEnv(ledger)), backup);
    });

    /** A data directory that already holds another ledger, with a data key and a stale WAL beside its store. */
    function occupied(): string {
      const dir = mkdtempSync(join(tmpdir(), 'derbes-target-'));
      writeFileSync(join(dir, 'events.db'), 'another ledger');
      writeFileSync(join(dir, 'events.db-wal'), 'its write-ahead log');
      mkdirSync(join(dir, 'data-keys'));
      writeFileSync(join(dir, 'data-keys', 'subject-9.key'), 'kept');
      return dir;
    }

    it('to back up into a directory that is not empty', async () => {
      await expect(backupDataDir(loadConfig(keyFileEnv(ledger)), backup)).rejects.toThrow(`${backup} is not empty`);
    });

    it('to back up into, or restore from, a backup stopped before its end; a backup that fails leaves nothing', async () => {
      // What a backup killed half-way leaves: the databases copied, no manifest (it is written last).
      const unfinished = join(mkdtempSync(join(tmpdir(), 'derbes-unfinished-')), 'b');
      cpSync(backup, unfinished, { recursive: true });
      rmSync(join(unfinished, 'manifest.json'));
      await expect(backupDataDir(loadConfig(keyFileEnv(ledger)), unfinished)).rejects.toThrow(`${unfinished} holds an unfinished backup`);
      const target = mkdtempSync(join(tmpdir(), 'derbes-target-'));
      await expect(restoreDataDir(loadConfig(keyFileEnv(target)), unfinished, { force: false })).rejects.toThrow(`${unfinished} is an unfinished backup`);
      expect(readdirSync(target)).toEqual([]);

      // The pseudonym key cannot be copied (a directory holds its name): the backup fails after the databases.
      const broken = mkdtempSync(join(tmpdir(), 'derbes-broken-'));
      cpSync(ledger, broken, { recursive: true });
      rmSync(join(broken, 'pseudonym.key'));
      mkdirSync(join(broken, 'pseudonym.key'));
      const config = loadConfig(keyFileEnv(broken));
      // A directory the backup makes goes whole; one that existed empty stays, emptied.
      const parent = mkdtempSync(join(tmpdir(), 'derbes-failed-'));
      mkdirSync(join(parent, 'empty'));
      await expect(backupDataDir(config, join(parent, 'empty'))).rejects.toThrow('EISDIR');
      await expect(backupDataDir(config, join(parent, 'new'))).rejects.toThrow('EISDIR');
      expect(readdirSync(parent)).toEqual(['empty']);
      expect(readdirSync(join(parent, 'empty'))).toEqual([]);
    });

    it('while a live process holds the data directory', async () => {
      const target = mkdtempSync(join(tmpdir(), 'derbes-target-'));
      const other = spawn('sleep', ['10']);
      try {
        writeFileSync(join(target, 'ledger.pid'), `${other.pid}\n`);
        await expect(restoreDataDir(loadConfig(keyFileEnv(target)), backup, { force: true })).rejects.toThrow(`another ledger process (pid ${other.pid})`);
        expect(readdirSync(target)).toEqual(['ledger.pid']);
      } finally {
        other.kill();
      }
    });

    it('to replace a ledger without --force; with it, replaces the ledger and its stale WAL but not the data keys', async () => {
      const target = occupied();
      await expect(restoreDataDir(loadConfig(keyFileEnv(target)), backup, { force: false })).rejects.toThrow('already holds a ledger');
      expect(readFileSync(join(target, 'events.db'), 'utf8')).toBe('another ledger');
      await restoreDataDir(loadConfig(keyFileEnv(target)), backup, { force: true });
      expect((await readLog(join(target, 'events.db'))).map((e) => e.id)).toEqual(ledgerLog);
      expect(ledgerLog).toContain('e-1');
      expect(readFileSync(join(target, 'data-keys', 'subject-9.key'), 'utf8')).toBe('kept');
      expect(readdirSync(target).sort()).toEqual(['data-keys', 'events.db', 'pseudonym.key', 'read-models.db']);
    });

    it('any start on a directory whose restore stopped half-way, until a restore finishes', async () => {
      const target = mkdtempSync(join(tmpdir(), 'derbes-target-'));
      // The pseudonym key cannot take its place (a directory holds its name): the restore stops after the log.
      mkdirSync(join(target, 'pseudonym.key'));
      await expect(restoreDataDir(loadConfig(keyFileEnv(target)), backup, { force: true })).rejects.toThrow();
      expect((await readLog(join(target, 'events.db'))).map((e) => e.id)).toEqual(ledgerLog);
      expect(readdirSync(target)).toContain('restore-unfinished.json');
      const unfinished = `a restore into ${target} from ${backup}`;
      await expect(startTestApp({ DERBES_DATA_DIR: target, DERBES_EVENT_STORE: join(target, 'events.db'), DERBES_PSEUDONYM_KEY: '' })).rejects.toThrow(unfinished);
      await expect(verifyLedger(loadConfig(keyFileEnv(target)))).rejects.toThrow(unfinished);
      await expect(migrateLedger(loadConfig(keyFileEnv(target)), { to: join(target, 'migrated.db') })).rejects.toThrow(unfinished);
      await expect(backupDataDir(loadConfig(keyFileEnv(target)), join(mkdtempSync(join(tmpdir(), 'derbes-backup-')), 'b'))).rejects.toThrow(unfinished);
      const cli = await runCli(['serve'], keyFileEnv(target));
      expect(cli.code).not.toBe(0);
      expect(cli.stderr).toContain(`derbes restore ${backup} --force`);

      rmSync(join(target, 'pseudonym.key'), { recursive: true });
      await restoreDataDir(loadConfig(keyFileEnv(target)), backup, { force: true });
      expect(readdirSync(target).sort()).toEqual(['events.db', 'pseudonym.key', 'read-models.db']);
      const t = await startTestApp({ DERBES_DATA_DIR: target, DERBES_EVENT_STORE: join(target, 'events.db'), DERBES_PSEUDONYM_KEY: '' });
      expect((await t.store.readAll()).map((e) => e.id)).toEqual(expect.arrayContaining(ledgerLog));
      await t.close();
    });

    it('a directory holding other files, without calling them a ledger; with --force, restores beside them', async () => {
      const target = mkdtempSync(join(tmpdir(), 'derbes-target-'));
      writeFileSync(join(target, 'notes.txt'), 'kept');
      await expect(restoreDataDir(loadConfig(keyFileEnv(target)), backup, { force: false }))
        .rejects.toThrow(`${target} is not empty (${join(target, 'notes.txt')}): restore into it with --force`);
      await restoreDataDir(loadConfig(keyFileEnv(target)), backup, { force: true });
      expect(readdirSync(target).sort()).toEqual(['events.db', 'notes.txt', 'pseudonym.key', 'read-models.db']);
    });

    it('a directory with nothing but the data keys is not a ledger: restore goes ahead', async () => {
      const target = mkdtempSync(join(tmpdir(), 'derbes-target-'));
      mkdirSync(join(target, 'data-keys'));
      await restoreDataDir(loadConfig(keyFileEnv(target)), backup, { force: false });
      expect(readdirSync(target).sort()).toEqual(['data-keys', 'events.db', 'pseudonym.key', 'read-models.db']);
    });

    it('a backup that does not match its manifest, before touching anything', async () => {
      const damaged = join(mkdtempSync(join(tmpdir(), 'derbes-damaged-')), 'b');
      cpSync(backup, damaged, { recursive: true });
      const file = join(damaged, 'events.db');
      const bytes = readFileSync(file);
      bytes[bytes.length - 100] = (bytes[bytes.length - 100]! + 1) % 256;
      writeFileSync(file, bytes);
      const target = mkdtempSync(join(tmpdir(), 'derbes-target-'));
      await expect(restoreDataDir(loadConfig(keyFileEnv(target)), damaged, { force: false })).rejects.toThrow(`${file} does not match the manifest`);
      expect(readdirSync(target)).toEqual([]);
    });

    it('a manifest naming a file a backup does not hold (a path outside the data directory)', async () => {
      const forged = join(mkdtempSync(join(tmpdir(), 'derbes-forged-')), 'b');
      cpSync(backup, forged, { recursive: true });
      const manifest = JSON.parse(readFileSync(join(forged, 'manifest.json'), 'utf8')) as BackupManifest;
      writeFileSync(join(forged, 'manifest.json'), JSON.stringify({ ...manifest, files: [...manifest.files, { name: 'integrity-keys/../../x', bytes: 0, sha256: '' }] }));
      const target = mkdtempSync(join(tmpdir(), 'derbes-target-'));
      await expect(restoreDataDir(loadConfig(keyFileEnv(target)), forged, { force: false })).rejects.toThrow('"integrity-keys/../../x" is not a file a derbes backup holds');
      expect(readdirSync(target)).toEqual([]);
    });

    it('an in-memory store', async () => {
      const config = loadConfig({ ...keyFileEnv(mkdtempSync(join(tmpdir(), 'derbes-target-'))), DERBES_EVENT_STORE: ':memory:' });
      await expect(restoreDataDir(config, backup, { force: true })).rejects.toThrow('in memory');
      await expect(backupDataDir(config, join(backup, 'x'))).rejects.toThrow('in memory');
    });
  });
});
