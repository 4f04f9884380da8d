import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIin } from '@derbes/ledger';
import { projectionsStatus } from '../apps/cli/src/projections.command';
import { loadConfig } from '../apps/ledger/src/config/ledger-config';
import { childEnv, createTestKeys, readModelSnapshot, serverApi as api, startChildServer, waitForProjections } from './support/child-server';

// DERBES_READ_MODELS puts the read models in a file of their own choosing (another disk than the event store's):
// the server keeps them there, and the command reads them there.
describe('the read models in a file named by DERBES_READ_MODELS', () => {
  jest.setTimeout(60_000);

  it('are kept and read there, and nothing is written beside the event store', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'derbes-rm-data-'));
    const elsewhere = join(mkdtempSync(join(tmpdir(), 'derbes-rm-other-')), 'models', 'ledger-read-models.db');
    const env = childEnv(dataDir, { DERBES_READ_MODELS: elsewhere });
    const server = await startChildServer(env, { tokens: await createTestKeys(env) });
    try {
      const iin = buildIin('850101', 3, '0001') as string;
      const recorded = await api(server, 'POST', '/v1/processing-records', {
        recordId: '5b0c8a36-2f55-4e4e-9d1e-000000000001', operation: 'collect', subject: { iin }, categories: [1, 2], purpose: 'P01',
        actor: { id: 'hr-17', role: 'hr-specialist', unit: 'personnel-management' }, system: 'hr-portal',
        occurredAt: new Date(Date.now() - 60_000).toISOString(), source: { kind: 'subject' },
      });
      expect(recorded.status).toBe(201);
      const position = await waitForProjections(server);
      expect(position).toBeGreaterThanOrEqual(recorded.body.position);

      expect(existsSync(join(dataDir, 'read-models.db'))).toBe(false);
      const snapshot = readModelSnapshot(elsewhere);
      expect(snapshot['subject-history/entries']).toHaveLength(1);
      expect(snapshot['subject-history/position']).toEqual([position]);
    } finally {
      await server.kill('SIGTERM');
    }
    const status = await projectionsStatus(loadConfig(env));
    expect(status.find((line) => line.startsWith('subject-history'))).toMatch(/generation \d+ \(v\d+\) at \d+, log at \d+, lag 0/);
    expect(existsSync(join(dataDir, 'read-models.db'))).toBe(false);
  });
});
