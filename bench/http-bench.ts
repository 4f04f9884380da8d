import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './free-port';
import autocannon from 'autocannon';
import { createKey } from '../apps/cli/src/keys.command';
import { loadConfig } from '../apps/ledger/src/config/ledger-config';
import { employeeIins, recordJson, rng } from './workload';

export interface HttpServer {
  readonly url: string;
  /** The authorization header of an emitter key for hr-portal, the workload's system. */
  readonly authorization: string;
  /** The server's process id, to read its memory (bench/memory.ts). */
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * Starts the built ledger (dist/) as a child process on an empty data directory, as `npm start` would, on a port
 * free when it is asked for (a random one was sometimes still held by the last run's connections, and the server
 * could not listen). `env` adds to the server's environment, e.g. DERBES_PROJECTIONS=off.
 */
export async function startServer(root: string, dataDir: string, env: Record<string, string> = {}): Promise<HttpServer> {
  const port = await freePort();
  // The key is made before the server starts, as an operator would with `derbes keys create`.
  const keyEnv = { ...process.env, DERBES_DATA_DIR: dataDir, DERBES_PSEUDONYM_KEY: 'cd'.repeat(32), DERBES_LOG_LEVEL: 'error', ...env };
  const lines = await createKey(loadConfig(keyEnv), { role: 'emitter', name: 'bench-hr-portal', system: 'hr-portal', grants: [] });
  const authorization = `Bearer ${lines.at(-1)}`;
  const child: ChildProcess = spawn(process.execPath, [join(root, 'dist/apps/ledger/src/main.js')], {
    env: { ...process.env, DERBES_DATA_DIR: dataDir, DERBES_PORT: String(port), DERBES_LOG_LEVEL: 'error', NODE_ENV: 'production', DERBES_PSEUDONYM_KEY: 'cd'.repeat(32), ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`the ledger exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    authorization,
    pid: child.pid as number,
    stop: () => new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

export interface IngestResult {
  /** Records acknowledged per second (2xx answers x records per request). */
  readonly recordsPerSecond: number;
  readonly non2xx: number;
  readonly latencyP50: number;
  readonly latencyP99: number;
}

/** Drives POST /v1/processing-records (batchSize 1) or /batch with fresh records for `seconds`. */
export async function ingest(url: string, authorization: string, options: { batchSize: number; connections: number; seconds: number; run: number }): Promise<IngestResult> {
  const iins = employeeIins(10_000);
  const next = rng(options.run);
  const occurredAt = new Date(Date.now() - 3600_000).toISOString();
  const single = options.batchSize === 1;
  const body = () => {
    if (single) return recordJson(options.run, iins, next, occurredAt);
    const parts: string[] = [];
    for (let i = 0; i < options.batchSize; i++) parts.push(recordJson(options.run, iins, next, occurredAt));
    return `{"records":[${parts.join(',')}]}`;
  };
  const result = await autocannon({
    url: `${url}/v1/processing-records${single ? '' : '/batch'}`,
    connections: options.connections,
    duration: options.seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    requests: [{ method: 'POST', setupRequest: (req: Record<string, unknown>) => ({ ...req, body: body() }) }],
  });
  return {
    recordsPerSecond: (result['2xx'] / options.seconds) * options.batchSize,
    non2xx: result.non2xx + result.errors + result.timeouts,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
  };
}
