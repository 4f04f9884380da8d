import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { typescriptLoader } from '@derbes/event-store';

const ROOT = resolve(__dirname, '../../..');

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

/** Runs the ledger's real entry point (apps/ledger/src/main.ts) in a child process, as `npm start` would. */
function startLedger(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string; ms: number }> {
  const boot = `${typescriptLoader(ROOT)}\nrequire(${JSON.stringify(join(ROOT, 'apps/ledger/src/main.ts'))});`;
  const started = Date.now();
  return new Promise((done) => {
    execFile(process.execPath, ['-e', boot], { env, timeout: 60_000 }, (error, _stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stderr, ms: Date.now() - started });
    });
  });
}

describe('the event store chosen at start-up', () => {
  it('an unreachable EventStoreDB stops the ledger at once, naming the address and what to check', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'derbes-esdb-'));
    try {
      const location = `esdb://127.0.0.1:${await closedPort()}?tls=false`;
      const { code, stderr } = await startLedger({
        PATH: process.env.PATH, TZ: 'UTC', DERBES_DATA_DIR: dataDir, DERBES_EVENT_STORE: location, DERBES_PSEUDONYM_KEY: 'ab'.repeat(32),
        DERBES_LOG_LEVEL: 'error', DERBES_PORT: String(await closedPort()),
      });
      expect(code).toBe(1);
      expect(stderr).toContain(`derbes ledger failed to start: EventStoreDB at ${location} is unreachable: 14 UNAVAILABLE`);
      expect(stderr).toContain('ECONNREFUSED');
      expect(stderr).toContain('(is the server running? for a single insecure node use ?tls=false)');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
