import { spawn, type ChildProcess } from 'node:child_process';
import fs, { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, readlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { typescriptLoader } from '@derbes/event-store';
import { lockDataDir, lockHolder } from './data-dir-lock';

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'derbes-lock-'));
  dirs.push(dir);
  return dir;
}

function sleeper(): ChildProcess {
  const child = spawn('sleep', ['30']);
  children.push(child);
  return child;
}

/** The second line a lock file holds for a live process: what /proc says of it (the ledger's machines run Linux). */
function identityOf(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  return `${boot} ${readlinkSync(`/proc/${pid}/ns/pid`)} ${stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]}`;
}

describe('the data directory lock', () => {
  it('writes its pid and identity, refuses a second claim by another process, and releases only its own file', () => {
    const dir = dataDir();
    const release = lockDataDir(dir);
    const [pid, identity] = readFileSync(join(dir, 'ledger.pid'), 'utf8').split('\n');
    expect(pid).toBe(String(process.pid));
    expect(identity).toBe(identityOf(process.pid));
    release();
    expect(existsSync(join(dir, 'ledger.pid'))).toBe(false);
  });

  it('counts a live process as the holder when its identity matches', () => {
    const dir = dataDir();
    const other = sleeper();
    writeFileSync(join(dir, 'ledger.pid'), `${other.pid}\n${identityOf(other.pid as number)}\n`);
    expect(lockHolder(dir)).toBe(other.pid);
    expect(() => lockDataDir(dir)).toThrow(`another ledger process (pid ${other.pid}) keeps the read models of ${dir}`);
  });

  it('takes over a lock whose pid now names another process (reused, or after a reboot)', () => {
    const dir = dataDir();
    const other = sleeper();
    const [boot, namespace, ticks] = identityOf(other.pid as number).split(' ');
    // The same pid started at another time, and the same start time in another boot.
    for (const stale of [`${boot} ${namespace} ${Number(ticks) - 1}`, `00000000-0000-0000-0000-000000000000 ${namespace} ${ticks}`]) {
      writeFileSync(join(dir, 'ledger.pid'), `${other.pid}\n${stale}\n`);
      expect(lockHolder(dir)).toBeNull();
      const release = lockDataDir(dir);
      expect(readFileSync(join(dir, 'ledger.pid'), 'utf8').split('\n')[0]).toBe(String(process.pid));
      release();
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('counts a holder in another PID namespace (a container\'s pid 1) as live: it cannot be looked up from here', () => {
    const dir = dataDir();
    const [boot, , ticks] = identityOf(process.pid).split(' ');
    writeFileSync(join(dir, 'ledger.pid'), `1\n${boot} pid:[1] ${ticks}\n`);
    expect(lockHolder(dir)).toBe(1);
    expect(() => lockDataDir(dir)).toThrow('another ledger process (pid 1)');
    // After a reboot no container of before runs.
    writeFileSync(join(dir, 'ledger.pid'), `1\n00000000-0000-0000-0000-000000000000 pid:[1] ${ticks}\n`);
    lockDataDir(dir)();
  });

  it('does not take a lock that names no pid while it may be being written, and takes an old one', () => {
    const dir = dataDir();
    writeFileSync(join(dir, 'ledger.pid'), '');
    expect(() => lockDataDir(dir)).toThrow('other processes are claiming it at the same time');
    utimesSync(join(dir, 'ledger.pid'), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    lockDataDir(dir)();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('leaves no draft behind when the disk refuses its write (full), and claims the directory once there is room', () => {
    const dir = dataDir();
    jest.spyOn(fs, 'writeFileSync').mockImplementationOnce((target) => {
      closeSync(openSync(target as string, 'w')); // created, then its bytes refused
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    });
    try {
      expect(() => lockDataDir(dir)).toThrow('ENOSPC');
    } finally {
      jest.restoreAllMocks();
    }
    expect(readdirSync(dir)).toEqual([]);
    lockDataDir(dir)();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('trusts the pid alone in a lock file from an older build (no identity line)', () => {
    const dir = dataDir();
    const other = sleeper();
    writeFileSync(join(dir, 'ledger.pid'), `${other.pid}\n`);
    expect(() => lockDataDir(dir)).toThrow(`another ledger process (pid ${other.pid})`);
    other.kill('SIGKILL');
    return new Promise<void>((done) => other.once('exit', () => done())).then(() => {
      lockDataDir(dir)();
      expect(readdirSync(dir)).toEqual([]);
    });
  });

  it.each([1, 2, 3, 4, 5])('gives the directory to exactly one of several processes claiming it at once over a stale lock (round %i)', async () => {
    const dir = dataDir();
    writeFileSync(join(dir, 'ledger.pid'), '999999\nstale pid:[0] 1\n');
    const root = resolve(__dirname, '../../../..');
    // Each child claims at the instant the file `go` names, says whether it got the lock, and holds it until killed.
    const script = `${typescriptLoader(root)}
      const { existsSync } = require('node:fs');
      const { lockDataDir } = require(${JSON.stringify(join(__dirname, 'data-dir-lock.ts'))});
      process.stdout.write('ready\\n');
      const go = ${JSON.stringify(join(dir, 'go'))};
      const wait = () => { if (!existsSync(go)) return setTimeout(wait, 5);
        // The file names an instant shortly ahead: each spins until then, so that the claims start together.
        const at = Number(require('node:fs').readFileSync(go, 'utf8'));
        while (performance.timeOrigin + performance.now() < at);
        try { lockDataDir(${JSON.stringify(dir)}); process.stdout.write('got\\n'); }
        catch (error) { process.stdout.write('refused: ' + error.message + '\\n'); }
        setInterval(() => undefined, 1000); };
      wait();`;
    const outputs = Array.from({ length: 6 }, () => {
      const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(child);
      let text = '';
      child.stdout?.on('data', (chunk: Buffer) => { text += chunk.toString(); });
      return () => text;
    });
    const lines = async (count: number) => {
      for (let i = 0; i < 1500 && !outputs.every((o) => o().split('\n').length > count); i++) await new Promise((r) => setTimeout(r, 10));
      return outputs.map((o) => o().split('\n')[count - 1] as string);
    };
    expect(await lines(1)).toEqual(Array(6).fill('ready'));
    writeFileSync(join(dir, 'go'), String(Date.now() + 200));
    const answers = await lines(2);
    expect(answers.filter((a) => a === 'got')).toHaveLength(1);
    for (const a of answers.filter((x) => x !== 'got')) expect(a).toMatch(/^refused: (another ledger process \(pid \d+\)|could not claim)/);
    const holder = Number(readFileSync(join(dir, 'ledger.pid'), 'utf8').split('\n')[0]);
    expect(children.map((c) => c.pid)).toContain(holder);
    expect(lockHolder(dir)).toBe(holder);
  }, 60_000);
});
