import request from 'supertest';
import { ApiKeys } from '../../apps/ledger/src/auth/api-keys';
import { FORM_FIELD_LIMIT } from '../../apps/ledger/src/console/http/form-body';
import { MAX_FAILURES_PER_ADDRESS, MAX_FAILURES_PER_NAME } from '../../apps/ledger/src/console/session/sign-in-throttle';
import { PASSWORDS, sessionCookie, startConsoleApp, type ConsoleApp } from './support/console-app';

interface SignInForm {
  readonly cookie: string;
  readonly csrf: string;
}

/** What anyone may send to the sign-in form, before any session: forms and attempts it takes only so many of. */
describe('console: the limits of the sign-in form', () => {
  let app: ConsoleApp;
  beforeAll(async () => {
    // Behind a trusted gateway, so that each attempt can say which address it comes from.
    app = await startConsoleApp({ DERBES_TRUST_PROXY: '127.0.0.1,::1,::ffff:127.0.0.1' });
  });
  afterAll(async () => {
    await app?.close();
  });

  /** The form's session cookie and token, as a browser has them before it sends the form. */
  const signInForm = async (): Promise<SignInForm> => {
    const form = await request(app.t.server).get('/console/sign-in').expect(200);
    return { cookie: sessionCookie(form), csrf: /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1] as string };
  };
  /** Sends the sign-in form from that address now: supertest sends a request only once it is awaited. */
  const send = async (form: SignInForm, name: string, password: string, address: string) =>
    await request(app.t.server).post('/console/sign-in').set('cookie', form.cookie).set('x-forwarded-for', address).type('form')
      .send({ _csrf: form.csrf, name, password, next: '/console/overview' });
  const until = async (done: () => boolean) => {
    for (let tries = 0; !done(); tries++) {
      if (tries > 2000) throw new Error('waited 10 s in vain');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  it(`refuses a form of more than ${FORM_FIELD_LIMIT} fields with a 400, however few its names`, async () => {
    const form = await signInForm();
    const fields = `_csrf=${form.csrf}&name=hr-director&password=${encodeURIComponent(PASSWORDS['hr-director'])}`;
    const post = (body: string) => request(app.t.server).post('/console/sign-in').set('cookie', form.cookie).type('form').send(body);
    const over = await post(`${fields}${'&next=%2Fconsole%2Foverview'.repeat(FORM_FIELD_LIMIT - 2)}`).expect(400);
    expect(over.body).toMatchObject({ statusCode: 400, code: 'invalid_request', message: expect.stringContaining(`at most ${FORM_FIELD_LIMIT} fields`) });
    // One name repeated all over a 64 KB body, which took the server ~23 s to parse when a repeat copied the list.
    await post('a&'.repeat(32_700)).expect(400);
    // At the limit the form is read as ever.
    expect((await post(`${fields}${'&next=%2Fconsole%2Foverview'.repeat(FORM_FIELD_LIMIT - 3)}`)).status).toBe(303);
  });

  it("checks no more of a name's passwords than its failures allow when attempts come at once, then refuses the right one too", async () => {
    const keys = app.t.app.get(ApiKeys);
    const check = keys.signIn.bind(keys);
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The wrong passwords' checks are held unfinished (as scrypt holds them a while): none has failed yet when the right one comes.
    const checked = jest.spyOn(keys, 'signIn').mockImplementation(async (name, password) => {
      if (password !== PASSWORDS['auditor-2']) await held;
      return check(name, password);
    });
    try {
      const forms = await Promise.all(Array.from({ length: 13 }, signInForm));
      const wrong = forms.slice(0, 12).map((form, i) => send(form, 'auditor-2', `wrong-password-${i}`, `10.0.0.${i}`));
      await until(() => checked.mock.calls.length >= MAX_FAILURES_PER_NAME);
      const right = await send(forms[12] as SignInForm, 'auditor-2', PASSWORDS['auditor-2'], '10.0.0.99');
      expect(right.status).toBe(429);
      release();
      const statuses = (await Promise.all(wrong)).map((res) => res.status).sort();
      expect(statuses).toEqual([...Array(MAX_FAILURES_PER_NAME).fill(401), ...Array(12 - MAX_FAILURES_PER_NAME).fill(429)]);
      expect(checked).toHaveBeenCalledTimes(MAX_FAILURES_PER_NAME);
    } finally {
      release();
      checked.mockRestore();
    }
  });

  it('checks no more attempts from one address than its failures allow when they come at once', async () => {
    const checked = jest.spyOn(app.t.app.get(ApiKeys), 'signIn');
    try {
      const forms = await Promise.all(Array.from({ length: 2 * MAX_FAILURES_PER_ADDRESS }, signInForm));
      const answers = await Promise.all(forms.map((form, i) => send(form, `guessed-name-${i}`, 'a-guessed-password', '192.0.2.7')));
      const statuses = answers.map((res) => res.status).sort();
      expect(statuses).toEqual([...Array(MAX_FAILURES_PER_ADDRESS).fill(401), ...Array(MAX_FAILURES_PER_ADDRESS).fill(429)]);
      expect(checked).toHaveBeenCalledTimes(MAX_FAILURES_PER_ADDRESS);
    } finally {
      checked.mockRestore();
    }
  });
});
