import request from 'supertest';
import { ACTING_KINDS, type RequestKind } from '@derbes/ledger';
import { IIN, OTHER_IIN, READER } from '../support/test-app';
import { PASSWORDS, sessionCookie, signInOverHttp, startConsoleApp, type ConsoleApp } from './support/console-app';

/**
 * The console's request forms take what the API takes, and nothing else: the same DTOs and checks, the errors shown
 * on the form (400, the queue again with that form open), nothing written. Over HTTP, as a browser sends forms.
 */
describe("console: the request forms apply the API's rules", () => {
  let app: ConsoleApp;
  let cookie: string;
  beforeAll(async () => {
    app = await startConsoleApp();
    const signedIn = await signInOverHttp(app.t.server, 'hr-director', PASSWORDS['hr-director']);
    expect(signedIn.status).toBe(303);
    cookie = sessionCookie(signedIn);
  });
  afterAll(async () => {
    await app?.close();
  });

  const csrf = async () => /name="_csrf" value="([^"]+)"/.exec((await request(app.t.server).get('/console/requests?lang=en').set('cookie', cookie).expect(200)).text)?.[1] as string;
  const post = async (path: string, form: Record<string, string | readonly string[]>) =>
    request(app.t.server).post(`${path}?lang=en`).set('cookie', cookie).type('form').send({ _csrf: await csrf(), ...form });
  /** A new open request of the subject through the API; its id. */
  const openRequest = async (kind: RequestKind = 'blocking', iin = IIN) => (await app.t.http.post('/v1/subject-requests').send({
    subject: { iin }, kind, channel: 'post', receivedAt: '2026-11-24T10:00:00+05:00', ...(ACTING_KINDS.has(kind) ? { categories: [13] } : {}),
  }).expect(201)).body.requestId as string;
  /** The errors the page's alert lists, as text. */
  const alerted = (page: string) => [...(/role="alert">([\s\S]*?)<\/div>/.exec(page)?.[1] ?? '').matchAll(/<li>([^<]*)<\/li>/g)]
    .map((m) => m[1]?.replace(/&quot;/g, '"').replace(/&#39;/g, "'"));
  /** What the API answers for the same body: its 400's errors, as `field: reason`. */
  const apiErrors = async (path: string, body: object) =>
    (await app.t.http.post(path).send(body).expect(400)).body.errors.map((e: { field: string; reason: string }) => `${e.field}: ${e.reason}`);

  const CONTROL = ['with a NUL \u0000 in it', 'a bell \u0007 rings', 'an escape \u001b[31m red'];

  it('refuses 61 reasons, one of 30,000 characters, some with control characters, naming each rule as the API does, and stores nothing', async () => {
    const requestId = await openRequest();
    const reasons = [...Array.from({ length: 57 }, (_, i) => `reason ${i + 1}`), 'x'.repeat(30_000), ...CONTROL];
    expect(reasons).toHaveLength(61);
    const before = await app.t.store.lastPosition();
    const res = await post(`/console/requests/${requestId}/refuse`, { reasons: reasons.join('\r\n') });
    expect(res.status).toBe(400);
    const errors = alerted(res.text);
    expect(errors).toEqual(await apiErrors(`/v1/subject-requests/${requestId}/refuse`, { reasons }));
    expect(errors).toEqual(expect.arrayContaining([
      'reasons: must contain no more than 20 elements', 'reasons: each value must be longer than or equal to 1 and shorter than or equal to 2000 characters',
      'reasons: each reason must be text without control characters or bidirectional overrides',
    ]));
    // Shown on the form it came from: that refusal open on its row, marked invalid, what was typed in it again.
    const row = res.text.slice(res.text.indexOf(`data-request="${requestId}"`));
    expect(row).toMatch(new RegExp(`<details open><summary>Refuse</summary>\\s*<form method="post" action="/console/requests/${requestId}/refuse">`));
    expect(row).toContain('role="alert"');
    expect(row).toMatch(/name="reasons" required maxlength="20000" aria-invalid="true">reason 1\r?\nreason 2/);
    expect(await app.t.store.lastPosition()).toBe(before);
    const queue = (await app.t.http.get('/v1/subject-requests').expect(200)).body.items;
    expect(queue.find((r: { requestId: string }) => r.requestId === requestId)).toMatchObject({ status: 'open' });
  });

  it.each<[string, string[], string]>([
    ['21 reasons', Array.from({ length: 21 }, (_, i) => `reason ${i + 1}`), 'reasons: must contain no more than 20 elements'],
    ['a reason of 2,001 characters', ['y'.repeat(2001)], 'reasons: each value must be longer than or equal to 1 and shorter than or equal to 2000 characters'],
    ...CONTROL.map((text): [string, string[], string] => [JSON.stringify(text), [text], 'reasons: each reason must be text without control characters or bidirectional overrides']),
    ['a reason naming an IIN', [`file of ${OTHER_IIN}`], 'reasons[0]: must be a reason in words, without an IIN'],
  ])('refuses %s as the API does', async (_what, reasons, error) => {
    const requestId = await openRequest();
    const before = await app.t.store.lastPosition();
    const res = await post(`/console/requests/${requestId}/refuse`, { reasons: reasons.join('\n') });
    expect(res.status).toBe(400);
    expect(alerted(res.text)).toEqual([error]);
    expect(await apiErrors(`/v1/subject-requests/${requestId}/refuse`, { reasons })).toEqual([error]);
    expect(await app.t.store.lastPosition()).toBe(before);
  });

  it('names the errors on the error page when the request is no longer open to show the form on', async () => {
    const requestId = await openRequest();
    await app.t.http.post(`/v1/subject-requests/${requestId}/refuse`).send({ reasons: ['kept by law'] }).expect(200);
    const before = await app.t.store.lastPosition();
    const res = await post(`/console/requests/${requestId}/refuse`, { reasons: 'z'.repeat(2001) });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<code>reasons</code>: each value must be longer than or equal to 1 and shorter than or equal to 2000 characters');
    expect(await app.t.store.lastPosition()).toBe(before);
  });

  it('takes 20 reasons of 2,000 characters typed on lines ending CRLF, each one reason, shown opened', async () => {
    const requestId = await openRequest();
    const reasons = Array.from({ length: 20 }, (_, i) => `${i + 1} `.padEnd(2000, 'z'));
    const res = await post(`/console/requests/${requestId}/refuse`, { reasons: `\r\n${reasons.join('\r\n')}\r\n\r\n` });
    expect(res.status).toBe(303);
    const refused = (await app.t.http.get('/v1/subject-requests').query({ status: 'refused' }).expect(200)).body.items;
    expect(refused.find((r: { requestId: string }) => r.requestId === requestId)).toMatchObject({ reasons });
  });

  it("refuses an answer's note of 2,001 characters or with control characters, or an unknown report language, and writes nothing", async () => {
    const requestId = await openRequest('information');
    const before = await app.t.store.lastPosition();
    for (const [language, note] of [
      [undefined, 'n'.repeat(2001)], [undefined, 'sent \u0000 by post'], [undefined, `answered to ${OTHER_IIN}`], ['de', 'sent by post'],
    ] as const) {
      const res = await post(`/console/requests/${requestId}/answer`, { note, ...(language ? { [`language-${requestId}`]: language } : {}) });
      expect(res.status).toBe(400);
      const errors = alerted(res.text);
      expect(errors).toEqual(await apiErrors(`/v1/subject-requests/${requestId}/answer`, { note, ...(language ? { language } : {}) }));
      expect(errors).toHaveLength(1);
      expect(res.text).toMatch(new RegExp(`<details open><summary>Answer</summary>\\s*<form method="post" action="/console/requests/${requestId}/answer">`));
    }
    expect(await app.t.store.lastPosition()).toBe(before);
  });

  it('keeps a note typed on several lines as the API would take it (LF), and answers', async () => {
    const requestId = await openRequest('consent-withdrawal', OTHER_IIN);
    const res = await post(`/console/requests/${requestId}/answer`, { note: 'sent by post\r\nreceipt 14' });
    expect(res.status).toBe(303);
    const subjectId = (await app.t.http.get('/v1/subject-requests').query({ status: 'answered' }).expect(200)).body.items
      .find((r: { requestId: string }) => r.requestId === requestId).subjectId;
    const events = (await app.t.http.get(`/v1/subjects/${subjectId}/events`).set(READER).expect(200)).body.items;
    expect(events.find((e: { type: string }) => e.type === 'SubjectRequestAnswered')).toMatchObject({ requestId, note: 'sent by post\nreceipt 14' });
  });

  it('refuses a registration with a category listed twice, or a detail too long or with control characters, and registers nothing', async () => {
    const before = await app.t.store.lastPosition();
    const form = { iin: IIN, kind: 'blocking', channel: 'post', receivedAt: '2026-11-24T10:00' };
    for (const [more, errors] of [
      [{ categories: ['13', '1', '13'] }, ['categories[2]: category 13 is listed twice']],
      [{ categories: ['13'], detail: 'd'.repeat(2001) }, ['detail: must be shorter than or equal to 2000 characters']],
      [{ categories: ['13'], detail: 'block it \u001b now' }, ['detail: must not contain control characters or bidirectional overrides']],
      [{ categories: ['13'], receivedAt: '2013-03-01T10:00' }, ['receivedAt: is before the personal-data law (Law 94-V of 2013-05-21)']],
    ] as const) {
      const res = await post('/console/requests', { ...form, ...more });
      expect(res.status).toBe(400);
      expect(alerted(res.text)).toEqual(errors);
    }
    // The API says the same of the same body.
    const api = { subject: { iin: IIN }, kind: 'blocking', channel: 'post', receivedAt: '2026-11-24T10:00:00+05:00' };
    expect(await apiErrors('/v1/subject-requests', { ...api, categories: [13, 1, 13] })).toEqual(['categories[2]: category 13 is listed twice']);
    expect(await apiErrors('/v1/subject-requests', { ...api, categories: [13], detail: 'd'.repeat(2001) })).toEqual(['detail: must be shorter than or equal to 2000 characters']);
    expect(await apiErrors('/v1/subject-requests', { ...api, categories: [13], receivedAt: '2013-03-01T10:00:00+05:00' })).toEqual(['receivedAt: is before the personal-data law (Law 94-V of 2013-05-21)']);
    expect(await app.t.store.lastPosition()).toBe(before);
  });

  it('shows an IIN sent as a category masked, as the API does, never as it was sent', async () => {
    const res = await post('/console/requests', { iin: IIN, kind: 'blocking', channel: 'post', receivedAt: '2026-11-24T10:00', categories: ['770707443318'] });
    expect(res.status).toBe(400);
    expect(alerted(res.text)).toEqual(['categories[0]: unknown category 7**********8: use the order\'s number or its code']);
    expect(res.text).not.toContain('770707443318');
  });
});
