import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { typescriptLoader } from '@derbes/event-store';
import { FakeLedger, TOKEN } from './spec-helpers';

const ROOT = resolve(__dirname, '../../..');

/** Runs a script in a fresh node process that loads this repository's sources; resolves with its exit code and output. */
function runScript(script: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['-e', `${typescriptLoader(ROOT)}\n${script}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString('utf8'); });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((done) => child.on('close', (code, signal) => {
    clearTimeout(killer);
    done({ code, signal, stdout, stderr });
  }));
}

describe('DerbesClient and the life of its process', () => {
  let ledger: FakeLedger;
  beforeEach(async () => {
    ledger = await new FakeLedger().start();
  });
  afterEach(() => ledger.stop());

  const setup = () => `
    const { DerbesClient } = require(${JSON.stringify(require.resolve('./index'))});
    const client = new DerbesClient({ baseUrl: ${JSON.stringify(ledger.url)}, token: ${JSON.stringify(TOKEN)}, system: 'hr-portal', heartbeatIntervalMs: 20, retryBaseMs: 10 });
    const record = { operation: 'access', subject: { iin: '791028302728' }, categories: [1], purpose: 'P01',
      actor: { id: 'hr-17', role: 'hr-specialist', unit: 'personnel-management' }, occurredAt: '2026-11-20T09:30:00Z' };
  `;

  it('a client left open, heartbeat timer included, does not keep the process running', async () => {
    const result = await runScript(`${setup()}
      client.record(record).then((r) => console.log('recorded', r.sourceSequence));
      client.flush().then(() => console.log('flushed'));
    `);
    expect(result).toMatchObject({ code: 0, stdout: 'recorded 1\nflushed\n' });
  });

  it('records handed in and neither flushed nor closed are not sent if the process ends first (as documented)', async () => {
    const result = await runScript(`${setup()}
      client.record(record).then(() => console.log('recorded'));
    `);
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(ledger.recorded).toEqual([]);
  });

  it('close() keeps the process alive until what was handed in is delivered, through a retry', async () => {
    ledger.faults.push({ status: 503, retryAfter: '1' });
    const result = await runScript(`${setup()}
      client.record(record);
      client.close().then(() => console.log('closed'));
    `);
    expect(result).toMatchObject({ code: 0, stdout: 'closed\n' });
    expect(ledger.sequences()).toEqual([1]);
    expect(ledger.heartbeats.at(-1)?.lastSequence).toBe(1);
  });
});
