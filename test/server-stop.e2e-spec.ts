import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childEnv, startChildServer } from './support/child-server';

// A server stopped by a signal closes its store and then gives up the data directory: the next process finds no
// lock to take over, and the signal still ends the process as a supervisor expects.
describe('a server stopped by a signal', () => {
  jest.setTimeout(60_000);

  it.each(['SIGTERM', 'SIGINT'] as const)('on %s releases the data directory and ends by that signal', async (signal) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'derbes-stop-'));
    const lock = join(dataDir, 'ledger.pid');
    const server = await startChildServer(childEnv(dataDir));
    expect(readFileSync(lock, 'utf8').split('\n')[0]).toBe(String(server.pid));
    await server.kill(signal);
    expect(server.ended()).toEqual({ code: null, signal });
    expect(existsSync(lock)).toBe(false);

    const again = await startChildServer(childEnv(dataDir));
    try {
      expect(readFileSync(lock, 'utf8').split('\n')[0]).toBe(String(again.pid));
    } finally {
      await again.kill('SIGTERM');
    }
  });
});
