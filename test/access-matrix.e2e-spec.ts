import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createKey, listKeys, revokeKey } from '../apps/cli/src/keys.command';
import { loadConfig } from '../apps/ledger/src/config/ledger-config';
import { aRecord, IIN, READER, startTestApp, TEST_KEY_HEX, type TestApp } from './support/test-app';

type Principal = 'emitter' | 'official' | 'auditor' | 'auditorWithGrant' | 'admin';
const PRINCIPALS: readonly Principal[] = ['emitter', 'official', 'auditor', 'auditorWithGrant', 'admin'];
const ALL: readonly Principal[] = PRINCIPALS;
const PERSONAL: readonly Principal[] = ['official', 'auditorWithGrant'];
const REPORTS: readonly Principal[] = ['official', 'auditor', 'auditorWithGrant'];

/**
 * Every route of the API and who may call it. A route the OpenAPI document lists without an entry here fails the
 * test, so a new endpoint cannot ship without deciding who may use it.
 */
/** Signed tree heads and proofs hold no personal data: everyone but the emitters. */
const INTEGRITY: readonly Principal[] = ['official', 'auditor', 'auditorWithGrant', 'admin'];

const MATRIX: Record<string, readonly Principal[] | 'public' | 'subject-link'> = {
  'GET /health': 'public',
  'GET /metrics': ['official', 'auditor', 'auditorWithGrant', 'admin'],
  'POST /v1/processing-records': ['emitter'],
  'POST /v1/processing-records/batch': ['emitter'],
  'POST /v1/systems/{system}/heartbeats': ['emitter'],
  'POST /v1/subjects/lookup': PERSONAL,
  'GET /v1/subjects/{subjectId}/events': PERSONAL,
  'GET /v1/subjects/{subjectId}/history': PERSONAL,
  'GET /v1/subjects/{subjectId}/inventory': PERSONAL,
  'GET /v1/subjects/{subjectId}/access-report': PERSONAL,
  'POST /v1/subjects/{subjectId}/access-links': ['official'],
  'POST /v1/subjects/{subjectId}/shred': ['official'],
  'GET /v1/access-report/{token}': 'subject-link',
  'GET /v1/reports/violations': REPORTS,
  'GET /v1/reports/summary': REPORTS,
  'GET /v1/reports/transfers': REPORTS,
  'GET /v1/reports/actor-activity': REPORTS,
  'GET /v1/reports/source-systems': REPORTS,
  'POST /v1/subject-requests': ['official'],
  'GET /v1/subject-requests': REPORTS,
  'POST /v1/subject-requests/{requestId}/answer': ['official'],
  'POST /v1/subject-requests/{requestId}/refuse': ['official'],
  'GET /v1/register': ALL,
  'GET /v1/register/current': ALL,
  'GET /v1/admin/keys': ['admin'],
  'POST /v1/admin/keys': ['admin'],
  'POST /v1/admin/keys/{keyId}/revoke': ['admin'],
  'GET /v1/integrity/keys': 'public',
  'GET /v1/integrity/tree-heads/latest': INTEGRITY,
  'POST /v1/integrity/tree-heads': INTEGRITY,
  'GET /v1/integrity/tree-heads/{size}': INTEGRITY,
  'GET /v1/integrity/inclusion': INTEGRITY,
  'GET /v1/integrity/consistency': INTEGRITY,
};

const tokenOf = (t: TestApp, p: Principal) => t.tokens[p === 'emitter' ? 'emitter:hr-portal' : p] as string;

describe('who may do what', () => {
  let t: TestApp;
  let subjectId: string;
  let otherSubjectId: string;
  beforeAll(async () => {
    t = await startTestApp();
    const written = await t.http.post('/v1/processing-records').send(aRecord()).expect(201);
    subjectId = written.body.subjectId;
    const other = await t.http.post('/v1/processing-records').send(aRecord({ subject: { iin: '061211600012' } })).expect(201);
    otherSubjectId = other.body.subjectId;
  });
  afterAll(async () => {
    await t.close();
  });

  const path = (route: string) => route.split(' ')[1]!
    .replace('{subjectId}', subjectId).replace('{requestId}', '00000000-0000-4000-8000-000000000000')
    .replace('{keyId}', 'ffffffffffff').replace('{size}', '1').replace('{token}', 'not-a-link');
  const send = (route: string, token?: string) => {
    const [method, ] = route.split(' ');
    const test = request(t.server)[method!.toLowerCase() as 'get' | 'post'](path(route)).set(READER);
    if (token) void test.set('authorization', `Bearer ${token}`);
    return method === 'POST' ? test.send({}) : test;
  };

  it('has an entry for every route of the API, and no entry for a route that does not exist', async () => {
    const docs = await t.http.get('/docs-json').expect(200);
    const routes = Object.entries(docs.body.paths as Record<string, Record<string, unknown>>)
      .flatMap(([p, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${p}`)).sort();
    expect(routes).toEqual(Object.keys(MATRIX).sort());
  });

  it.each(Object.entries(MATRIX))('%s: answers each principal as the matrix says', async (route, allowed) => {
    const outcomes: Record<string, number> = {};
    outcomes.none = (await send(route)).status;
    outcomes.garbage = (await send(route, 'dk_000000000000_' + 'x'.repeat(43))).status;
    for (const p of PRINCIPALS) outcomes[p] = (await send(route, tokenOf(t, p))).status;
    const expected: Record<string, string> = {};
    const got: Record<string, string> = {};
    const kind = (status: number) => (status === 401 ? '401' : status === 403 ? '403' : status >= 500 ? '5xx' : 'through');
    for (const [who, status] of Object.entries(outcomes)) {
      got[who] = kind(status);
      if (allowed === 'public') expected[who] = 'through';
      else if (allowed === 'subject-link' || who === 'none' || who === 'garbage') expected[who] = '401';
      else expected[who] = allowed.includes(who as Principal) ? 'through' : '403';
    }
    expect(got).toEqual(expected);
  });

  it('answers 401 with the error shape and a WWW-Authenticate header, and 403 naming the role', async () => {
    const none = await t.http.get('/v1/reports/violations').unset('authorization').expect(401);
    expect(none.headers['www-authenticate']).toContain('Bearer');
    expect(none.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', code: 'unauthenticated', errors: [], correlationId: expect.any(String) });
    const denied = await t.as('emitter:hr-portal').get('/v1/reports/violations').expect(403);
    expect(denied.body).toMatchObject({ error: 'Forbidden', code: 'forbidden', message: expect.stringContaining('role emitter') });
  });

  it('lets an emitter record only as its own system, refusing a whole batch that strays', async () => {
    const before = await t.written();
    const wrong = await t.as('emitter:payroll').post('/v1/processing-records').send(aRecord({ system: 'hr-portal' })).expect(403);
    expect(wrong.body.errors).toEqual([{ field: 'system', reason: 'this key records only as system payroll' }]);
    const batch = await t.as('emitter:payroll').post('/v1/processing-records/batch')
      .send({ records: [aRecord({ system: 'payroll' }), aRecord({ system: 'erp' })] }).expect(403);
    expect(batch.body.errors).toEqual([{ field: 'records[1].system', reason: 'this key records only as system payroll', index: 1 }]);
    expect(await t.written()).toBe(before);
    await t.as('emitter:payroll').post('/v1/processing-records').send(aRecord({ system: 'payroll' })).expect(201);
  });

  it('records a read with the key holder as the reader', async () => {
    await t.as('auditorWithGrant').get(`/v1/subjects/${subjectId}/inventory`).set(READER).expect(200);
    const last = (await t.store.readStream(`subject-${subjectId}`)).at(-1);
    expect(last?.data).toMatchObject({ actor: { id: 'auditor-2', role: 'auditor', unit: 'internal-audit' }, purpose: { code: 'OVERSIGHT' } });
  });

  it("opens the subject's own report with their link, and nothing else with it", async () => {
    const nobody = await t.http.post(`/v1/subjects/${'f'.repeat(64)}/access-links`).send({ hours: 24 }).expect(404);
    expect(nobody.body.code).toBe('subject_not_found');
    const issued = await t.http.post(`/v1/subjects/${subjectId}/access-links`).send({ hours: 24 }).expect(201);
    expect(issued.body.path).toBe(`/v1/access-report/${issued.body.token}`);
    expect(issued.body.token).toHaveLength(81);
    const page = await request(t.server).get(issued.body.path).query({ lang: 'en' }).expect(200);
    expect(page.headers).toMatchObject({ 'content-type': expect.stringContaining('text/html'), 'x-frame-options': 'DENY', 'content-security-policy': expect.stringContaining("default-src 'none'") });
    const report = await request(t.server).get(issued.body.path).query({ format: 'json', lang: 'en' }).expect(200);
    expect(report.body.subject).toEqual({ subjectId, maskedIin: '7**********8' });
    expect(JSON.stringify(report.body)).not.toContain(IIN);
    const read = (await t.store.readStream(`subject-${subjectId}`)).at(-1);
    expect(read?.data).toMatchObject({ actor: { id: 'data-subject' }, purpose: { code: 'SUBJECT-RIGHTS' } });
    // The link is no API key: it opens no other route, for this subject or another.
    for (const p of [`/v1/subjects/${subjectId}/access-report`, `/v1/subjects/${otherSubjectId}/history`, '/v1/reports/violations']) {
      await request(t.server).get(p).set(READER).set('authorization', `Bearer ${issued.body.token}`).expect(401);
    }
    // Pointing it at another subject breaks its signature.
    const [payload, signature] = issued.body.token.split('.');
    const bytes = Buffer.from(payload, 'base64url');
    Buffer.from(otherSubjectId, 'hex').copy(bytes, 1);
    const forged = bytes.toString('base64url');
    await request(t.server).get(`/v1/access-report/${forged}.${signature}`).expect(401);
    // An expired link opens nothing.
    t.clock.at = new Date(t.clock.at.getTime() + 25 * 3600_000);
    const expired = await request(t.server).get(issued.body.path).expect(401);
    expect(expired.body.message).toContain('expired');
    t.clock.at = new Date('2026-11-25T12:00:00Z');
  });

  it("refuses a live key's id with a wrong secret, and its token with anything after it (401)", async () => {
    const token = tokenOf(t, 'official');
    const keyId = /^dk_([0-9a-f]{12})_/.exec(token)?.[1] as string;
    const wrongSecret = await request(t.server).get('/v1/reports/violations').set('authorization', `Bearer dk_${keyId}_${'A'.repeat(43)}`).expect(401);
    expect(wrongSecret.body).toMatchObject({ code: 'unauthenticated', message: 'unknown or revoked API key' });
    await request(t.server).get('/v1/reports/violations').set('authorization', `Bearer ${token}0`).expect(401);
    await request(t.server).get('/v1/reports/violations').set('authorization', `Bearer ${token}`).expect(200);
  });

  it('takes the Bearer scheme in any case', async () => {
    await request(t.server).get('/v1/reports/violations').set('authorization', `bearer ${tokenOf(t, 'official')}`).expect(200);
    await request(t.server).get('/v1/reports/violations').set('authorization', `BEARER ${tokenOf(t, 'official')}`).expect(200);
  });

  it('creates and revokes keys over HTTP (admin), recording both in the administrative stream', async () => {
    const created = await t.as('admin').post('/v1/admin/keys').send({ name: 'hr-2', role: 'official', unit: 'personnel-management' }).expect(201);
    expect(created.body.token).toMatch(/^dk_[0-9a-f]{12}_/);
    expect(JSON.stringify(await t.as('admin').get('/v1/admin/keys').expect(200).then((r) => r.body))).not.toContain(created.body.token.slice(16));
    await request(t.server).get('/v1/reports/violations').set('authorization', `Bearer ${created.body.token}`).expect(200);
    await t.as('admin').post(`/v1/admin/keys/${created.body.key.keyId}/revoke`).send({ reason: 'left' }).expect(200);
    await request(t.server).get('/v1/reports/violations').set('authorization', `Bearer ${created.body.token}`).expect(401);
    const again = await t.as('admin').post(`/v1/admin/keys/${created.body.key.keyId}/revoke`).send({ reason: 'left' }).expect(404);
    expect(again.body).toMatchObject({ code: 'key_not_found', message: expect.stringContaining('revoked already') });
    const stream = await t.store.readStream('admin-api-keys');
    expect(stream.slice(-2).map((e) => e.type)).toEqual(['ApiKeyCreated', 'ApiKeyRevoked']);
    expect(JSON.stringify(stream)).not.toContain(created.body.token.slice(16));
    await t.as('admin').post('/v1/admin/keys').send({ name: 'x', role: 'emitter' }).expect(400)
      .expect((r) => expect(r.body.errors).toEqual([expect.objectContaining({ field: 'system' })]));
  });
});

describe('what a key records of its holder', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it.each([
    ['name', { name: '850315310016', role: 'official' }],
    ['unit', { name: 'hr-3', role: 'official', unit: 'staff-850315-310016' }],
    // Split by any other character codes allow.
    ['name', { name: 'hr_850315_310016', role: 'official' }],
    ['unit', { name: 'hr-3', role: 'official', unit: 'staff:850315:310016' }],
    ['system', { name: 'hr-5', role: 'emitter', system: 'x_850315_310016' }],
  ])('refuses an IIN in the %s of a new key, and records nothing', async (field, body) => {
    const before = (await t.store.readStream('admin-api-keys')).length;
    await t.as('admin').post('/v1/admin/keys').send(body).expect(400)
      .expect((r) => expect(r.body.errors).toEqual([{ field, reason: expect.stringContaining('must not contain an IIN') }]));
    expect(await t.store.readStream('admin-api-keys')).toHaveLength(before);
  });

  it.each([
    // Refused as numbers of other digits before the IIN in them is looked for: the key is refused all the same.
    ['name', { name: '８５０３１５３１００１６', role: 'official' }, 'must write numbers with the digits 0-9 only'],
    ['name', { name: 'hг-director', role: 'official' }, 'must not mix scripts in one word: "hг" has Latin and Cyrillic letters'],
    ['name', { name: 'һr-director', role: 'official' }, 'must not mix scripts in one word: "һr" has Cyrillic and Latin letters'],
    ['name', { name: 'caf\u0065\u0301', role: 'official' }, 'must be in Unicode NFC form'],
    ['unit', { name: 'hr-6', role: 'official', unit: 'personnel-management-rοle' }, '"rοle" has Latin and Greek letters'],
  ])('refuses a %s that looks like another code, and records nothing', async (field, body, reason) => {
    const before = (await t.store.readStream('admin-api-keys')).length;
    await t.as('admin').post('/v1/admin/keys').send(body).expect(400)
      .expect((r) => expect(r.body.errors).toEqual(expect.arrayContaining([{ field, reason: expect.stringContaining(reason) }])));
    expect(await t.store.readStream('admin-api-keys')).toHaveLength(before);
  });

  it('takes a key name and unit in one script per word', async () => {
    const created = await t.as('admin').post('/v1/admin/keys').send({ name: 'Айгерим.К@hr', role: 'official', unit: 'кадр-бөлімі' }).expect(201);
    expect(created.body.key).toMatchObject({ name: 'Айгерим.К@hr', unit: 'кадр-бөлімі' });
  });

  it.each(['data-subject', 'derbes', 'Data-Subject'])('refuses %s, a name the ledger records for itself, and records nothing', async (name) => {
    const before = (await t.store.readStream('admin-api-keys')).length;
    await t.as('admin').post('/v1/admin/keys').send({ name, role: 'official', unit: 'personnel-management' }).expect(400)
      .expect((r) => expect(r.body.errors).toEqual([{ field: 'name', reason: expect.stringContaining('a name the ledger records for itself') }]));
    expect(await t.store.readStream('admin-api-keys')).toHaveLength(before);
  });

  it.each(['self', 'derbes', 'Self'])('refuses the unit %s, which the ledger records for the data subject or itself, and records nothing', async (unit) => {
    const before = (await t.store.readStream('admin-api-keys')).length;
    await t.as('admin').post('/v1/admin/keys').send({ name: 'hr-9', role: 'official', unit }).expect(400)
      .expect((r) => expect(r.body.errors).toEqual([{ field: 'unit', reason: expect.stringContaining('a unit the ledger records for itself') }]));
    expect(await t.store.readStream('admin-api-keys')).toHaveLength(before);
  });

  it.each(['derbes'])("refuses an emitter bound to %s, the ledger's own system code, and records nothing", async (system) => {
    const before = (await t.store.readStream('admin-api-keys')).length;
    await t.as('admin').post('/v1/admin/keys').send({ name: 'payroll-bot', role: 'emitter', system }).expect(400)
      .expect((r) => expect(r.body.errors).toEqual([{ field: 'system', reason: expect.stringContaining("the ledger's own system code") }]));
    expect(await t.store.readStream('admin-api-keys')).toHaveLength(before);
  });

  it('refuses an IIN, a control character or nothing but spaces in the reason of a revocation, and leaves the key live', async () => {
    const created = await t.as('admin').post('/v1/admin/keys').send({ name: 'hr-4', role: 'official' }).expect(201);
    const revoke = (reason: string) => t.as('admin').post(`/v1/admin/keys/${created.body.key.keyId}/revoke`).send({ reason });
    await revoke('was employee 850315310016').expect(400)
      .expect((r) => expect(r.body.errors).toEqual([{ field: 'reason', reason: expect.stringContaining('must not contain an IIN') }]));
    await t.as('admin').post(`/v1/admin/keys/${'x'.repeat(50)}/revoke`).send({ reason: 'left' }).expect(400)
      .expect((r) => expect(r.body.errors).toEqual([{ field: 'keyId', reason: expect.stringContaining('12 lowercase hex') }]));
    for (const blank of ['   ', '\u00a0', '\u200b\u3000', '\u3164', '\u2800\u00ad']) {
      await revoke(blank).expect(400)
        .expect((r) => expect(r.body.errors).toEqual([{ field: 'reason', reason: 'must say why, not be blank: it is recorded in the log' }]));
    }
    await revoke('left \u001b[31m').expect(400)
      .expect((r) => expect(r.body.errors).toEqual([expect.objectContaining({ field: 'reason', reason: expect.stringContaining('control characters') })]));
    await request(t.server).get('/v1/reports/violations').set('authorization', `Bearer ${created.body.token}`).expect(200);
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After once a key has spent its burst, and other keys go on', async () => {
    const t = await startTestApp({ DERBES_RATE_LIMIT: '2' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await t.as('auditor').get('/v1/register')).status);
      expect(statuses.slice(0, 4)).toEqual([200, 200, 200, 200]);
      const limited = await t.as('auditor').get('/v1/register').expect(429);
      expect(limited.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests', code: 'rate_limited' });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      await t.as('official').get('/v1/register').expect(200);
    } finally {
      await t.close();
    }
  });
});

describe('derbes keys', () => {
  it('creates, lists and revokes keys beside a running server, which honours a revocation within a second', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-keys-'));
    const env = { DERBES_DATA_DIR: dir, DERBES_EVENT_STORE: join(dir, 'events.db') };
    const config = loadConfig({ ...env, DERBES_PSEUDONYM_KEY: TEST_KEY_HEX, DERBES_LOG_LEVEL: 'error' });
    const t = await startTestApp(env);
    try {
      const lines = await createKey(config, { role: 'auditor', name: 'outside-auditor', unit: 'audit', grants: [] });
      const token = lines.at(-1) as string;
      expect(token).toMatch(/^dk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
      await new Promise((r) => setTimeout(r, 1100));
      await request(t.server).get('/v1/reports/violations').set('authorization', `Bearer ${token}`).expect(200);
      const keyId = token.slice(3, 15);
      expect((await listKeys(config)).find((l) => l.startsWith(keyId))).toContain('auditor  outside-auditor (audit)');
      await revokeKey(config, keyId, 'contract ended');
      await new Promise((r) => setTimeout(r, 1100));
      await request(t.server).get('/v1/reports/violations').set('authorization', `Bearer ${token}`).expect(401);
      expect((await listKeys(config)).find((l) => l.startsWith(keyId))).toContain('REVOKED');
      await expect(createKey(config, { role: 'emitter', name: 'x', grants: [] })).rejects.toThrow('--system');
      await expect(createKey(config, { role: 'root', name: 'x', grants: [] })).rejects.toThrow('--role');
      await expect(revokeKey(config, keyId, 'again')).rejects.toThrow('no live key');
    } finally {
      await t.close();
    }
  });
});
