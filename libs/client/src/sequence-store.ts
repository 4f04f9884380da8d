import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * What the client must remember across restarts for one system: the last number it assigned, the number of every
 * record not yet acknowledged by the ledger (recordId -> sourceSequence), and those of the records acknowledged most
 * recently, so that a record resent with the same recordId after a crash or a rejection gets its own number back.
 */
export interface SequenceState {
  readonly system: string;
  readonly lastSequence: number;
  readonly unacknowledged: Readonly<Record<string, number>>;
  /**
   * The last records acknowledged (recordId -> sourceSequence, oldest first; at most the client's
   * `rememberAcknowledged`). Absent in files written before it was kept: nothing acknowledged is remembered then.
   */
  readonly acknowledged?: Readonly<Record<string, number>>;
}

/** Where a client keeps its {@link SequenceState}. One store per system and per running client. */
export interface SequenceStore {
  /** The saved state, or undefined when nothing was ever saved. */
  load(): Promise<SequenceState | undefined>;
  /** Replaces the saved state; resolves once it would survive a crash. */
  save(state: SequenceState): Promise<void>;
}

/** Keeps the state in memory: numbering restarts at 1 with the process. For tests and throwaway tools. */
export class InMemorySequenceStore implements SequenceStore {
  private state: SequenceState | undefined;

  constructor(initial?: SequenceState) {
    this.state = initial;
  }

  async load(): Promise<SequenceState | undefined> {
    return this.state;
  }

  async save(state: SequenceState): Promise<void> {
    this.state = { ...state, unacknowledged: { ...state.unacknowledged }, ...(state.acknowledged ? { acknowledged: { ...state.acknowledged } } : {}) };
  }
}

/**
 * Keeps the state in one JSON file, replaced atomically (a temporary file beside it is written, fsynced and renamed
 * over it), so a crash leaves either the old state or the new one. A file that exists but cannot be read as a state
 * fails the load: starting again from 1 would make the ledger see every later number as a repeat.
 */
export class FileSequenceStore implements SequenceStore {
  constructor(readonly path: string) {}

  async load(): Promise<SequenceState | undefined> {
    await this.removeLeftovers();
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    return parseState(text, this.path);
  }

  async save(state: SequenceState): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const file = await open(temporary, 'w', 0o600);
    try {
      try {
        await file.writeFile(JSON.stringify({ version: 1, ...state }) + '\n', 'utf8');
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temporary, this.path);
    } catch (error) {
      // A full disk would otherwise keep a temporary file of every failed save.
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
    await syncDirectory(dirname(this.path));
  }

  /**
   * Removes the temporary files that saves of a process killed mid-write left beside the file (`<file>.<pid>.<hex>.tmp`),
   * those of a process no longer running, or of an earlier one that had this process's pid.
   */
  private async removeLeftovers(): Promise<void> {
    const name = basename(this.path);
    let names: string[];
    try {
      names = await readdir(dirname(this.path));
    } catch {
      return;
    }
    for (const entry of names) {
      if (!entry.startsWith(`${name}.`) || !entry.endsWith('.tmp')) continue;
      const m = /^\.(\d+)\.[0-9a-f]{8}\.tmp$/.exec(entry.slice(name.length));
      if (!m) continue;
      const pid = Number(m[1]);
      if (pid === process.pid || !running(pid)) await unlink(join(dirname(this.path), entry)).catch(() => undefined);
    }
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Makes the rename itself durable where the platform allows a directory to be fsynced (not on Windows). */
async function syncDirectory(path: string): Promise<void> {
  let directory;
  try {
    directory = await open(path, 'r');
    await directory.sync();
  } catch {
    // best effort: the rename is atomic either way; only its durability on power loss is at stake
  } finally {
    await directory?.close();
  }
}

function parseState(text: string, path: string): SequenceState {
  const bad = (why: string) => new Error(`sequence file ${path} is unreadable (${why}); refusing to restart the numbering`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw bad('not JSON');
  }
  const state = value as Partial<SequenceState> | null;
  if (typeof state !== 'object' || state === null) throw bad('not an object');
  if (typeof state.system !== 'string') throw bad('no system');
  if (!isSequence(state.lastSequence, 0)) throw bad('lastSequence is not a whole number >= 0');
  const unacknowledged = state.unacknowledged;
  if (!isMap(unacknowledged)) throw bad('no unacknowledged map');
  for (const n of Object.values(unacknowledged)) if (!isSequence(n, 1) || n > state.lastSequence) throw bad('a bad unacknowledged number');
  const acknowledged = state.acknowledged;
  if (acknowledged === undefined) return { system: state.system, lastSequence: state.lastSequence, unacknowledged: { ...unacknowledged } };
  if (!isMap(acknowledged)) throw bad('acknowledged is not a map');
  for (const n of Object.values(acknowledged)) if (!isSequence(n, 1) || n > state.lastSequence) throw bad('a bad acknowledged number');
  return { system: state.system, lastSequence: state.lastSequence, unacknowledged: { ...unacknowledged }, acknowledged: { ...acknowledged } };
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSequence(n: unknown, min: number): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= min;
}
