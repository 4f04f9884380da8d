import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LOCK_FILE = 'ledger.pid';
/** How often a claim may find a stale lock taken away under it by another process before it gives up. */
const CLAIM_ATTEMPTS = 5;
/** A takeover holds its guard for microseconds: one older than this was left by a process that died holding it. */
const GUARD_STALE_MS = 10_000;
/** A lock file that names no pid is being written by an older build (which wrote in place) unless it is older than this. */
const UNREADABLE_STALE_MS = 5_000;

/**
 * What tells one process from another: on Linux the boot's id, the PID namespace (a container's pid 1 is not the
 * host's) and the start time in clock ticks since boot (/proc/<pid>/stat, field 22), none moved by the wall clock.
 * Null where /proc is not there (the lock then trusts the pid alone) or the process is gone.
 */
interface Identity {
  readonly boot: string;
  readonly pidNamespace: string;
  readonly startTicks: string;
}

function identityOf(pid: number): Identity | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count the fields after its closing one.
    const startTicks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const pidNamespace = readlinkSync(`/proc/${pid}/ns/pid`);
    return startTicks ? { boot, pidNamespace, startTicks } : null;
  } catch {
    return null;
  }
}

const written = (identity: Identity | null): string => (identity ? `${identity.boot} ${identity.pidNamespace} ${identity.startTicks}` : '');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Who a lock file names: a live holder (its pid), nobody (stale), or a file that names no pid at all. */
type Holder = { readonly pid: number } | 'stale' | 'unreadable';

/**
 * The lock file holds the pid on its first line and the process's identity on the second. A file from a build
 * before identities holds the pid alone: a live process with that pid then counts as the holder (it cannot be told
 * from a later one). A holder in another PID namespace (a container) cannot be looked up from here: it counts as
 * live until the boot changes, rather than risk two processes keeping the read models.
 */
function holderIn(text: string): Holder {
  const [pidLine, identityLine] = text.split('\n');
  if (!pidLine || !/^\d+$/.test(pidLine.trim())) return 'unreadable';
  const pid = Number(pidLine.trim());
  const mine = identityOf(process.pid);
  const [boot, pidNamespace, startTicks] = (identityLine ?? '').trim().split(' ');
  if (boot && pidNamespace && startTicks && mine) {
    if (boot !== mine.boot) return 'stale';
    if (pidNamespace !== mine.pidNamespace) return { pid };
    if (pid === process.pid) return 'stale';
    const now = identityOf(pid);
    return now !== null && now.pidNamespace === pidNamespace && now.startTicks === startTicks ? { pid } : 'stale';
  }
  return pid !== process.pid && alive(pid) ? { pid } : 'stale';
}

function readLock(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function ageMs(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/** The pid of a live process holding the data directory, or null. */
export function lockHolder(dataDir: string): number | null {
  const text = readLock(join(dataDir, LOCK_FILE));
  const holder = text === null ? 'stale' : holderIn(text);
  return typeof holder === 'object' ? holder.pid : null;
}

/**
 * Creates `file` holding `text` whole, or returns false if it exists: written beside it first and linked into place,
 * so no reader ever sees it empty or half written (an exclusive create would show it empty until written).
 */
function claim(file: string, text: string): boolean {
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.new`;
  try {
    // In the try: a write the disk refuses (full) has created the draft already, and it is removed all the same.
    writeFileSync(draft, text, { mode: 0o600 });
    linkSync(draft, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(draft, { force: true });
  }
}

/**
 * Removes a lock found stale, if it is still that one: under a guard that one taker holds at a time, so that no two
 * takers can each remove what the other has just claimed. A claim never removes anything but under this guard.
 */
function takeOver(file: string, judged: string): void {
  const guard = `${file}.takeover`;
  if (!claim(guard, `${process.pid}\n`)) {
    if (ageMs(guard) > GUARD_STALE_MS) rmSync(guard, { force: true });
    return;
  }
  try {
    if (readLock(file) === judged) rmSync(file);
  } finally {
    rmSync(guard, { force: true });
  }
}

function contended(dataDir: string): Error {
  return new Error(`could not claim ${dataDir}: other processes are claiming it at the same time; try again`);
}

/**
 * Claims the data directory for this process: one process keeps the read models of a directory, or two would
 * apply every event twice. Returns a release function; throws when a live process already holds it. The lock is
 * created whole in one step, so two processes starting together cannot both get it; a lock left by a process that
 * is gone (killed, or before a reboot, even if its pid now names another process) is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, LOCK_FILE);
  const mine = `${process.pid}\n${written(identityOf(process.pid))}\n`;
  for (let attempt = 1; ; attempt++) {
    if (attempt > CLAIM_ATTEMPTS) throw contended(dataDir);
    if (claim(file, mine)) break;
    const found = readLock(file);
    if (found === null) continue;
    const holder = holderIn(found);
    if (typeof holder === 'object') throw new Error(`another ledger process (pid ${holder.pid}) keeps the read models of ${dataDir}`);
    if (holder === 'unreadable' && ageMs(file) < UNREADABLE_STALE_MS) throw contended(dataDir);
    takeOver(file, found);
  }
  return () => {
    if (readLock(file) === mine) rmSync(file);
  };
}
