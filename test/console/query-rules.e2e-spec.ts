import request from 'supertest';
import { aRecord } from '../support/test-app';
import { PASSWORDS, sessionCookie, signInOverHttp, startConsoleApp, type ConsoleApp } from './support/console-app';

/**
 * The console's pages read their query parameters by the API's rules: a parameter the API refuses is a 400 page that
 * records no read of the person's file, never a 500 or a page that quietly shows nothing. Over HTTP.
 */
describe("console: query parameters by the API's rules", () => {
  let app: ConsoleApp;
  let cookie: string;
  let subjectId: string;
  beforeAll(async () => {
    app = await startConsoleApp();
    cookie = sessionCookie(await signInOverHttp(app.t.server, 'hr-director', PASSWORDS['hr-director']));
    subjectId = (await app.t.http.post('/v1/processing-records').send(aRecord()).expect(201)).body.subjectId;
  });
  afterAll(async () => {
    await app?.close();
  });

  const get = (path: string) => request(app.t.server).get(path).set('cookie', cookie);
  const timeline = (query: string) => get(`/console/subjects/${subjectId}/timeline?purpose=OVERSIGHT&lang=en&${query}`);
  const reads = async () => (await app.t.store.readStream(`subject-${subjectId}`)).filter((e) => e.type === 'SubjectFileRead').length;

  it.each([
    ['a cursor it never gave (was a 500)', 'cursor=abc', 'cursor'],
    ['an unknown operation (was an empty page, and a read recorded)', 'operation=bogus', 'operation'],
    ['a period that ends before it begins (was an empty page)', 'from=2026-11-20&to=2026-11-01', 'to'],
  ])('refuses %s on the timeline, naming the field, and records no read', async (_what, query, field) => {
    const before = await reads();
    const res = await timeline(query);
    expect(res.status).toBe(400);
    expect(res.text).toContain(field);
    expect(await reads()).toBe(before);
  });

  it('names the field on its error page with an IIN sent as a category masked, never as it was sent', async () => {
    const res = await timeline('category=770707443318');
    expect(res.status).toBe(400);
    const alert = /role="alert">([\s\S]*?)<\/div>/.exec(res.text)?.[1] ?? '';
    expect(alert).toContain('<code>category</code>: unknown category &quot;7**********8&quot;');
    // Nor anywhere else on the page: its language links leave out a parameter holding an IIN, keeping the others.
    expect(res.text).not.toContain('770707443318');
    expect(res.text).toMatch(/href="[^"]*\?[^"]*lang=ru"/);
  });

  it('filters the timeline by the purpose of reads of the file (OVERSIGHT), as the API does', async () => {
    await timeline('').expect(200);
    // Was a 400: the console did not take the ledger's own purposes as a filter.
    await timeline('filterPurpose=OVERSIGHT').expect(200);
  });

  it("words a read of the file in the page's language (was English on every page)", async () => {
    await timeline('').expect(200);
    const kk = await get(`/console/subjects/${subjectId}/timeline?purpose=OVERSIGHT&lang=kk`).expect(200);
    // The view named in words, the route kept in the title.
    expect(kk.text).toContain('<span title="GET /console/subjects/{subjectId}/timeline">өңдеу тарихы арқылы қаралды</span>');
    expect(kk.text).not.toContain('read through');
    const ru = await get(`/console/subjects/${subjectId}/timeline?purpose=OVERSIGHT&lang=ru`).expect(200);
    expect(ru.text).toContain('просмотр через историю обработки');
  });

  it('refuses a period that ends before it begins on the violations page', async () => {
    const res = await get('/console/violations?lang=en&from=2026-11-20&to=2026-11-01');
    expect(res.status).toBe(400);
    expect(res.text).toContain('is before from');
  });

  it.each(['/console/violations?lang=en&actor=%3Cscript%3E', '/console/activity?lang=en&unit=two%20words'])('refuses a filter that is no code, as the API does (%s)', async (path) => {
    const res = await get(path);
    expect(res.status).toBe(400);
    expect(res.text).toContain('must be a code: letters, digits and . _ : @ / -');
  });

  it.each(['toString', 'constructor', '__proto__'])('shows the request queue without a notice for notice=%s (was a 500)', async (notice) => {
    await get(`/console/requests?lang=en&notice=${notice}`).expect(200);
  });
});
