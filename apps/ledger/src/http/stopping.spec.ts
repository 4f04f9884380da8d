import { connect, type AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { answerWhileStopping } from './stopping';

describe('answerWhileStopping', () => {
  it('answers a request that arrives on an open connection while the server stops: 503 shutting_down, Retry-After, connection closed', async () => {
    const fastify = Fastify({ return503OnClosing: false });
    // Hooks run in the order added: these two only say when the second request came in, and when the stop began.
    let nextArrived: () => void = () => undefined;
    const next = new Promise<void>((resolve) => { nextArrived = resolve; });
    fastify.addHook('onRequest', async (request) => { if (request.url === '/next') nextArrived(); });
    answerWhileStopping(fastify);
    let stopBegan: () => void = () => undefined;
    const stopping = new Promise<void>((resolve) => { stopBegan = resolve; });
    fastify.addHook('preClose', async () => stopBegan());
    let finishFirst: () => void = () => undefined;
    let firstArrived: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => { firstArrived = resolve; });
    fastify.get('/slow', () => new Promise((resolve) => {
      firstArrived();
      finishFirst = () => resolve({ ok: true });
    }));
    fastify.get('/next', async () => ({ handled: true }));
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    const { port } = fastify.server.address() as AddressInfo;

    // A connection busy with a first request stays open while the server stops; a second request sent on it then
    // arrives after the stop began.
    let answer = '';
    const socket = connect(port, '127.0.0.1', () => socket.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n'));
    const closed = new Promise<void>((resolve) => socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk)).on('close', () => resolve()));
    await arrived;
    const stopped = fastify.close();
    await stopping;
    socket.write('GET /next HTTP/1.1\r\nHost: x\r\n\r\n');
    await next;
    finishFirst();
    await closed;
    await stopped;

    const [first, second] = answer.split(/(?=HTTP\/1\.1 )/);
    expect(first).toMatch(/^HTTP\/1\.1 200/);
    expect(second).toMatch(/^HTTP\/1\.1 503/);
    expect(second?.toLowerCase()).toContain('retry-after: 1');
    expect(second?.toLowerCase()).toContain('connection: close');
    expect(JSON.parse(second?.split('\r\n\r\n')[1] ?? '{}')).toMatchObject({ statusCode: 503, code: 'shutting_down', errors: [] });
  });
});
