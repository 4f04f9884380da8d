import request from 'supertest';
import { ApiKeys } from '../../../apps/ledger/src/auth/api-keys';
import { startTestApp, type TestApp } from '../../support/test-app';

/** The console password of each test key that may sign in, by key name. */
export const PASSWORDS = {
  'hr-director': 'Қазақбайұлы-2026-parol',
  'auditor-1': 'auditor-one-password',
  'auditor-2': 'auditor-two-password',
} as const;
export type ConsoleUser = keyof typeof PASSWORDS;

export interface ConsoleApp {
  readonly t: TestApp;
  /** `http://127.0.0.1:<port>`, where the browser finds the console. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The test app (as every e2e test starts it: in-memory store, fixed clock and keys), listening on a free port of
 * the loopback interface, with console passwords for the official and both auditors.
 */
export async function startConsoleApp(env: Record<string, string> = {}): Promise<ConsoleApp> {
  const t = await startTestApp(env);
  const keys = t.app.get(ApiKeys);
  for (const [name, password] of Object.entries(PASSWORDS)) {
    const key = (await keys.list()).find((k) => k.name === name);
    if (!key) throw new Error(`no test key ${name}`);
    await keys.setPassword(key.keyId, password, 'test');
  }
  await t.app.listen(0, '127.0.0.1');
  const address = t.app.getHttpServer().address();
  if (typeof address !== 'object' || address === null) throw new Error('the test app is not listening');
  return { t, url: `http://127.0.0.1:${address.port}`, close: () => t.close() };
}

/**
 * Signs in over HTTP as a browser would: the form's session cookie and token, then the form. The answer is the
 * form's (303 when signed in); `sessionCookie` gives the cookie to send with the next requests.
 */
export async function signInOverHttp(server: Parameters<typeof request>[0], name: string, password: string, next = '/console/overview'): Promise<request.Response> {
  const form = await request(server).get('/console/sign-in').expect(200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1] as string;
  return request(server).post('/console/sign-in').set('cookie', sessionCookie(form)).type('form').send({ _csrf: csrf, name, password, next });
}

/** The `name=value` of the first cookie an answer sets. */
export function sessionCookie(res: request.Response): string {
  return String((res.headers['set-cookie'] as unknown as string[] | undefined)?.[0]).split(';')[0] as string;
}
