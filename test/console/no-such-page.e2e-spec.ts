import request from 'supertest';
import { PASSWORDS, sessionCookie, signInOverHttp, startConsoleApp, type ConsoleApp } from './support/console-app';

describe('console: an address no page has', () => {
  let app: ConsoleApp;
  beforeAll(async () => {
    app = await startConsoleApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('sends a visitor without a session to sign in first, telling nobody which pages exist', async () => {
    const res = await request(app.t.server).get('/console/no-such-page').expect(303);
    expect(res.headers.location).toBe('/console/sign-in?lang=kk&next=%2Fconsole%2Fno-such-page');
  });

  it("answers a signed-in reader 404 with the console's page in their language, not the API's JSON", async () => {
    const signedIn = await signInOverHttp(app.t.server, 'hr-director', PASSWORDS['hr-director']);
    expect(signedIn.status).toBe(303);
    const cookie = sessionCookie(signedIn);
    for (const [lang, words] of [['ru', 'В консоли нет такой страницы'], ['kk', 'Консольде мұндай бет жоқ'], ['en', 'There is no such page in the console']] as const) {
      const res = await request(app.t.server).get(`/console/reports/nothing-here?lang=${lang}`).set('cookie', cookie).expect(404);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain(words);
      expect(res.text).toContain('href="/console/overview');
    }
    // A form sent to such an address without its token is refused as any form is; the pages that exist still answer.
    await request(app.t.server).post('/console/no-such-page').set('cookie', cookie).type('form').send({}).expect(403);
    await request(app.t.server).get('/console/overview?lang=en').set('cookie', cookie).expect(200);
    await request(app.t.server).get('/console/assets/console.css').expect(200);
    // The API's own unknown addresses keep the API's JSON error.
    const api = await request(app.t.server).get('/v1/no-such-endpoint').expect(404);
    expect(api.body).toMatchObject({ statusCode: 404 });
  });
});
