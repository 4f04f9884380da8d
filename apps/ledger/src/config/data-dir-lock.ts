import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const LOCK_FILE = 'ledger.pid';
/** How often a claim may find a stale lock removed under it by another process before it gives up. */
const CLAIM_ATTEMPTS = 5;

/**
 * What tells one process from another that got the same pid later, or after a reboot: on Linux, the boot's id and
 * the process's start time in clock ticks since boot (/proc/<pid>/stat, field 22), neither moved by the wall
 * clock. Null where /proc is not there (the lock then trusts the pid alone) or the process is gone.
 */
function identityOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count the fields after its closing one.
    const startTicks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return startTicks ? `${bootId}/${startTicks}` : null;
  } catch {
    return null;
  }
}

const identitiesKnown = existsSync('/proc/self/stat');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The pid of the live process a lock file names, or null. The file holds the pid on its first line and the
 * process's identity on the second; a file from a build before identities holds the pid alone, and then a live
 * process with that pid counts as the holder (it cannot be told from a later one).
 */
function holderIn(text: string): number | null {
  const [pidLine, identity] = text.split('\n');
  const pid = Number(pidLine?.trim());
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
  if (identity && identitiesKnown) return identityOf(pid) === identity.trim() ? pid : null;
  return alive(pid) ? pid : null;
}

function readLock(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** The pid of a live process holding the data directory, or null. */
export function lockHolder(dataDir: string): number | null {
  const text = readLock(join(dataDir, LOCK_FILE));
  return text === null ? null : holderIn(text);
}

function contended(dataDir: string): Error {
  return new Error(`could not claim ${dataDir}: other processes are claiming it at the same time`);
}

function heldError(pid: number, dataDir: string): Error {
  return new Error(`another ledger process (pid ${pid}) keeps the read models of ${dataDir}`);
}

/**
 * Takes away a lock found stale, unless another process claimed the directory meanwhile: the file is moved aside
 * in one rename, and put back if it is no longer the one judged stale.
 */
function removeStale(file: string, judged: string): void {
  const aside = `${file}.${process.pid}.stale`;
  try {
    renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    if (readFileSync(aside, 'utf8') !== judged) linkSync(aside, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw contended(dirname(file));
    throw error;
  } finally {
    rmSync(aside, { force: true });
  }
}

/**
 * Claims the data directory for this process: one process keeps the read models of a directory, or two would
 * apply every event twice. Returns a release function; throws when a live process already holds it. The claim is
 * one exclusive create, so two processes starting together cannot both get it; a lock left by a process that is
 * gone (killed, or before a reboot, even if its pid now names another process) is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, LOCK_FILE);
  const mine = `${process.pid}\n${identityOf(process.pid) ?? ''}\n`;
  for (let attempt = 1; ; attempt++) {
    if (attempt > CLAIM_ATTEMPTS) throw contended(dataDir);
    try {
      writeFileSync(file, mine, { flag: 'wx', mode: 0o600 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const found = readLock(file);
    if (found === null) continue;
    const holder = holderIn(found);
    if (holder !== null) throw heldError(holder, dataDir);
    removeStale(file, found);
  }
  return () => {
    if (readLock(file) === mine) rmSync(file);
  };
}
