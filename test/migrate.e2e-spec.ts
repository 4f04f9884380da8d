import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { NO_STREAM, SqliteEventStore, openEventStore, typescriptLoader, type RecordedEvent } from '@derbes/event-store';
import { eventLeafHash, merkleRoot } from '@derbes/integrity';
import { childEnv, runCli, sleep } from './support/child-server';
import { describeWithEventStore } from './support/eventstore-target';
import { IIN, OTHER_IIN, aRecord, startTestApp } from './support/test-app';

const ROOT = resolve(__dirname, '..');

async function readLog(location: string): Promise<RecordedEvent[]> {
  const store = location.startsWith('esdb') ? await openEventStore(location) : SqliteEventStore.open(location, { writer: 'inline' });
  try {
    return await store.readAll();
  } finally {
    await store.close();
  }
}

/** The RFC 9162 root of a log, by the reference implementation over every leaf (the test's logs are small). */
const rootOf = (events: readonly RecordedEvent[]) => merkleRoot(events.map((e) => eventLeafHash(e))).toString('hex');

/** The last position of a store file, read beside the process writing it; 0 before its schema is there. */
function lastPositionOf(file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    if (!db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'events'").get()) return 0;
    return db.prepare<[], number>('SELECT coalesce(max(position), 0) FROM events').pluck().get() ?? 0;
  } finally {
    db.close();
  }
}

/**
 * A ledger on a file store, as the server writes it: records of two subjects, a head signed by the server, a batch,
 * a second head, a few records after it. Each case migrates it (or a copy) with the `derbes` command.
 */
describe('derbes migrate', () => {
  const root = mkdtempSync(join(tmpdir(), 'derbes-migrate-'));
  const ledger = join(root, 'ledger');
  const source = join(ledger, 'events.db');
  const env = childEnv(ledger, { DERBES_EVENT_STORE: source });
  let sourceLog: RecordedEvent[] = [];
  let targets = 0;
  const newTarget = () => {
    const dir = join(root, `target-${++targets}`);
    mkdirSync(dir);
    return join(dir, 'events.db');
  };

  beforeAll(async () => {
    const t = await startTestApp({ DERBES_EVENT_STORE: source, DERBES_DATA_DIR: ledger });
    try {
      const record = (i: number) => aRecord({ subject: { iin: i % 2 ? OTHER_IIN : IIN }, operation: 'access', source: undefined, note: `visit ${i}` });
      for (let i = 0; i < 6; i++) await t.http.post('/v1/processing-records').send(record(i)).expect(201);
      await t.http.post('/v1/integrity/tree-heads').send({}).expect(201);
      await t.http.post('/v1/processing-records/batch').send({ records: [6, 7, 8, 9].map(record) }).expect(201);
      await t.http.post('/v1/integrity/tree-heads').send({}).expect(201);
      for (let i = 10; i < 13; i++) await t.http.post('/v1/processing-records').send(record(i)).expect(201);
    } finally {
      await t.close();
    }
    sourceLog = await readLog(source);
  }, 60_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('copies the whole log to an empty store and checks the count, the root and both signed heads on it', async () => {
    const target = newTarget();
    const n = sourceLog.length;
    const { code, stdout, stderr } = await runCli(['migrate', '--to', target], env);
    expect(stdout).toContain(`source ${source}: ${n} events; target ${target}`);
    expect(stdout).toContain('the target is empty: copying from position 1');
    expect(stdout).toMatch(new RegExp(`^copied ${n} events \\(positions 1 to ${n}\\) in \\d+s`, 'm'));
    expect(stdout).toContain(`count: OK: source and target both end at position ${n}`);
    expect(stdout).toContain(`root: OK: both logs of ${n} events have the Merkle root ${rootOf(sourceLog)}`);
    expect(stdout).toMatch(/signed tree heads: OK: all 2 heads of the log verify on the target \(signature, and root at their size\), the latest of size \d+ .*; every subject's chain holds \(2 subjects\)/);
    expect(stdout).toMatch(/^OK: the target holds the source's log/m);
    expect(stderr).toMatch(/migrate \[#+\] 100% /);
    expect(code).toBe(0);
    expect(await readLog(target)).toEqual(sourceLog);
    // The copy is a ledger derbes verify accepts with the ledger's keys.
    const verified = await runCli(['verify'], childEnv(ledger, { DERBES_EVENT_STORE: target }));
    expect(verified.stdout).toContain('OK: the log agrees with every signed tree head and every chain');
    expect(verified.code).toBe(0);
  }, 60_000);

  it('resumes a copy killed half-way, and ends with the same log and root', async () => {
    // A larger log, so that the copy is still running when it is killed.
    const big = join(root, 'big', 'events.db');
    const store = SqliteEventStore.open(big);
    for (let s = 0; s < 60; s++) {
      const events = Array.from({ length: 500 }, (_, i) => ({ id: `00000000-0000-4000-8000-${String(s * 500 + i).padStart(12, '0')}`, type: 'Generated', data: { s, i }, metadata: {} }));
      await store.appendToStream(`generated-${s}`, events, NO_STREAM);
    }
    await store.close();
    const total = 30_000;
    const target = newTarget();
    const bigEnv = childEnv(join(root, 'big'), {});
    const child = spawn(process.execPath, ['-e', `${typescriptLoader(ROOT)}\nprocess.argv.splice(1, 0, 'derbes'); require(${JSON.stringify(join(ROOT, 'apps/cli/src/main.ts'))});`,
      'migrate', '--from', big, '--to', target, '--batch', '100'], { cwd: ROOT, env: bigEnv, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((done) => child.once('exit', (_code, signal) => done(signal)));
    let killedAt = 0;
    for (let i = 0; i < 3000 && killedAt === 0 && child.exitCode === null; i++) {
      if (existsSync(target) && lastPositionOf(target) > 0) {
        child.kill('SIGKILL');
        killedAt = lastPositionOf(target);
      } else {
        await sleep(10);
      }
    }
    expect(await exited).toBe('SIGKILL');
    const held = lastPositionOf(target);
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThan(total);
    expect(held % 100).toBe(0); // whole batches only: each import is one transaction

    const { code, stdout } = await runCli(['migrate', '--from', big, '--to', target], bigEnv);
    expect(stdout).toContain(`the target already holds positions 1 to ${held.toLocaleString('en-US')} of this log (its events 1 and ${held.toLocaleString('en-US')} are the source's): copying from ${(held + 1).toLocaleString('en-US')}`);
    expect(stdout).toMatch(new RegExp(`^copied ${(total - held).toLocaleString('en-US')} events \\(positions ${(held + 1).toLocaleString('en-US')} to 30,000\\)`, 'm'));
    const bigLog = await readLog(big);
    expect(stdout).toContain(`root: OK: both logs of 30,000 events have the Merkle root ${rootOf(bigLog)}`);
    expect(stdout).toContain('signed tree heads: OK: all 0 heads');
    expect(code).toBe(0);
    expect(await readLog(target)).toEqual(bigLog);

    const again = await runCli(['migrate', '--from', big, '--to', target], bigEnv);
    expect(again.stdout).toContain('nothing to copy: the target holds all 30,000 events');
    expect(again.code).toBe(0);
  }, 120_000);

  it('fails (exit 1) when the signed heads do not verify on the target: here, the ledger\'s keys are not in the data directory given', async () => {
    const elsewhere = join(root, 'no-keys');
    const { code, stdout } = await runCli(['migrate', '--from', source, '--to', newTarget()], childEnv(elsewhere, {}));
    expect(stdout).toContain(`count: OK: source and target both end at position ${sourceLog.length}`);
    expect(stdout).toContain(`root: OK: both logs of ${sourceLog.length} events have the Merkle root ${rootOf(sourceLog)}`);
    expect(stdout).toMatch(/^signed tree heads: FAILED: 0 of the source's 2 heads checked on the target; first finding at position \d+: head-unknown-key: the tree head at position \d+ .* is signed by key [0-9a-f]{16}, which is not among the ledger's public keys \(none\)$/m);
    expect(stdout).toMatch(/^FAILED: the signed tree heads check did not pass \(see above\)$/m);
    expect(code).toBe(1);
  }, 60_000);

  it('refuses a signing key file others may read, as the server does, naming it and the fix, before writing to the target', async () => {
    const open = join(root, 'open-key');
    cpSync(ledger, open, { recursive: true });
    const key = join(open, 'integrity-keys', 'key-1.json');
    chmodSync(key, 0o660);
    const target = newTarget();
    const { code, stdout, stderr } = await runCli(['migrate', '--from', source, '--to', target], childEnv(open, {}));
    expect([code, stdout, stderr]).toEqual([1, '', `derbes: signing key ${key}: readable by others than its owner; chmod 600 it\n`]);
    expect(existsSync(target)).toBe(false);
  }, 60_000);

  it('refuses a target that holds other events, and writes nothing to it', async () => {
    const target = newTarget();
    const other = SqliteEventStore.open(target);
    await other.appendToStream('someone-else', [{ id: '11111111-1111-4111-8111-111111111111', type: 'Other', data: {}, metadata: {} }], NO_STREAM);
    await other.close();
    const { code, stdout, stderr } = await runCli(['migrate', '--to', target], env);
    expect(stderr).toContain(`derbes: the target already holds 1 event that are not a copy of this ledger's log (at position 1 the target has event 11111111-1111-4111-8111-111111111111 in someone-else, the source ${sourceLog[0]!.id}); nothing was written`);
    expect(stdout).not.toContain('copied');
    expect(code).toBe(1);
    expect((await readLog(target)).map((e) => e.id)).toEqual(['11111111-1111-4111-8111-111111111111']);
  }, 60_000);

  it('refuses a copy whose last event was altered since, naming the position', async () => {
    const target = newTarget();
    expect((await runCli(['migrate', '--to', target], env)).code).toBe(0);
    const altered = join(root, 'altered', 'events.db');
    cpSync(join(target, '..'), join(altered, '..'), { recursive: true });
    const db = new Database(altered);
    db.prepare("UPDATE events SET data = json_set(data, '$.note', 'changed') WHERE position = (SELECT max(position) FROM events)").run();
    db.close();
    const { code, stderr } = await runCli(['migrate', '--to', altered], env);
    expect(stderr).toContain(`(at position ${sourceLog.length} the target has event ${sourceLog[sourceLog.length - 1]!.id} in ${sourceLog[sourceLog.length - 1]!.streamId}, the source ${sourceLog[sourceLog.length - 1]!.id} with other content); nothing was written`);
    expect(code).toBe(1);
  }, 60_000);

  it('refuses while a ledger process holds the data directory (it would append what the copy misses)', async () => {
    const server = spawn('sleep', ['30']);
    try {
      writeFileSync(join(ledger, 'ledger.pid'), `${server.pid}\n`);
      const target = newTarget();
      const { code, stderr } = await runCli(['migrate', '--to', target], env);
      expect(stderr).toContain(`derbes: migrate copies a stopped ledger: another ledger process (pid ${server.pid}) keeps the read models of ${ledger}`);
      expect(code).toBe(1);
      expect(existsSync(target)).toBe(false);
    } finally {
      server.kill();
      rmSync(join(ledger, 'ledger.pid'), { force: true });
    }
  }, 60_000);

  it('fails naming the address when the EventStoreDB target is unreachable', async () => {
    const probe = createServer();
    await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
    const { port } = probe.address() as { port: number };
    await new Promise((done) => probe.close(done));
    const { code, stdout, stderr } = await runCli(['migrate', '--to', `esdb://127.0.0.1:${port}?tls=false`], env);
    expect(stderr).toMatch(new RegExp(`^derbes: EventStoreDB at esdb://127\\.0\\.0\\.1:${port}\\?tls=false is unreachable: 14 UNAVAILABLE.*ECONNREFUSED.*\\(is the server running\\?`));
    expect(stdout).toBe('');
    expect(code).toBe(1);
  }, 60_000);

  it('names what is wrong with its arguments', async () => {
    const missing = await runCli(['migrate'], env);
    expect(missing.stderr).toMatch(/^--to is required\nusage: derbes <command>/);
    expect(missing.code).toBe(2);
    const batch = await runCli(['migrate', '--to', newTarget(), '--batch', '0'], env);
    expect(batch.stderr).toMatch(/^--batch takes a whole number from 1 to 100000\n/);
    expect(batch.code).toBe(2);
    const itself = await runCli(['migrate', '--to', source], env);
    expect(itself.stderr).toMatch(new RegExp(`^--to ${source} is the source itself\\n`));
    expect(itself.code).toBe(2);
    const nowhere = await runCli(['migrate', '--from', join(root, 'nowhere.db'), '--to', newTarget()], env);
    expect(nowhere.stderr).toMatch(new RegExp(`^no event store at ${join(root, 'nowhere.db')}\\n`));
    expect(nowhere.code).toBe(2);
    // An empty file, or a file that is no store, is refused and left as it was (opened as a store, it got its tables).
    for (const [name, content] of [['empty.db', ''], ['notes.txt', 'some notes, not a database']] as const) {
      const file = join(root, name);
      writeFileSync(file, content);
      const other = await runCli(['migrate', '--from', file, '--to', newTarget()], env);
      expect([other.code, other.stderr.split('\n')[0]]).toEqual([2, `${file} is no ledger's event store (no events table in it); nothing was written`]);
      expect(readFileSync(file, 'utf8')).toBe(content);
    }
  }, 60_000);

  it('refuses a target that is neither EventStoreDB nor a file in an existing directory, and makes nothing', async () => {
    const before = readdirSync(root).sort();
    const cases: [string, string][] = [
      ['http://user:secret@foo', '--to http://user:***@foo: "http://" is not a store migrate writes to: give esdb://host:2113?tls=false, esdb+discover://a:2113,b:2113,c:2113, or a SQLite file in an existing directory'],
      [join(root, 'no-such-dir', 'x.db'), `--to ${join(root, 'no-such-dir', 'x.db')}: there is no directory ${join(root, 'no-such-dir')}; give a SQLite file in an existing directory`],
      [root, `--to ${root} is a directory; give a SQLite file in it`],
    ];
    for (const [to, message] of cases) {
      const { code, stdout, stderr } = await runCli(['migrate', '--to', to], env);
      expect([to, code, stdout, stderr.split('\n')[0]]).toEqual([to, 2, '', message]);
    }
    expect(readdirSync(root).sort()).toEqual(before);
    expect(existsSync(join(ROOT, 'http:'))).toBe(false);
  }, 60_000);

  // A ledger on EventStoreDB is every non-system event of the server (as the app opens it), so this needs a server
  // of its own: a container where docker runs; with DERBES_EVENTSTORE_URL, a fresh server (not one the contract
  // suite or an earlier run has written to).
  describeWithEventStore('to EventStoreDB', (server) => {
    it('copies the ledger to EventStoreDB and checks the count, the root and both signed heads there', async () => {
      const held = await openEventStore(server.url()).then(async (store) => {
        const last = await store.lastPosition();
        await store.close();
        return last;
      });
      if (held > 0) throw new Error(`this test needs an EventStoreDB without events; ${server.url()} already holds ${held} (another run's or the contract suite's): give a fresh server`);
      const { code, stdout } = await runCli(['migrate', '--to', server.url()], env);
      expect(stdout).toContain(`count: OK: source and target both end at position ${sourceLog.length}`);
      expect(stdout).toContain(`root: OK: both logs of ${sourceLog.length} events have the Merkle root ${rootOf(sourceLog)}`);
      expect(stdout).toContain('signed tree heads: OK: all 2 heads of the log verify on the target');
      expect(code).toBe(0);
      expect(await readLog(server.url())).toEqual(sourceLog);
    }, 180_000);
  });
});
