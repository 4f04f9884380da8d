import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app';

/** The console's cookie behind a TLS-terminating gateway: Secure only when the gateway is one the ledger trusts. */
describe('the console behind a gateway (DERBES_TRUST_PROXY)', () => {
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const app of apps) await app.close();
  });
  const sessionCookie = async (env: Record<string, string>, headers: Record<string, string>) => {
    const app = await startTestApp(env);
    apps.push(app);
    const form = await request(app.server).get('/console/sign-in').set(headers).expect(200);
    return String((form.headers['set-cookie'] as unknown as string[])[0]);
  };

  it('marks the session cookie Secure when a trusted gateway says the request came over TLS', async () => {
    expect(await sessionCookie({ DERBES_TRUST_PROXY: '127.0.0.1,::1,::ffff:127.0.0.1' }, { 'x-forwarded-proto': 'https' })).toMatch(/; Secure(;|$)/);
  });

  it('ignores the header from a client it does not trust, and without the header', async () => {
    expect(await sessionCookie({}, { 'x-forwarded-proto': 'https' })).not.toMatch(/Secure/);
    expect(await sessionCookie({ DERBES_TRUST_PROXY: '10.0.0.0/8' }, { 'x-forwarded-proto': 'https' })).not.toMatch(/Secure/);
    expect(await sessionCookie({ DERBES_TRUST_PROXY: '127.0.0.1,::1,::ffff:127.0.0.1' }, {})).not.toMatch(/Secure/);
  });
});
