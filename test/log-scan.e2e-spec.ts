import fs from 'node:fs';
import { inspect } from 'node:util';
import type { LightMyRequestResponse } from 'fastify';
import { checkIin } from '@derbes/ledger';
import { Rng, offByOneDigit, validIins } from './support/fuzz-generators';
import { aRecord, IIN, OTHER_IIN, startTestApp, type TestApp } from './support/test-app';

/**
 * Raw IINs never reach the logs (issue 5). Everything the process prints while the server runs at
 * DERBES_LOG_LEVEL=debug is captured at each seam production output passes (process.stdout/stderr.write, where
 * Nest's logger writes; console.*; fs.write/writeSync on descriptors 1 and 2, where pino, Fastify's logger, would),
 * while every endpoint is called with real IINs in bodies, wrong fields, paths, query strings and headers, with
 * errors of every kind and, at the end, with a store that cannot write (logged 5xx). Then the text is scanned for
 * every IIN used and for any run of 12 digits that passes the IIN checks.
 */
interface Printed {
  readonly where: string;
  readonly text: string;
}

function captureOutput(): { printed: Printed[]; stop(): void } {
  const printed: Printed[] = [];
  const restore: (() => void)[] = [];
  const text = (chunk: unknown) => (typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : inspect(chunk));
  function patch<T extends object>(target: T, key: keyof T, replacement: unknown): void {
    const original = target[key];
    target[key] = replacement as T[keyof T];
    restore.push(() => {
      target[key] = original;
    });
  }
  for (const name of ['stdout', 'stderr'] as const) {
    patch(process[name], 'write', (chunk: unknown, ...rest: unknown[]) => {
      printed.push({ where: `process.${name}`, text: text(chunk) });
      const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    });
  }
  for (const name of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    patch(console, name, (...args: unknown[]) => printed.push({ where: `console.${name}`, text: args.map(text).join(' ') }));
  }
  const writeSync = fs.writeSync;
  patch(fs, 'writeSync', (fd: number, data: unknown, ...rest: unknown[]) => {
    if (fd !== 1 && fd !== 2) return (writeSync as (...a: unknown[]) => number)(fd, data, ...rest);
    printed.push({ where: `fd ${fd}`, text: text(data) });
    return Buffer.byteLength(text(data));
  });
  const write = fs.write;
  patch(fs, 'write', (fd: number, data: unknown, ...rest: unknown[]) => {
    if (fd !== 1 && fd !== 2) return (write as (...a: unknown[]) => void)(fd, data, ...rest);
    printed.push({ where: `fd ${fd}`, text: text(data) });
    const callback = rest.find((r) => typeof r === 'function') as ((e: null, n: number) => void) | undefined;
    callback?.(null, Buffer.byteLength(text(data)));
  });
  return { printed, stop: () => restore.reverse().forEach((r) => r()) };
}

/** Each place in the printed text where one of the IINs, or any 12 digits passing the IIN checks, appears. */
function findIins(printed: readonly Printed[], iins: ReadonlySet<string>): string[] {
  const found: string[] = [];
  for (const { where, text } of printed) {
    const line = (at: number) => text.slice(Math.max(0, text.lastIndexOf('\n', at) + 1), (text.indexOf('\n', at) + 1 || text.length + 1) - 1).slice(0, 300);
    for (const iin of iins) {
      const at = text.indexOf(iin);
      if (at >= 0) found.push(`${iin} (an IIN the test used) in ${where}: ${line(at)}`);
    }
    for (const run of text.matchAll(/\d{12,}/g)) {
      for (let i = 0; i + 12 <= run[0].length; i++) {
        const digits = run[0].slice(i, i + 12);
        if (!iins.has(digits) && checkIin(digits, null).valid) found.push(`${digits} (12 digits passing the IIN checks) in ${where}: ${line(run.index)}`);
      }
    }
  }
  return found;
}

const ANSI = /\u001b\[[0-9;]*m/g;

describe('raw IINs never reach the logs', () => {
  const rng = new Rng(5);
  const [iinA, iinB, iinC] = validIins(rng, 3) as [string, string, string];
  const used = new Set([IIN, OTHER_IIN, iinA, iinB, iinC, offByOneDigit(rng, iinA), offByOneDigit(rng, iinB)]);
  let output: ReturnType<typeof captureOutput>;
  let t: TestApp;

  beforeAll(async () => {
    output = captureOutput();
    t = await startTestApp({ DERBES_LOG_LEVEL: 'debug', DERBES_RATE_LIMIT: '1000000' });
  });
  afterAll(() => {
    output.stop();
  });

  /** Every request of this file goes through here, with the credentials named by `as` (none: no Authorization). */
  function send(method: string, url: string, options: { body?: unknown; raw?: string | Buffer; headers?: Record<string, string>; as?: string | null } = {}): Promise<LightMyRequestResponse> {
    const key = options.as === undefined ? (method === 'POST' && url.startsWith('/v1/processing-records') ? 'emitter:hr-portal' : 'official') : options.as;
    const token = key === null ? undefined : t.tokens[key];
    const payload = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    return t.app.getHttpAdapter().getInstance().inject({
      method: method as 'GET', url,
      headers: { ...(payload !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...options.headers },
      ...(payload !== undefined ? { payload } : {}),
    });
  }

  it('prints none of the IINs it is given, anywhere, at debug level, through every endpoint and every kind of error', async () => {
    const reader = { 'x-purpose': 'OVERSIGHT' };
    // The ledger's ordinary work with real IINs.
    expect((await send('POST', '/v1/processing-records', { body: aRecord({ subject: { iin: iinA } }) })).statusCode).toBe(201);
    expect((await send('POST', '/v1/processing-records', { body: aRecord({ subject: { iin: iinB }, categories: [1, 13] }) })).statusCode).toBe(201);
    const batch = { records: [aRecord({ subject: { iin: iinC } }), aRecord({ subject: { iin: IIN }, operation: 'transfer', source: undefined, recipient: { name: 'Fund', country: 'DE' } })] };
    expect((await send('POST', '/v1/processing-records/batch', { body: batch })).statusCode).toBe(201);
    const subjectA = (await send('POST', '/v1/subjects/lookup', { body: { iin: iinA } })).json().subjectId as string;
    const information = await send('POST', '/v1/subject-requests', { body: { subject: { iin: iinA }, kind: 'information', channel: 'egov', receivedAt: '2026-11-24T10:00:00+05:00' } });
    const blocking = await send('POST', '/v1/subject-requests', { body: { subject: { iin: iinB }, kind: 'blocking', channel: 'post', receivedAt: '2026-11-24T10:00:00+05:00', categories: [13] } });
    expect([information.statusCode, blocking.statusCode]).toEqual([201, 201]);
    for (const view of ['history', 'inventory', 'events', 'access-report', 'access-report?format=html', 'access-report?format=pdf&lang=ru']) {
      expect((await send('GET', `/v1/subjects/${subjectA}/${view}`, { headers: reader })).statusCode).toBe(200);
    }
    expect((await send('POST', `/v1/subject-requests/${information.json().requestId}/answer`, { body: { language: 'en' } })).statusCode).toBe(200);
    expect((await send('POST', `/v1/subject-requests/${blocking.json().requestId}/refuse`, { body: { reasons: ['kept by law'] } })).statusCode).toBe(200);

    // IINs where they do not belong: every one answered 4xx.
    const misplaced = [
      aRecord({ note: `call ${iinA}` }), aRecord({ actor: { id: iinA, role: 'hr', unit: 'hr' } }), aRecord({ source: { kind: 'subject', name: iinB } }),
      aRecord({ operation: 'transfer', source: undefined, recipient: { name: iinC, country: 'KZ' }, transferGround: { kind: 'consent', reference: IIN } }),
      aRecord({ recordId: iinA }), aRecord({ system: iinA }), aRecord({ purpose: iinA }), aRecord({ categories: [iinA] }), aRecord({ [iinA]: iinA }),
      aRecord({ subject: { iin: offByOneDigit(rng, iinA) } }), aRecord({ subject: { iin: Number(iinA) } }), aRecord({ occurredAt: iinA }), aRecord({ embargoUntil: iinA }),
    ];
    for (const body of misplaced) expect((await send('POST', '/v1/processing-records', { body })).statusCode).toBeGreaterThanOrEqual(400);
    expect((await send('POST', '/v1/processing-records/batch', { body: { records: misplaced } })).statusCode).toBe(400);
    for (const body of [{ iin: offByOneDigit(rng, iinB) }, { iin: Number(iinB) }, { iin: iinB, extra: iinA }]) expect((await send('POST', '/v1/subjects/lookup', { body })).statusCode).toBe(400);
    const badRequests = [{ subject: { iin: iinA }, kind: 'information', channel: 'egov', receivedAt: '2026-11-24T10:00:00Z', detail: `re ${iinB}` }, { subject: { iin: offByOneDigit(rng, iinC) }, kind: 'information', channel: 'egov', receivedAt: iinC }];
    for (const body of badRequests) expect((await send('POST', '/v1/subject-requests', { body })).statusCode).toBe(400);
    expect((await send('POST', `/v1/subject-requests/${iinA}/answer`, { body: { note: iinA } })).statusCode).toBe(400);
    expect((await send('POST', `/v1/subject-requests/${blocking.json().requestId}/refuse`, { body: { reasons: [iinB] } })).statusCode).toBeGreaterThanOrEqual(400);

    // IINs in paths, query strings and headers, malformed URLs and bodies, unknown routes, bad credentials.
    const urls = [
      `/v1/subjects/${iinA}/history`, `/v1/subjects/${iinA}%ff/events`, `/v1/subjects/${iinA.repeat(9)}/events`, `/v1/${iinA}`, `/v1/subjects/${subjectA}/history?iin=${iinA}`,
      `/v1/subjects/${subjectA}/history?actor=${iinA}&from=${iinB}`, `/v1/reports/violations?actor=${iinA}&iin=${iinB}`, `/v1/reports/transfers?from=2026-01-01&to=2026-12-01&recipient=${iinA}`,
      `/v1/reports/summary?from=${iinA}&to=${iinB}`, `/v1/reports/actor-activity?from=2026-11-01&to=2026-11-30&actor=${iinC}`, `/v1/subject-requests?cursor=${iinA}&status=closed`,
      `/v1/register/current?at=${iinA}`, `/v1/register?iin=${iinA}`, `/health?iin=${iinA}`, `/metrics?iin=${iinA}`, `/docs-json?iin=${iinA}`,
    ];
    for (const url of urls) expect((await send('GET', url, { headers: reader })).statusCode).toBeLessThan(500);
    const headerSets: Record<string, string>[] = [{ 'x-purpose': iinA }, { 'x-correlation-id': iinA, 'x-purpose': 'OVERSIGHT' }, { 'x-correlation-id': `batch-${iinB}`, 'x-purpose': 'OVERSIGHT' }];
    for (const headers of headerSets) {
      expect((await send('GET', `/v1/subjects/${subjectA}/events`, { headers })).statusCode).toBeLessThan(500);
    }
    expect((await send('GET', `/v1/subjects/${subjectA}/events`, { headers: { authorization: `Bearer ${iinA}`, ...reader }, as: null })).statusCode).toBe(401);
    expect((await send('POST', '/v1/subjects/lookup', { body: { iin: iinA }, as: null })).statusCode).toBe(401);
    const raws: [string, string | Buffer, Record<string, string>?][] = [
      ['/v1/subjects/lookup', `{"iin": "${iinA}"`], ['/v1/subjects/lookup', `{"iin": "${iinA}", "__proto__": {"x": "${iinB}"}}`],
      ['/v1/subjects/lookup', Buffer.concat([Buffer.from(`{"iin":"${iinA}`), Buffer.from([0xff]), Buffer.from('"}')])],
      ['/v1/subjects/lookup', `iin=${iinA}`, { 'content-type': 'application/x-www-form-urlencoded' }], ['/v1/subjects/lookup', iinA, { 'content-type': 'text/plain' }],
      ['/v1/processing-records', JSON.stringify(aRecord({ note: `${iinA} `.repeat(700_000) }))], ['/v1/subjects/lookup', `{"iin":${'['.repeat(10_000)}"${iinA}"${']'.repeat(10_000)}}`],
    ];
    for (const [url, raw, headers] of raws) expect((await send('POST', url, { raw, ...(headers ? { headers } : {}) })).statusCode).toBeGreaterThanOrEqual(400);

    // Every route the application maps (from its own start-up log), with IINs everywhere, under each kind of key and none.
    // A route mapped for ALL methods (the console's page for unknown addresses) is tried with GET and POST.
    const routes = [...output.printed.map((p) => p.text.replace(ANSI, '')).join('\n').matchAll(/Mapped \{([^,]+), (\w+)\} route/g)]
      .flatMap((m) => (m[2] === 'ALL' ? ['GET', 'POST'] : [m[2] as string]).map((method) => [method, m[1] as string] as const));
    expect(routes.length).toBeGreaterThan(20);
    const laden = { iin: iinA, subject: { iin: iinB }, note: iinC, name: iinA, reason: iinA, reasons: [iinB], records: [{ subject: { iin: iinC } }], [iinA]: iinB };
    for (const [method, path] of routes) {
      for (const id of [iinA, subjectA]) {
        const url = `${path.replace(/:[A-Za-z]+/g, id)}?iin=${iinB}&q=${iinC}`;
        for (const as of ['official', 'auditorWithGrant', 'admin', 'emitter:hr-portal', null]) {
          const res = await send(method, url, { as, headers: { 'x-purpose': iinA, 'x-correlation-id': iinB }, ...(method === 'POST' ? { body: laden } : {}) });
          expect(res.statusCode).toBeLessThan(500);
        }
      }
    }

    // A store that cannot write: the 5xx answers are the ones the server logs.
    await t.store.close();
    for (const [method, url, body] of [['POST', '/v1/processing-records', aRecord({ subject: { iin: iinA } })], ['POST', '/v1/subjects/lookup', { iin: iinB }],
      ['GET', `/v1/subjects/${subjectA}/events`, undefined], ['POST', '/v1/subject-requests', { subject: { iin: iinC }, kind: 'information', channel: 'egov', receivedAt: '2026-11-24T10:00:00Z' }]] as const) {
      expect((await send(method, url, { ...(body ? { body } : {}), headers: reader })).statusCode).toBeGreaterThanOrEqual(500);
    }
    await t.close();

    const printed = output.printed.map((p) => ({ ...p, text: p.text.replace(ANSI, '') }));
    const all = printed.map((p) => p.text).join('\n');
    // The capture saw what the server prints: its start-up at debug level and the failures it logged.
    expect(all).toContain('Nest application successfully started');
    expect(all).toMatch(/ERROR \[http\] POST \/v1\/processing-records failed/);
    expect(findIins(printed, used)).toEqual([]);
  });

  it('finds an IIN, and 12 digits passing its checks, where they are printed', () => {
    const printed = [{ where: 'process.stderr', text: `line one\nPOST /v1/x failed for ${IIN} and 0${OTHER_IIN}9\n` }];
    expect(findIins(printed, new Set([IIN]))).toEqual([
      `${IIN} (an IIN the test used) in process.stderr: POST /v1/x failed for ${IIN} and 0${OTHER_IIN}9`,
      `${OTHER_IIN} (12 digits passing the IIN checks) in process.stderr: POST /v1/x failed for ${IIN} and 0${OTHER_IIN}9`,
    ]);
  });
});
