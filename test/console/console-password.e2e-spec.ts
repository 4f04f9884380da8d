import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKey, setConsolePassword } from '../../apps/cli/src/keys.command';
import { loadConfig } from '../../apps/ledger/src/config/ledger-config';
import { runCli } from '../support/child-server';
import { TEST_KEY_HEX, startTestApp } from '../support/test-app';
import request from 'supertest';
import { ApiKeys } from '../../apps/ledger/src/auth/api-keys';
import { PASSWORDS, sessionCookie, signInOverHttp, startConsoleApp } from './support/console-app';

describe('derbes keys password', () => {
  it("sets a console password beside a running server, stored as a scrypt hash in the keys' stream, and refuses what may not have one", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-console-'));
    const env = { DERBES_DATA_DIR: dir, DERBES_EVENT_STORE: join(dir, 'events.db') };
    const config = loadConfig({ ...env, DERBES_PSEUDONYM_KEY: TEST_KEY_HEX, DERBES_LOG_LEVEL: 'error' });
    const t = await startTestApp(env);
    try {
      const password = 'a long console password';
      const lines = await setConsolePassword(config, 'hr-director', password);
      expect(lines[0]).toMatch(/^console password set for [0-9a-f]{12}  official hr-director/);
      await new Promise((r) => setTimeout(r, 1100));
      const signedIn = await signInOverHttp(t.server, 'hr-director', password);
      expect(signedIn.status).toBe(303);
      expect(signedIn.headers.location).toBe('/console/overview');
      expect((await signInOverHttp(t.server, 'hr-director', 'a wrong password!')).status).toBe(401);

      const stream = await t.store.readStream('admin-api-keys');
      const set = stream.filter((e) => e.type === 'ApiKeyPasswordSet');
      expect(set).toHaveLength(1);
      expect(set[0]?.data).toMatchObject({ passwordHash: expect.stringMatching(/^scrypt\$/), setBy: expect.stringMatching(/^cli:/) });
      expect(JSON.stringify(stream)).not.toContain(password);

      await expect(setConsolePassword(config, 'ops', 'a long admin password')).rejects.toThrow('a key with role admin cannot sign in to the console');
      await expect(setConsolePassword(config, 'hr-portal-service', 'a long emitter password')).rejects.toThrow('role emitter');
      await expect(setConsolePassword(config, 'auditor-1', 'short')).rejects.toThrow('the password must be at least 12 characters');
      await expect(setConsolePassword(config, 'nobody', 'a long enough password')).rejects.toThrow('no live key named nobody');
      // The command as typed in a shell: the password on stdin, its spaces kept, only the line break dropped.
      const cli = await runCli(['keys', 'password', 'auditor-1'], { ...process.env, ...env, DERBES_PSEUDONYM_KEY: TEST_KEY_HEX }, '  spaced console password \n');
      expect({ code: cli.code, stderr: cli.stderr }).toEqual({ code: 0, stderr: '' });
      expect(cli.stdout).toMatch(/^console password set for [0-9a-f]{12}  auditor  auditor-1 /);
      await new Promise((r) => setTimeout(r, 1100));
      expect((await signInOverHttp(t.server, 'auditor-1', '  spaced console password ')).status).toBe(303);
      expect((await signInOverHttp(t.server, 'auditor-1', 'spaced console password')).status).toBe(401);
      const short = await runCli(['keys', 'password', 'auditor-1'], { ...process.env, ...env, DERBES_PSEUDONYM_KEY: TEST_KEY_HEX }, 'short\n');
      expect(short.code).not.toBe(0);
      expect(short.stderr).toContain('the password must be at least 12 characters');

      await createKey(config, { role: 'official', name: 'hr-director', unit: 'personnel-management', grants: [] });
      await expect(setConsolePassword(config, 'hr-director', 'a long enough password')).rejects.toThrow('2 live keys are named hr-director');
    } finally {
      await t.close();
    }
  });
});

describe('console passwords and the sessions opened with them', () => {
  it('ends the sessions opened with a password once another is set, and the new one signs in', async () => {
    const app = await startConsoleApp();
    try {
      const signedIn = await signInOverHttp(app.t.server, 'hr-director', PASSWORDS['hr-director']);
      expect(signedIn.status).toBe(303);
      const cookie = sessionCookie(signedIn);
      await request(app.t.server).get('/console/overview').set('cookie', cookie).expect(200);
      const keys = app.t.app.get(ApiKeys);
      const key = (await keys.list()).find((k) => k.name === 'hr-director');
      await keys.setPassword(key?.keyId as string, 'a new console password', 'test');
      const after = await request(app.t.server).get('/console/overview').set('cookie', cookie);
      expect({ status: after.status, location: after.headers.location }).toEqual({ status: 303, location: expect.stringMatching(/^\/console\/sign-in/) });
      expect((await signInOverHttp(app.t.server, 'hr-director', PASSWORDS['hr-director'])).status).toBe(401);
      expect((await signInOverHttp(app.t.server, 'hr-director', 'a new console password')).status).toBe(303);
    } finally {
      await app.close();
    }
  });

  it('signs in no revoked key, even with its password, and sets no password for one', async () => {
    const app = await startConsoleApp();
    try {
      const keys = app.t.app.get(ApiKeys);
      const key = (await keys.list()).find((k) => k.name === 'auditor-1');
      await keys.revoke(key?.keyId as string, 'test', 'left');
      expect((await signInOverHttp(app.t.server, 'auditor-1', PASSWORDS['auditor-1'])).status).toBe(401);
      await expect(keys.setPassword(key?.keyId as string, 'a long enough password', 'test')).rejects.toThrow(`no live key ${key?.keyId}`);
    } finally {
      await app.close();
    }
  });
});
