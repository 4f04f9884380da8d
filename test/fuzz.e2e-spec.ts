import type { LightMyRequestResponse } from 'fastify';
import { Rng, validIins, type FuzzRequest } from './support/fuzz-generators';
import { whyInvalid } from './support/fuzz-oracle';
import { EMITTER_SYSTEM, getRequest, postRequest, type Endpoint, type FuzzWorld, type GET_ENDPOINTS, type POST_ENDPOINTS } from './support/fuzz-requests';
import { aRecord, IIN, startTestApp, uuid, type TestApp } from './support/test-app';

/**
 * Hostile input (issue 5): over 10,000 generated and mutated requests to the ingest and query endpoints, sent in
 * process through Fastify's inject, one at a time so that the log position before and after each is known. Every
 * answer must be a 4xx in the documented error shape with nothing stored, or a 2xx to a request the README's rules
 * call valid (fuzz-oracle.ts) that stored what it should; never a 5xx. Replay a failure with FUZZ_SEED=<seed>.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261125);

/** Every request of this file goes through here: the one place that says which credentials a request carries. */
function send(t: TestApp, req: FuzzRequest): Promise<LightMyRequestResponse> {
  const token = req.endpoint.startsWith('POST /v1/processing-records') ? t.tokens[`emitter:${EMITTER_SYSTEM}`] : t.tokens.official;
  return t.app.getHttpAdapter().getInstance().inject({
    method: req.method, url: req.url, headers: { ...req.headers, authorization: `Bearer ${token}` },
    ...(req.payload !== undefined ? { payload: req.payload } : {}),
  });
}

const PER_SUBJECT_READS = new Set<Endpoint>(['GET /v1/subjects/{id}/history', 'GET /v1/subjects/{id}/inventory', 'GET /v1/subjects/{id}/events', 'GET /v1/subjects/{id}/access-report']);

describe(`hostile input: generated and mutated requests (seed ${SEED})`, () => {
  const rng = new Rng(SEED);
  const counts = new Map<Endpoint, number>();
  const succeeded = new Map<Endpoint, number>();
  const subjects = new Set<string>();
  const recorded = new Set<string>();
  const open = new Set<string>();
  const closed: string[] = [];
  let t: TestApp;
  let iins: string[];
  let lastPosition = 0;
  let sent = 0;

  beforeAll(async () => {
    t = await startTestApp({ DERBES_RATE_LIMIT: '1000000' });
    iins = validIins(rng, 40);
    lastPosition = await t.store.lastPosition();
  });
  afterAll(async () => {
    await t?.close();
  });

  function world(): FuzzWorld {
    return { iins, bodyLimit: t.config.bodyLimitBytes, recorded: [...recorded], openRequests: [...open], closedRequests: closed.slice(-5), lastPosition };
  }

  /** Sends one request and checks its answer; throws naming the seed, the request and the answer. */
  async function fire(req: FuzzRequest): Promise<void> {
    sent++;
    counts.set(req.endpoint as Endpoint, (counts.get(req.endpoint as Endpoint) ?? 0) + 1);
    const before = lastPosition;
    const oracle = { now: t.clock.now(), skewSeconds: t.config.clockSkewSeconds, embargoMaxDays: t.config.embargoMaxDays, emitterSystem: EMITTER_SYSTEM, subjects, openRequests: open, bodyLimit: t.config.bodyLimitBytes };
    const why = whyInvalid(req, oracle);
    const res = await send(t, req);
    lastPosition = await t.store.lastPosition();
    const fail = (problem: string): never => {
      throw new Error(`${problem}\n${describeExchange(SEED, sent, req, res)}`);
    };
    const status = res.statusCode;
    if (status >= 500) fail(`a ${status} answer`);
    if (status < 200 || (status >= 300 && status < 400)) fail(`neither 2xx nor 4xx: ${status}`);
    if (status >= 400) {
      const shapeProblem = errorShapeProblem(res);
      if (shapeProblem) fail(`an error not in the documented shape: ${shapeProblem}`);
      if (lastPosition !== before) fail(`a rejected request was stored: the log went from ${before} to ${lastPosition}`);
      if (req.mutations.length === 0) fail('a valid, unmutated request was refused');
      return;
    }
    if (why !== null) fail(`a 2xx to a request the README's rules refuse (${why})`);
    succeeded.set(req.endpoint as Endpoint, (succeeded.get(req.endpoint as Endpoint) ?? 0) + 1);
    const body = String(res.headers['content-type']).startsWith('application/json') ? res.json() : {};
    // A signed tree head may follow (an access report signs one when the last is older than the subject's events):
    // the ledger's own bookkeeping, not the request's.
    const appended = (await t.store.readAll({ after: before })).filter((e) => e.type !== 'TreeHeadSigned');
    const grew = appended.length;
    const expected = expectedGrowth(req.endpoint as Endpoint, status, body);
    if (expected !== null && grew !== expected) fail(`the log grew by ${grew}, expected ${expected}`);
    if (PER_SUBJECT_READS.has(req.endpoint as Endpoint)) {
      const read = appended.at(-1);
      if (read?.type !== 'SubjectFileRead') fail(`the read was not recorded as a SubjectFileRead (last event: ${read?.type})`);
    }
    remember(req.endpoint as Endpoint, status, body, req);
  }

  /** What the generators and the oracle must know after a success: new subjects, and requests opened or closed. */
  function remember(endpoint: Endpoint, status: number, body: Record<string, unknown>, req: FuzzRequest): void {
    const results = endpoint === 'POST /v1/processing-records' ? [body] : endpoint === 'POST /v1/processing-records/batch' ? body.results as Record<string, unknown>[] : [];
    for (const r of results) {
      subjects.add(String(r.subjectId));
      recorded.add(String(r.subjectId));
    }
    if (endpoint === 'POST /v1/subject-requests') {
      subjects.add(String(body.subjectId));
      if (status === 201) open.add(String(body.requestId).toLowerCase());
    }
    if (endpoint === 'POST /v1/subject-requests/{id}/answer' || endpoint === 'POST /v1/subject-requests/{id}/refuse') {
      const id = decodeURIComponent(req.url.split('/')[3] as string).toLowerCase();
      open.delete(id);
      closed.push(id);
    }
  }

  // Each test sends 1,200 to 2,600 requests one after another (10 s for the records here); on a loaded machine that
  // can pass jest's 30 s, which would fail a run for its speed, not for an answer.
  const SLOW = 90_000;

  async function run(endpoints: readonly Endpoint[], perEndpoint: number): Promise<void> {
    for (let i = 0; i < perEndpoint; i++) {
      for (const endpoint of endpoints) {
        const w = world();
        await fire(endpoint.startsWith('POST') ? postRequest(rng, endpoint as (typeof POST_ENDPOINTS)[number], w) : getRequest(rng, endpoint as (typeof GET_ENDPOINTS)[number], w));
      }
    }
  }

  it('records: POST /v1/processing-records', async () => {
    await run(['POST /v1/processing-records'], 2600);
  }, SLOW);

  it('batches: POST /v1/processing-records/batch', async () => {
    await run(['POST /v1/processing-records/batch'], 800);
  }, SLOW);

  it('lookups and subject requests: POST /v1/subjects/lookup, POST /v1/subject-requests', async () => {
    await run(['POST /v1/subjects/lookup', 'POST /v1/subject-requests'], 1000);
  }, SLOW);

  it('answers and refusals: POST /v1/subject-requests/{id}/answer|refuse', async () => {
    await run(['POST /v1/subject-requests/{id}/answer', 'POST /v1/subject-requests/{id}/refuse'], 600);
  }, SLOW);

  it("reads of a subject's file: GET /v1/subjects/{id}/history|inventory|events|access-report", async () => {
    await run(['GET /v1/subjects/{id}/history', 'GET /v1/subjects/{id}/inventory', 'GET /v1/subjects/{id}/events', 'GET /v1/subjects/{id}/access-report'], 450);
  }, SLOW);

  it('reports, the request queue and the register: GET /v1/reports/*, /v1/subject-requests, /v1/register/current', async () => {
    await run(['GET /v1/reports/violations', 'GET /v1/reports/summary', 'GET /v1/reports/transfers', 'GET /v1/reports/actor-activity',
      'GET /v1/subject-requests', 'GET /v1/register/current'], 330);
  }, SLOW);

  it('sent over 10,000 requests, and the application still answers /health with the log it had', async () => {
    const health = await t.app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json().store.lastPosition).toBe(lastPosition);
    expect(sent).toBeGreaterThanOrEqual(10_000);
    expect(counts.size).toBe(16);
    console.log(`fuzz seed ${SEED}: ${sent} requests; ${[...counts].map(([e, n]) => `${e} ${n} (${succeeded.get(e) ?? 0} 2xx)`).join(', ')}; log position ${lastPosition}`);
    for (const [endpoint, n] of counts) {
      // Each endpoint took both ways: some requests (the unmutated ones at least) succeeded, others were refused.
      const ok = succeeded.get(endpoint) ?? 0;
      expect([endpoint, n >= 300, ok > 0, ok < n]).toEqual([endpoint, true, true, true]);
    }
    expect(recorded.size).toBeGreaterThan(10);
  });
});

describe('hostile inputs that once broke the API (found by the fuzz test)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
  const post = (endpoint: Endpoint, url: string, payload: string | Buffer, contentType = 'application/json'): FuzzRequest =>
    ({ endpoint, method: 'POST', url, headers: { 'content-type': contentType }, payload, mutations: ['regression'] });
  const get = (endpoint: Endpoint, url: string): FuzzRequest => ({ endpoint, method: 'GET', url, headers: { 'x-purpose': 'OVERSIGHT' }, mutations: ['regression'] });
  const record = (overrides: Record<string, unknown>) => post('POST /v1/processing-records', '/v1/processing-records', JSON.stringify(aRecord(overrides)));
  const request = (overrides: Record<string, unknown>, raw = '') => post('POST /v1/subject-requests', '/v1/subject-requests',
    JSON.stringify({ subject: { iin: IIN }, kind: 'information', channel: 'egov', receivedAt: '2026-11-24T10:00:00+05:00', ...overrides }).replace(/}$/, `${raw}}`));
  const badNote = Buffer.concat([Buffer.from(JSON.stringify(aRecord({ note: 'ab' })).replace('"note":"ab"', '"note":"a')), Buffer.from([0xff]), Buffer.from('b"}')]);

  it.each<[string, () => FuzzRequest, number, string | null]>([
    ['a lookup nested 10,000 deep (was a 500: class-transformer overflowed the stack)', () => post('POST /v1/subjects/lookup', '/v1/subjects/lookup', `{"iin":${deep(10_000)}}`), 400, 'iin'],
    ['a subject request with categories nested 10,000 deep (was a 500)', () => request({}, `,"categories":${deep(10_000)}`), 400, 'categories'],
    ['a refusal with reasons nested 10,000 deep (was a 500)', () => post('POST /v1/subject-requests/{id}/refuse', `/v1/subject-requests/${uuid()}/refuse`, `{"reasons":${deep(10_000)}}`), 400, 'reasons'],
    ['a record whose subject is an array (was a 500)', () => record({ subject: [{ iin: IIN }] }), 400, 'subject'],
    ['a record with a field hasOwnProperty (was stored, the field ignored)', () => record({ hasOwnProperty: 'x' }), 400, 'hasOwnProperty'],
    ['a record with a field constructor (was a 400 naming no field)', () => record({ constructor: 1 }), 400, 'constructor'],
    ['a subject request with a field prototype (was stored, the field dropped)', () => request({ prototype: 'x' }), 400, 'prototype'],
    ['a subject request with subject.toString (was stored, the field dropped)', () => request({ subject: { iin: IIN, toString: 'x' } }), 400, 'subject.toString'],
    ['a query parameter toString (was ignored)', () => get('GET /v1/reports/violations', '/v1/reports/violations?toString=1'), 400, 'toString'],
    ['invalid UTF-8 in a note (was stored with U+FFFD in its place)', () => post('POST /v1/processing-records', '/v1/processing-records', badNote), 400, '(body)'],
    ['a lookup sent as a form (was answered; the API takes JSON only)', () => post('POST /v1/subjects/lookup', '/v1/subjects/lookup', `iin=${IIN}`, 'application/x-www-form-urlencoded'), 415, null],
    ["a bad percent-encoding in the path (was Fastify's own shape, echoing the path)", () => get('GET /v1/subjects/{id}/events', `/v1/subjects/${IIN}%ff/events`), 400, '(url)'],
    ["a path segment over 100 characters (was a 414 in Fastify's shape, echoing the path)", () => get('GET /v1/subjects/{id}/events', `/v1/subjects/${IIN.repeat(9)}/events`), 400, '(url)'],
    ["a cursor past the end of an unknown subject's events (was a 200 that recorded a read of a subject the ledger never knew)",
      () => get('GET /v1/subjects/{id}/events', `/v1/subjects/${'a'.repeat(64)}/events?cursor=${Buffer.from('r:5').toString('base64url')}`), 404, null],
  ])('%s', async (_name, make, status, field) => {
    const before = await t.store.lastPosition();
    const res = await send(t, make());
    expect(res.statusCode).toBe(status);
    expect(errorShapeProblem(res)).toBeNull();
    if (field !== null) expect(res.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: expect.stringMatching(new RegExp(`^${field.replace(/[.()]/g, '\\$&')}`)) })]));
    expect(res.body).not.toContain(IIN);
    expect(await t.store.lastPosition()).toBe(before);
  });

  // A null note once reached the IIN check of free text and was a 500; then it was a 400 while `source: null` and
  // `embargoUntil: null` were taken as absent. Now null means absent in every optional field of a body.
  it('takes null in an optional field as the field left out: the same record, stored once', async () => {
    const recordId = uuid();
    const nulls = { recordId, note: null, source: { kind: 'subject', name: null }, embargoUntil: null, sourceSequence: null, recipient: null, transferGround: null };
    const first = await send(t, record(nulls));
    expect(first.statusCode).toBe(201);
    const [event] = await t.store.readAll({ after: first.json().position - 1 });
    expect(event?.data).toMatchObject({ note: null, source: { kind: 'subject' }, embargoUntil: null, sourceSequence: null });
    expect(Object.keys((event?.data as { source: object }).source)).toEqual(['kind']);
    const before = await t.store.lastPosition();
    const { note: _note, ...withoutNote } = aRecord({ recordId });
    const omitted = await send(t, post('POST /v1/processing-records', '/v1/processing-records', JSON.stringify(withoutNote)));
    expect(omitted.statusCode).toBe(200);
    expect(omitted.json().eventId).toBe(first.json().eventId);
    expect(await t.store.lastPosition()).toBe(before);
  });

  it('takes null as absent in a subject request and its answer', async () => {
    const created = await send(t, request({ detail: null }));
    expect(created.statusCode).toBe(201);
    const requestId = created.json().requestId as string;
    const answered = await send(t, post('POST /v1/subject-requests/{id}/answer', `/v1/subject-requests/${requestId}/answer`, '{"note":null,"language":null}'));
    expect(answered.statusCode).toBe(200);
  });

  it('replaces a correlation id that holds an IIN, so that it is neither echoed nor stored', async () => {
    const req = { ...record({}), headers: { 'content-type': 'application/json', 'x-correlation-id': `batch-${IIN}` } };
    const res = await send(t, req);
    expect(res.statusCode).toBe(201);
    expect(res.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    const [event] = await t.store.readAll({ after: (await t.store.lastPosition()) - 1 });
    expect(event?.metadata.correlationId).toBe(res.headers['x-correlation-id']);
    expect((await send(t, { ...req, headers: { ...req.headers, 'x-correlation-id': 'payroll-batch-17' } })).headers['x-correlation-id']).toBe('payroll-batch-17');
  });
});

/** The log grows by this on a 2xx (null: at least one, for answers that may carry out a request). */
function expectedGrowth(endpoint: Endpoint, status: number, body: Record<string, unknown>): number | null {
  switch (endpoint) {
    case 'POST /v1/processing-records': return status === 201 ? 1 : 0;
    case 'POST /v1/processing-records/batch': return Number(body.created);
    case 'POST /v1/subject-requests': return status === 201 ? 1 : 0;
    case 'POST /v1/subject-requests/{id}/answer': return null;
    case 'POST /v1/subject-requests/{id}/refuse': return 1;
    default: return PER_SUBJECT_READS.has(endpoint) ? 1 : 0;
  }
}

/** What is wrong with a 4xx's body against README "Errors", or null. */
function errorShapeProblem(res: LightMyRequestResponse): string | null {
  let body: Record<string, unknown>;
  try {
    body = res.json();
  } catch {
    return 'not JSON';
  }
  if (body.statusCode !== res.statusCode) return 'statusCode';
  if (typeof body.error !== 'string' || body.error === '') return 'error';
  if (typeof body.code !== 'string' || !/^[a-z_]+$/.test(body.code)) return 'code';
  if (typeof body.message !== 'string' || body.message === '') return 'message';
  if (!Array.isArray(body.errors)) return 'errors';
  for (const e of body.errors as Record<string, unknown>[]) {
    if (typeof e.field !== 'string' || typeof e.reason !== 'string' || (e.index !== undefined && typeof e.index !== 'number')) return `errors entry ${JSON.stringify(e).slice(0, 200)}`;
  }
  if (typeof body.correlationId !== 'string' || body.correlationId !== res.headers['x-correlation-id']) return 'correlationId (body and x-correlation-id header)';
  if (/\bat .+\.(ts|js):\d+/.test(res.body)) return 'a stack trace';
  return null;
}

function excerpt(text: string, max = 1500): string {
  return text.length <= max ? text : `${text.slice(0, max)}... (${text.length} characters)`;
}

function describeExchange(seed: number, n: number, req: FuzzRequest, res: LightMyRequestResponse): string {
  const payload = req.payload === undefined ? '(none)' : Buffer.isBuffer(req.payload) ? `base64 ${excerpt(req.payload.toString('base64'))}` : excerpt(JSON.stringify(req.payload));
  return [
    `seed ${seed} (replay: FUZZ_SEED=${seed} npx jest test/fuzz), request #${n}: ${req.method} ${excerpt(req.url, 500)}`,
    `headers ${JSON.stringify(req.headers)}`, `payload ${payload}`, `mutations: ${req.mutations.join('; ') || '(none: a valid request)'}`,
    `answer ${res.statusCode} ${excerpt(res.body, 800)}`,
  ].join('\n');
}
