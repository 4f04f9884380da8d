import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
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

  it('tells every cache on the way not to keep what the API answers', async () => {
    const res = await t.http.get('/v1/register/current').expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const refused = await t.http.get('/v1/register/current').set('authorization', 'Bearer nope').expect(401);
    expect(refused.headers['cache-control']).toBe('no-store');
  });
});
