import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { ApiKeys } from '../apps/ledger/src/auth/api-keys';
import { aRecord, startTestApp, type TestApp } from './support/test-app';

/** What a client cannot hold or keep: a connection with a body it never finishes, a cached answer (stopping: http/stopping.spec.ts). */
describe('HTTP limits', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await startTestApp({ DERBES_REQUEST_TIMEOUT_SECONDS: '1' });
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(async () => {
    await t.close();
  });

  /** Sends `request` and keeps the connection open; resolves with what came back when the server closes it. */
  const held = (request: string) => new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let answer = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk)).on('close', () => resolve(answer)).on('error', reject);
  });

  it('answers 408 in the one error shape, and closes the connection, when a body does not arrive whole in time', async () => {
    const record = JSON.stringify(aRecord());
    const answer = await held(`POST /v1/processing-records HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.tokens['emitter:hr-portal']}\r\n`
      + `Content-Type: application/json\r\nContent-Length: ${record.length}\r\n\r\n${record.slice(0, 20)}`);
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    expect(head.split(' ')[1]).toBe('408');
    expect(JSON.parse(body)).toMatchObject({ statusCode: 408, code: 'request_timeout', correlationId: expect.any(String) });
    expect(await t.written()).toBe(0);
  });

  it('answers a body without a live API key 401 before reading it, and closes the connection', async () => {
    // Headers announcing 4 MB, and not one byte of it: the answer must not wait for the body (it would get 408).
    const started = Date.now();
    const answer = await held('POST /v1/processing-records/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n'
      + 'Content-Length: 4000000\r\n\r\n');
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    expect(head.split(' ')[1]).toBe('401');
    expect(head.toLowerCase()).toContain('connection: close');
    expect(JSON.parse(body)).toMatchObject({ statusCode: 401, code: 'unauthenticated', message: 'credentials required: Authorization: Bearer <API key>' });
    expect(Date.now() - started).toBeLessThan(1000);
    // A key that is not one is refused the same way, whatever follows: not parsed, so not a 400.
    const unknown = await t.http.post('/v1/processing-records').set('authorization', 'Bearer dk_nope').set('content-type', 'application/json')
      .send('{not json').expect(401);
    expect(unknown.body).toMatchObject({ code: 'unauthenticated', message: 'unknown or revoked API key' });
    // With a live key the body is read and judged as before, and the key is proven once for the two checks.
    const authenticate = jest.spyOn(t.app.get(ApiKeys), 'authenticate');
    const bad = await t.http.post('/v1/processing-records').set('authorization', `Bearer ${t.tokens['emitter:hr-portal']}`)
      .set('content-type', 'application/json').send('{not json').expect(400);
    expect(bad.body.code).not.toBe('unauthenticated');
    await t.http.post('/v1/processing-records').send(aRecord()).expect(201);
    expect(authenticate).toHaveBeenCalledTimes(2);
    authenticate.mockRestore();
    expect(await t.written()).toBe(1);
  });

  it('reads no body that no route takes: an unknown route (404) or JSON to the console (415), answered before it arrives', async () => {
    for (const [path, status, code] of [['/nothing', '404', 'not_found'], ['//v1/processing-records', '404', 'not_found'], ['/v1', '404', 'not_found'],
      ['/console/sign-in', '415', 'unsupported_media_type']] as const) {
      const answer = await held(`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4000000\r\n\r\n`);
      const [head = '', body = ''] = answer.split('\r\n\r\n');
      expect([path, head.split(' ')[1], JSON.parse(body).code]).toEqual([path, status, code]);
    }
  });

  it('tells every cache on the way not to keep what the API answers', async () => {
    const res = await t.http.get('/v1/register/current').expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const refused = await t.http.get('/v1/register/current').set('authorization', 'Bearer nope').expect(401);
    expect(refused.headers['cache-control']).toBe('no-store');
  });
});
