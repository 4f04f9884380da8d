import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createKey, setConsolePassword } from '../../apps/cli/src/keys.command';
import { loadConfig } from '../../apps/ledger/src/config/ledger-config';
import { childEnv, runCli } from '../support/child-server';
import { TEST_KEY_HEX, aRecord, startTestApp } from '../support/test-app';
import { sessionCookie, signInOverHttp } from './support/console-app';

/** The console's integrity page shows what `derbes verify` found last on the ledger's data directory. */
describe('console: the last verification on the integrity page', () => {
  it('says none has run, then shows the result of derbes verify run beside the server', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-console-verify-'));
    const env = { DERBES_DATA_DIR: dir, DERBES_EVENT_STORE: join(dir, 'events.db') };
    const config = loadConfig({ ...env, DERBES_PSEUDONYM_KEY: TEST_KEY_HEX, DERBES_LOG_LEVEL: 'error' });
    const t = await startTestApp(env);
    try {
      await t.http.post('/v1/processing-records').send(aRecord()).expect(201);
      await t.http.post('/v1/integrity/tree-heads').send({}).expect(201);
      await createKey(config, { role: 'auditor', name: 'verifier-view', unit: 'internal-audit', grants: [] });
      await setConsolePassword(config, 'verifier-view', 'a long console password');
      await new Promise((r) => setTimeout(r, 1100));
      const signedIn = await signInOverHttp(t.server, 'verifier-view', 'a long console password', '/console/integrity');
      expect(signedIn.status).toBe(303);
      const cookie = sessionCookie(signedIn);
      const page = () => request(t.server).get('/console/integrity?lang=en').set('cookie', cookie).expect(200);

      expect((await page()).text).toContain('has not run on this ledger');
      const verified = await runCli(['verify'], childEnv(dir, { DERBES_EVENT_STORE: join(dir, 'events.db') }));
      expect(verified.code).toBe(0);
      const shown = (await page()).text;
      expect(shown).not.toContain('has not run on this ledger');
      expect(shown).toContain('the log agrees with every signed tree head and every chain');
      expect(shown).toMatch(/Signed heads checked<\/dt><dd>1<\/dd>/);
    } finally {
      await t.close();
    }
  }, 60_000);
});
