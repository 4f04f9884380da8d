import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { NO_STREAM, SqliteEventStore, typescriptLoader } from '@derbes/event-store';
import { demoRecords } from '../apps/cli/src/demo/demo-dataset';
import { runDemo } from '../apps/cli/src/demo/demo.command';
import { projectionsRebuild, projectionsRun, projectionsStatus } from '../apps/cli/src/projections.command';
import { formatSeconds } from '../apps/cli/src/progress';
import { lockDataDir } from '../apps/ledger/src/config/data-dir-lock';
import { loadConfig } from '../apps/ledger/src/config/ledger-config';
import { childEnv, runCli, sleep } from './support/child-server';
import { IIN, TEST_KEY_HEX } from './support/test-app';

const ROOT = resolve(__dirname, '..');

function configFor(dir: string) {
  return loadConfig({ DERBES_DATA_DIR: dir, DERBES_PSEUDONYM_KEY: TEST_KEY_HEX, DERBES_LOG_LEVEL: 'error' });
}

describe('derbes demo', () => {
  it('is deterministic: the same seed gives the same records, another seed others', () => {
    const a = demoRecords({ employees: 30, seed: 1 });
    expect(demoRecords({ employees: 30, seed: 1 })).toEqual(a);
    expect(demoRecords({ employees: 30, seed: 2 })).not.toEqual(a);
    expect(new Set(a.map((r) => r.recordId)).size).toBe(a.length);
    expect(a.every((r) => Date.parse(r.occurredAt as string) < Date.parse('2026-11-21T00:00:00Z'))).toBe(true);
  });

  it('records a year of processing with a few violations, and adds nothing when run again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-demo-'));
    const first = await runDemo(configFor(dir), { employees: 60, seed: 7 });
    expect(first.records).toBeGreaterThan(60 * 15);
    expect(first).toMatchObject({ employees: 60, created: first.records, duplicates: 0 });
    expect(Object.keys(first.violations).sort()).toEqual(['blocked-data-processed', 'category-destroyed', 'cross-border-without-ground', 'no-register-in-force']);
    const again = await runDemo(configFor(dir), { employees: 60, seed: 7 });
    expect(again).toMatchObject({ created: 0, duplicates: first.records, violations: first.violations });
  });

  it('says why when run again with other options over the same ids, and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-demo-'));
    const first = await runDemo(configFor(dir), { employees: 3, seed: 5 });
    await expect(runDemo(configFor(dir), { employees: 1, seed: 5 })).rejects.toThrow(/already holds other demo records .* --employees and --seed/);
    const again = await runDemo(configFor(dir), { employees: 3, seed: 5 });
    expect(again).toMatchObject({ created: 0, duplicates: first.records });
  });
});

describe('derbes projections', () => {
  it('rebuilds every read model from the log and reports where each stands', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-cli-'));
    await runDemo(configFor(dir), { employees: 10, seed: 3 });
    const rebuilt = await projectionsRebuild(configFor(dir), undefined);
    const status = await projectionsStatus(configFor(dir));
    expect(status).toEqual(rebuilt);
    for (const line of status) expect(line).toMatch(/generation \d+ \(v\d+\) at \d+, log at \d+, lag 0/);
  });

  it('keeps the read models in a process of their own, which an API without projections reads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-cli-'));
    await runDemo(configFor(dir), { employees: 5, seed: 4 });
    let stop: () => void = () => undefined;
    const running = projectionsRun(configFor(dir), new Promise<void>((resolve) => { stop = resolve; }));
    expect(readFileSync(join(dir, 'ledger.pid'), 'utf8').split('\n')[0]).toBe(String(process.pid));
    for (let i = 0; i < 100 && !(await projectionsStatus(configFor(dir))).every((l) => l.includes('lag 0')); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await projectionsStatus(configFor(dir))).every((l) => l.includes('lag 0'))).toBe(true);
    stop();
    await running;
  });

  it('refuses to rebuild while another live process holds the data directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-cli-'));
    await SqliteEventStore.open(join(dir, 'events.db')).close();
    const other = spawn('sleep', ['10']);
    try {
      writeFileSync(join(dir, 'ledger.pid'), `${other.pid}\n`);
      await expect(projectionsRebuild(configFor(dir), undefined)).rejects.toThrow(`another ledger process (pid ${other.pid})`);
    } finally {
      other.kill();
    }
  });

  it('takes over a lock left by a process that is gone, and releases its own', () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-cli-'));
    writeFileSync(join(dir, 'ledger.pid'), '999999\n');
    const release = lockDataDir(dir);
    release();
    lockDataDir(dir)();
  });

  it('names an unknown projection', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-cli-'));
    await SqliteEventStore.open(join(dir, 'events.db')).close();
    await expect(projectionsRebuild(configFor(dir), 'no-such-model')).rejects.toThrow(/^no projection named no-such-model: one of subject-history, .*actor-activity/);
  });

  it('formats the time left', () => {
    expect(formatSeconds(4.4)).toBe('4s');
    expect(formatSeconds(125)).toBe('2m05s');
  });
});

/** Whether a rebuild has applied some of the log to a new generation, read beside the process writing it. */
function rebuilding(readModels: string): boolean {
  if (!existsSync(readModels)) return false;
  const db = new Database(readModels, { readonly: true });
  try {
    return db.prepare("SELECT 1 FROM projection_generations WHERE state = 'building' AND position > 0").get() !== undefined;
  } catch {
    return false; // its tables are not there yet
  } finally {
    db.close();
  }
}

describe('the derbes command line', () => {
  it('prints the usage for help, --help and -h, also after a command, and exits 0', async () => {
    const env = childEnv(mkdtempSync(join(tmpdir(), 'derbes-cli-')));
    for (const asked of [['help'], ['--help'], ['-h'], ['demo', '--help'], ['keys', 'create', '-h']]) {
      const { code, stdout, stderr } = await runCli(asked, env);
      expect([code, stderr]).toEqual([0, '']);
      expect(stdout).toMatch(/^usage: derbes <command>\n/);
    }
  }, 60_000);

  it('explains each keys command under its own line', async () => {
    const { stdout } = await runCli(['help'], childEnv(mkdtempSync(join(tmpdir(), 'derbes-cli-'))));
    expect(stdout).toMatch(/ {2}keys revoke KEYID \[--reason TEXT\]\n +revoke a key at once/);
    expect(stdout).toMatch(/ {2}keys password NAME\|KEYID +set the console password/);
  }, 60_000);

  it('refuses to create a key with a name the ledger records for itself, with exit 2, and writes nothing', async () => {
    const root = mkdtempSync(join(tmpdir(), 'derbes-cli-'));
    const { code, stdout, stderr } = await runCli(['keys', 'create', '--role', 'official', '--name', 'data-subject', '--unit', 'personnel-management'], childEnv(join(root, 'data')));
    expect([code, stdout, stderr.split('\n')[0]]).toEqual([2, '', '--name: "data-subject" is a name the ledger records for itself (data-subject, derbes): choose another']);
    expect(readdirSync(root)).toEqual([]);
  }, 60_000);

  it('refuses an unknown option and names a missing operand, with the usage and exit 2, and writes nothing', async () => {
    const root = mkdtempSync(join(tmpdir(), 'derbes-cli-'));
    const env = childEnv(join(root, 'data'));
    const cases: [string[], string][] = [
      [['backup', '--force'], 'backup: unknown option --force'],
      [['backup'], 'backup needs the directory to write the backup into (a new or empty one)'],
      [['backup', 'a', 'b'], 'backup takes only the directory to write the backup into (a new or empty one), got: a b'],
      [['restore', '--force'], 'restore needs the backup\'s directory'],
      [['restore', 'b', '--forse'], 'restore: unknown option --forse'],
      [['keys', 'revoke'], 'keys revoke needs a key id'],
      [['keys', 'revoke', '0123456789ab', '--reason', ''], '--reason: must say why, not be blank: it is recorded in the log'],
      [['keys', 'password'], 'keys password needs a key\'s name or id'],
      [['projections', 'rebuild', '--all'], 'projections rebuild: unknown option --all'],
    ];
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = await runCli(args, env);
      expect([args, code, stdout, stderr.split('\n').slice(0, 2)]).toEqual([args, 2, '', [message, 'usage: derbes <command>']]);
    }
    expect(readdirSync(root)).toEqual([]);
  }, 120_000);

  it('refuses to work on a ledger that is not there rather than make an empty one, with one line and exit 1', async () => {
    const root = mkdtempSync(join(tmpdir(), 'derbes-cli-'));
    const env = childEnv(join(root, 'data'), { DERBES_PSEUDONYM_KEY: '' });
    const commands = [
      ['projections', 'status'], ['projections', 'rebuild'], ['keys', 'list'], ['keys', 'revoke', '0123456789ab'], ['keys', 'password', 'ops'], ['verify'],
      ['report', 'subject', '--iin', IIN, '--out', join(root, 'report.pdf')],
    ];
    for (const args of commands) {
      const { code, stdout, stderr } = await runCli(args, env, 'a long console password\n');
      expect([args, code, stdout, stderr]).toEqual([args, 1, '', `derbes: no event store at ${join(root, 'data', 'events.db')}: is DERBES_DATA_DIR (or DERBES_EVENT_STORE) the ledger's?\n`]);
    }
    expect(readdirSync(root)).toEqual([]);
    // A ledger is made on purpose by the README's first step.
    expect((await runCli(['keys', 'create', '--role', 'admin', '--name', 'ops'], env)).code).toBe(0);
    expect(readdirSync(join(root, 'data'))).toContain('events.db');
    // An IIN typed where a key id goes is not echoed back.
    const revoked = await runCli(['keys', 'revoke', IIN, '--reason', 'left'], env);
    expect([revoked.code, revoked.stderr.split('\n')[0]]).toEqual([2, `no live key ${IIN[0]}**********${IIN[11]}`]);
    expect(revoked.stderr).not.toContain(IIN);
  }, 120_000);

  it('says so, and only that, with exit 1, when the ledger holds nothing about a subject', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-cli-'));
    await SqliteEventStore.open(join(dir, 'events.db')).close();
    const { code, stdout, stderr } = await runCli(['report', 'subject', '--iin', IIN, '--out', join(dir, 'report.pdf')], childEnv(dir));
    expect([code, stdout, stderr]).toEqual([1, '', 'derbes: the ledger holds nothing about this subject\n']);
  }, 60_000);

  it('refuses to report on an IIN born after today, naming the rule, with exit 2, and records nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-cli-'));
    await SqliteEventStore.open(join(dir, 'events.db')).close();
    // 991231500016: a valid check digit, but born 2099-12-31.
    const { code, stdout, stderr } = await runCli(['report', 'subject', '--iin', '991231500016', '--out', join(dir, 'report.pdf')], childEnv(dir));
    expect([code, stdout, stderr.split('\n')[0]]).toEqual([2, '', expect.stringMatching(/^--iin: .*a birth date in the future \(2099-12-31, after \d{4}-\d{2}-\d{2}\) \(rule: birth-date\)$/)]);
    expect(existsSync(join(dir, 'report.pdf'))).toBe(false);
  }, 60_000);

  it.each([
    ['an IIN as the reader (was recorded in clear)', ['--actor', IIN], /^--actor: must not contain an IIN/],
    ['an empty role (was recorded empty)', ['--role', ''], /^--role: must be a code of 1 to 100 characters/],
    ['an --out in a directory that does not exist (the read was recorded, no report written)', ['--out', '/nonexistent-dir/r.pdf'], /^--out: cannot write \/nonexistent-dir\/r\.pdf/],
  ])('refuses to report with %s, with exit 2, and records nothing', async (_what, flags, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-cli-'));
    await SqliteEventStore.open(join(dir, 'events.db')).close();
    const args = ['report', 'subject', '--iin', IIN, '--out', join(dir, 'report.pdf')];
    const out = flags.indexOf('--out');
    if (out >= 0) args.splice(args.indexOf('--out'), 2);
    const { code, stdout, stderr } = await runCli([...args, ...flags], childEnv(dir));
    expect([code, stdout, stderr.split('\n')[0]]).toEqual([2, '', expect.stringMatching(message)]);
    const store = SqliteEventStore.open(join(dir, 'events.db'));
    expect(await store.lastPosition()).toBe(0);
    await store.close();
  }, 60_000);

  it('on Ctrl-C during projections rebuild says the rebuild was interrupted, releases the lock, and a rerun completes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-cli-'));
    const store = SqliteEventStore.open(join(dir, 'events.db'));
    for (let s = 0; s < 100; s++) {
      const events = Array.from({ length: 500 }, (_, i) => ({ id: randomUUID(), type: 'Generated', data: { s, i }, metadata: {} }));
      await store.appendToStream(`generated-${s}`, events, NO_STREAM);
    }
    await store.close();
    const env = childEnv(dir);
    const child = spawn(process.execPath, ['-e', `${typescriptLoader(ROOT)}\nprocess.argv.splice(1, 0, 'derbes'); require(${JSON.stringify(join(ROOT, 'apps/cli/src/main.ts'))});`,
      'projections', 'rebuild'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    for (let i = 0; i < 3000 && !rebuilding(join(dir, 'read-models.db')) && child.exitCode === null; i++) await sleep(10);
    expect([child.exitCode, existsSync(join(dir, 'ledger.pid'))]).toEqual([null, true]);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toBe('derbes: the rebuild was interrupted (SIGINT); the read models in use are as they were, and the rebuild starts over when run again\n');
    expect(existsSync(join(dir, 'ledger.pid'))).toBe(false);
    // Nobody keeps the read models now: what the rebuild left is said to be left, not to be rebuilding.
    const status = await runCli(['projections', 'status'], env);
    expect(status.stdout).toMatch(/left half-built at \d+ by a rebuild that stopped \(discarded when the read models are next kept\)/);
    expect(status.stdout).not.toContain('rebuilding generation');
    const again = await runCli(['projections', 'rebuild'], env);
    expect([again.code, again.stderr.includes('100%')]).toEqual([0, true]);
  }, 120_000);

  const spawnCli = (args: string[], env: NodeJS.ProcessEnv) => {
    const child = spawn(process.execPath, ['-e', `${typescriptLoader(ROOT)}\nprocess.argv.splice(1, 0, 'derbes'); require(${JSON.stringify(join(ROOT, 'apps/cli/src/main.ts'))});`,
      ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = { stdout: '', stderr: '' };
    child.stdout.on('data', (chunk: Buffer) => { output.stdout += chunk.toString('utf8'); });
    child.stderr.on('data', (chunk: Buffer) => { output.stderr += chunk.toString('utf8'); });
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    return { child, output, exited };
  };

  it('on Ctrl-C during demo stops between batches, revokes the run\'s keys and says how to go on; a rerun adds the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-cli-'));
    const env = childEnv(dir);
    const { child, output, exited } = spawnCli(['demo', '--employees', '300'], env);
    const written = async () => {
      if (!existsSync(join(dir, 'events.db'))) return 0;
      const store = SqliteEventStore.open(join(dir, 'events.db'));
      try {
        return await store.lastPosition();
      } finally {
        await store.close();
      }
    };
    for (let i = 0; i < 3000 && (await written()) < 500 && child.exitCode === null; i++) await sleep(10);
    expect(child.exitCode).toBeNull();
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(output.stderr).toMatch(/^derbes: the demo was interrupted \(SIGINT\) after \d+ of \d+ records, each batch stored whole; its keys are revoked\./m);
    const keys = await runCli(['keys', 'list'], env);
    const demoKeys = keys.stdout.split('\n').filter((line) => line.includes('demo-'));
    expect(demoKeys.length).toBeGreaterThan(0);
    for (const line of demoKeys) expect(line).toContain('REVOKED');
    const again = await runCli(['demo', '--employees', '300'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/\(\d+ new, [1-9]\d* already there\)/);
  }, 180_000);

  it('stops projections run on Ctrl-C with exit 0, releasing the data directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-cli-'));
    await SqliteEventStore.open(join(dir, 'events.db')).close();
    const { child, output, exited } = spawnCli(['projections', 'run'], childEnv(dir));
    for (let i = 0; i < 3000 && !output.stdout.includes('stop with Ctrl-C') && child.exitCode === null; i++) await sleep(10);
    for (let i = 0; i < 3000 && !existsSync(join(dir, 'read-models.db')) && child.exitCode === null; i++) await sleep(10);
    await sleep(500);
    child.kill('SIGINT');
    expect([await exited, output.stderr]).toEqual([0, '']);
    expect(existsSync(join(dir, 'ledger.pid'))).toBe(false);
    // Its own waits may take 60 s on a loaded machine (a child compiling the sources as it starts): room beyond them.
  }, 120_000);

  it('masks an IIN in every line it prints, on success as on failure: paths named by it in backup, restore and migrate', async () => {
    const root = mkdtempSync(join(tmpdir(), 'derbes-cli-'));
    const at = (...names: string[]) => join(root, ...names);
    const masked = `${IIN[0]}**********${IIN[11]}`;
    mkdirSync(at('ledgers', IIN), { recursive: true });
    const store = SqliteEventStore.open(at('ledgers', IIN, 'events.db'));
    await store.appendToStream('s', [{ id: randomUUID(), type: 'Happened', data: {}, metadata: {} }], NO_STREAM);
    await store.close();
    const env = childEnv(at('ledgers', IIN));

    const backup = await runCli(['backup', `${at('backups', IIN)}/`], env);
    expect([backup.code, backup.stdout.split('\n')[0]]).toEqual([0, `backed up the log to position 1 into ${at('backups', masked)}: events.db`]);
    const again = await runCli(['backup', at('backups', IIN)], env);
    expect([again.code, again.stderr]).toEqual([1, `derbes: ${at('backups', masked)} is not empty: a backup goes into a new directory\n`]);
    const restore = await runCli(['restore', at('backups', IIN)], childEnv(at('restored', IIN)));
    expect([restore.code, restore.stdout.split('\n')[0]]).toEqual([0, expect.stringMatching(new RegExp(`^restored the backup of .* into ${at('restored', masked).replace(/\*/g, '\\*')}$`))]);
    mkdirSync(at('moved'));
    const migrate = await runCli(['migrate', '--to', at('moved', `${IIN}.db`)], env);
    expect([migrate.code, migrate.stdout.split('\n')[0]]).toEqual([0, `source ${at('ledgers', masked, 'events.db')}: 1 event; target ${at('moved', `${masked}.db`)}`]);
    expect(migrate.stderr).toMatch(/^migrate \[/); // a progress line, masked like the rest

    for (const { stdout, stderr } of [backup, again, restore, migrate]) expect(stdout + stderr).not.toContain(IIN);
  }, 60_000);

  it('names a file that is not a database in one line, without a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-cli-'));
    await SqliteEventStore.open(join(dir, 'events.db')).close();
    writeFileSync(join(dir, 'read-models.db'), 'not a database, but a file of more than a few bytes '.repeat(20));
    for (const args of [['keys', 'list'], ['projections', 'status']]) {
      const { code, stdout, stderr } = await runCli(args, childEnv(dir));
      expect([code, stdout, stderr]).toEqual([1, '', `derbes: ${join(dir, 'read-models.db')}: file is not a database\n`]);
    }
  }, 60_000);
});
