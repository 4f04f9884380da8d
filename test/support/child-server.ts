import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { typescriptLoader } from '@derbes/event-store';
import { freePort } from '../../bench/free-port';
import { TEST_KEY_HEX, startTestApp } from './test-app';

const ROOT = resolve(__dirname, '../..');

/**
 * Runs a TypeScript entry of this repository in a plain `node` process, compiled file by file as it is required
 * (with @swc/core and the options jest uses), so that a test needs no `npm run build` and no stale `dist/`. The
 * `@derbes/*` aliases resolve as in tsconfig.json.
 */
const BOOT = `${typescriptLoader(ROOT)}
const entry = require('node:path').join(${JSON.stringify(ROOT)}, process.argv[1]);
process.argv = [process.argv[0], entry, ...process.argv.slice(2)];
require(entry);
`;

/**
 * The environment of every child process of the tests (server or CLI): the one place to add credentials or
 * settings they all need. Nothing of the test runner's environment leaks in but PATH.
 */
export function childEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    TZ: 'UTC',
    DERBES_DATA_DIR: dataDir,
    DERBES_PSEUDONYM_KEY: TEST_KEY_HEX,
    DERBES_LOG_LEVEL: 'error',
    DERBES_HOST: '127.0.0.1',
    ...extra,
  };
}

/**
 * API keys for a data directory, made as the test app makes them (TEST_KEYS and an emitter per TEST_SYSTEMS) and
 * stored in its log, where a server started on it later finds them. Bearer tokens by key name.
 */
export async function createTestKeys(env: NodeJS.ProcessEnv): Promise<Readonly<Record<string, string>>> {
  const dataDir = env.DERBES_DATA_DIR as string;
  const t = await startTestApp({ ...(env as Record<string, string>), DERBES_EVENT_STORE: env.DERBES_EVENT_STORE ?? join(dataDir, 'events.db') });
  await t.close();
  return t.tokens;
}

export interface ChildServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** The bearer tokens of the data directory's keys, by name (see createTestKeys). */
  readonly tokens: Readonly<Record<string, string>>;
  readonly pid: number;
  /** Whether the process is still running. */
  alive(): boolean;
  /** How the process ended: its exit code, or the signal that ended it (both null while it runs). */
  ended(): { code: number | null; signal: NodeJS.Signals | null };
  /** Sends the signal and resolves once the process has exited (killed after 10 s if it has not). */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** What the process wrote to stdout and stderr (the last 64 KiB), for failure messages. */
  output(): string;
}

export interface ChildServerOptions {
  /** The data directory's keys, for the tests' requests (see createTestKeys). */
  readonly tokens?: Readonly<Record<string, string>>;
  /**
   * The soft RLIMIT_FSIZE of the server process in bytes: the kernel refuses to grow any file it writes beyond this
   * (write() fails with EFBIG; node ignores SIGXFSZ). The unprivileged way to make a disk refuse writes.
   */
  readonly fileSizeLimitBytes?: number;
}

/** Starts `apps/ledger/src/main.ts` in a child process on a free port and resolves once /health answers. */
export async function startChildServer(env: NodeJS.ProcessEnv, options: ChildServerOptions = {}): Promise<ChildServer> {
  const port = await freePort();
  const args = ['-e', BOOT, 'apps/ledger/src/main.ts'];
  const limit = options.fileSizeLimitBytes;
  // `ulimit -f` counts 512-byte blocks in POSIX sh (dash); bash counts KiB: either way a limit, which is all we need.
  const child = limit === undefined
    ? spawn(process.execPath, args, { cwd: ROOT, env: { ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn('/bin/sh', ['-c', 'ulimit -S -f "$0" && exec "$@"', String(Math.ceil(limit / 512)), process.execPath, ...args], {
      cwd: ROOT, env: { ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'],
    });
  const server = wrap(child, `http://127.0.0.1:${port}`, options.tokens ?? {});
  for (let i = 0; i < 300; i++) {
    if (!server.alive()) throw new Error(`the server exited on start:\n${server.output()}`);
    const res = await fetch(`${server.url}/health`).catch(() => undefined);
    if (res?.status === 200) return server;
    await sleep(50);
  }
  await server.kill('SIGKILL');
  throw new Error(`the server did not answer /health within 15 s:\n${server.output()}`);
}

/** A child server's API as the tests speak it: records with the hr-portal emitter's key, everything else as the official. */
export async function serverApi(server: ChildServer, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const key = method === 'POST' && path.startsWith('/v1/processing-records') ? 'emitter:hr-portal' : 'official';
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${server.tokens[key]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

/**
 * Runs the `derbes` command (`apps/cli/src/main.ts`) with these arguments, and `input` on its stdin if given;
 * resolves with its exit code and output.
 */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv, input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['-e', BOOT, 'apps/cli/src/main.ts', ...args], { cwd: ROOT, env, stdio: 'pipe' });
  child.stdin.end(input);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString('utf8'); });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** Polls /health until every projection has applied the whole log (and none stopped); returns the log position. */
export async function waitForProjections(server: ChildServer): Promise<number> {
  let last = '';
  for (let i = 0; i < 300; i++) {
    const health = (await (await fetch(`${server.url}/health`)).json()) as {
      store: { lastPosition: number };
      projections: { name: string; lag: number; error: string | null }[];
    };
    const stopped = health.projections.find((p) => p.error !== null);
    if (stopped) throw new Error(`projection ${stopped.name} stopped: ${stopped.error}`);
    const ahead = health.projections.find((p) => p.lag < 0);
    if (ahead) throw new Error(`projection ${ahead.name} has applied ${-ahead.lag} events more than the log holds`);
    if (health.projections.every((p) => p.lag === 0)) return health.store.lastPosition;
    last = JSON.stringify(health.projections.map((p) => [p.name, p.lag]));
    await sleep(50);
  }
  throw new Error(`projections still behind after 15 s: ${last}`);
}

/**
 * Every row of every read model's active generation in `read-models.db`, keyed `<projection>/<table>` and sorted,
 * so that two databases compare equal exactly when their read models hold the same rows, whatever generation
 * numbers they have. The checkpoint table is left out: its times differ by nature.
 */
export function readModelSnapshot(path: string): Record<string, unknown[]> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const snapshot: Record<string, unknown[]> = {};
    const active = db.prepare<[], { name: string; generation: number; position: number }>(
      `SELECT name, generation, position FROM projection_generations WHERE state = 'active' ORDER BY name`,
    ).all();
    for (const { name, generation, position } of active) {
      snapshot[`${name}/position`] = [position];
      const prefix = `${name.replace(/-/g, '_')}_g${generation}_`;
      const tables = db.prepare<[number, string], string>(
        `SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, ?) = ? ORDER BY name`,
      ).pluck().all(prefix.length, prefix);
      for (const table of tables) {
        const rows = db.prepare(`SELECT * FROM "${table}"`).raw().all() as unknown[][];
        snapshot[`${name}/${table.slice(prefix.length)}`] = rows.map((row) => JSON.stringify(row)).sort();
      }
    }
    return snapshot;
  } finally {
    db.close();
  }
}

function wrap(child: ChildProcess, url: string, tokens: Readonly<Record<string, string>>): ChildServer {
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-65536);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return {
    url,
    tokens,
    pid: child.pid as number,
    alive: () => child.exitCode === null && child.signalCode === null,
    ended: () => ({ code: child.exitCode, signal: child.signalCode }),
    kill: async (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      // A graceful stop that hangs is not this helper's to wait out: the test's own checks then say what is missing.
      const stuck = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(stuck);
    },
    output: () => output,
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/** The store file and read-model file of a data directory with the default layout. */
export function dataFiles(dataDir: string): { events: string; readModels: string } {
  return { events: join(dataDir, 'events.db'), readModels: join(dataDir, 'read-models.db') };
}
