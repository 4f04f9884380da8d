import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

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
      await file.writeFile(JSON.stringify({ version: 1, ...state }) + '\n', 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    try {
      await rename(temporary, this.path);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
    await syncDirectory(dirname(this.path));
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
