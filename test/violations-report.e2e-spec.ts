import request from 'supertest';
import { aRecord, IIN, OTHER_IIN, recordPastTheApi, startTestApp, type TestApp } from './support/test-app';

interface Item {
  recordId: string;
  code: string;
  [key: string]: unknown;
}

const IT = { id: 'it-3', role: 'admin', unit: 'it-department' };
const ACCOUNTS = { id: 'acc-1', role: 'accountant', unit: 'accounting' };
const op = (operation: string, categories: number[], occurredAt: string, more: Record<string, unknown> = {}) =>
  aRecord({ operation, categories, occurredAt, source: undefined, ...more });

describe('GET /v1/reports/violations', () => {
  let t: TestApp;
  let position: number;
  let subjects: string[];
  /** The flagged records, by the name the tests give them. */
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestApp();
    const plan: Record<string, Record<string, unknown>> = {
      collect: aRecord({ categories: [1, 28], occurredAt: '2026-01-10T08:00:00Z' }),
      destroy: op('destroy', [28], '2026-02-01T08:00:00Z'),
      destroyedAccess: op('access', [28], '2026-03-01T08:00:00Z', { actor: IT, system: 'erp' }),
      block: op('block', [1], '2026-03-05T08:00:00Z'),
      twoReasons: op('access', [1, 28], '2026-04-01T08:00:00Z'),
      // Withheld from its subject's own report until 2027-03-01.
      abroad: op('transfer', [3], '2026-04-15T08:00:00Z', { subject: { iin: OTHER_IIN }, purpose: 'P11', recipient: { name: 'Bank', country: 'UZ' }, embargoUntil: '2027-03-01' }),
      // 20:00Z is already 2 June at UTC+5: the words name the local day.
      noRegister: aRecord({ subject: { iin: OTHER_IIN }, categories: [3], occurredAt: '2025-06-01T20:00:00Z', actor: ACCOUNTS, system: 'payroll' }),
    };
    for (const [name, record] of Object.entries(plan)) ids[name] = record.recordId as string;
    const res = { body: await t.recordAll(Object.values(plan)) };
    subjects = [res.body.results[0]!.subjectId, res.body.results.at(-1)!.subjectId];
    position = res.body.results.at(-1)!.position;
  });
  afterAll(async () => {
    await t.close();
  });

  const report = (query: Record<string, string> = {}) => t.http.get('/v1/reports/violations').query({ position: String(position), ...query });
  const keys = async (query: Record<string, string> = {}) =>
    (await report(query).expect(200)).body.items.map((i: Item) => `${Object.keys(ids).find((k) => ids[k] === i.recordId)}:${i.code}`);
  const ALL = [
    'abroad:cross-border-without-ground', 'twoReasons:category-destroyed', 'twoReasons:blocked-data-processed',
    'destroyedAccess:category-destroyed', 'noRegister:no-register-in-force',
  ];

  it('lists every reason of every flagged record, newest first, naming subjects only by pseudonym', async () => {
    const res = await report().expect(200);
    expect(await keys()).toEqual(ALL);
    expect(res.body.position).toBeGreaterThanOrEqual(position);
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.items[3]).toEqual({
      position: expect.any(Number), recordId: ids.destroyedAccess, subjectId: subjects[0], occurredAt: '2026-03-01T08:00:00.000Z',
      operation: 'access', purpose: 'P01', code: 'category-destroyed', category: { number: 28, code: 'medical-results' },
      detail: 'Қол жеткізу: санат жойылған — 28 (Медициналық қорытындылардың нәтижелері туралы мәліметтер); жойылған уақыты — 2026-02-01T08:00:00.000Z',
      since: '2026-02-01T08:00:00.000Z', register: { id: 'mineco-328-O', version: 1 }, country: null, actor: IT, system: 'erp', embargoUntil: null,
    });
    expect(res.body.items[0]).toMatchObject({ subjectId: subjects[1], category: null });
    expect(JSON.stringify(res.body)).not.toContain(IIN);
    expect(JSON.stringify(res.body)).not.toContain(OTHER_IIN);
  });

  it('says of a flagged record withheld from its subject until when it is', async () => {
    const items = (await report().expect(200)).body.items as Item[];
    expect(Object.fromEntries(items.map((i) => [`${Object.keys(ids).find((k) => ids[k] === i.recordId)}:${i.code}`, i.embargoUntil]))).toEqual({
      'abroad:cross-border-without-ground': '2027-03-01', 'twoReasons:category-destroyed': null, 'twoReasons:blocked-data-processed': null,
      'destroyedAccess:category-destroyed': null, 'noRegister:no-register-in-force': null,
    });
    const docs = (await t.http.get('/docs-json').expect(200)).body;
    expect(docs.components.schemas.ViolationItemDto.properties.embargoUntil).toMatchObject({ type: 'string', format: 'date', nullable: true });
  });

  it('words each reason with its facts in the language asked for (kk by default), naming the category as the register does', async () => {
    const words = async (lang: string) => {
      const items = (await report({ lang }).expect(200)).body.items as Array<Item & { detail: string }>;
      return Object.fromEntries(items.map((i) => [`${Object.keys(ids).find((k) => ids[k] === i.recordId)}:${i.code}`, i.detail]));
    };
    const en = await words('en');
    expect(en).toEqual({
      'abroad:cross-border-without-ground': 'transfer to UZ without a consent or treaty reference, and UZ is not listed as a country of adequate protection',
      'twoReasons:category-destroyed': 'Access of category 28 (Information on the results of medical conclusions), destroyed at 2026-02-01T08:00:00.000Z',
      'twoReasons:blocked-data-processed': expect.stringMatching(/^Access of category 1 \(.+\), blocked since 2026-03-05T08:00:00.000Z$/),
      'destroyedAccess:category-destroyed': 'Access of category 28 (Information on the results of medical conclusions), destroyed at 2026-02-01T08:00:00.000Z',
      'noRegister:no-register-in-force': 'no approved list of personal data was in force on 2025-06-02, the local day of 2025-06-01T20:00:00.000Z',
    });
    const ru = await words('ru');
    expect(ru['destroyedAccess:category-destroyed']).toMatch(/^Доступ: категория 28 \(.+\) уничтожена 2026-02-01T08:00:00.000Z$/);
    expect(await words('kk')).toEqual(Object.fromEntries((await report().expect(200)).body.items.map((i: Item) =>
      [`${Object.keys(ids).find((k) => ids[k] === i.recordId)}:${i.code}`, i.detail])));
    await report({ lang: 'de' }).expect(400).expect((res) => expect(res.body.errors).toEqual([expect.objectContaining({ field: 'lang' })]));
  });

  it('counts reasons per code and flagged records per unit over the whole filter', async () => {
    const res = await report({ limit: '1' }).expect(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.counts).toEqual({
      reasons: 5, records: 4,
      byReason: { 'blocked-data-processed': 1, 'category-destroyed': 2, 'cross-border-without-ground': 1, 'no-register-in-force': 1 },
      byUnit: { accounting: 1, 'it-department': 1, 'personnel-management': 2 },
    });
    expect((await report({ code: 'category-destroyed' }).expect(200)).body.counts).toEqual({
      reasons: 2, records: 2, byReason: { 'category-destroyed': 2 }, byUnit: { 'it-department': 1, 'personnel-management': 1 },
    });
  });

  it('filters by code, unit, system, actor and period, and combinations', async () => {
    expect(await keys({ code: 'category-destroyed' })).toEqual(['twoReasons:category-destroyed', 'destroyedAccess:category-destroyed']);
    expect(await keys({ unit: 'personnel-management' })).toEqual(ALL.slice(0, 3));
    expect(await keys({ system: 'payroll' })).toEqual(['noRegister:no-register-in-force']);
    expect(await keys({ actor: 'it-3' })).toEqual(['destroyedAccess:category-destroyed']);
    expect(await keys({ from: '2026-03-01T13:00:00+05:00', to: '2026-04-01T08:00:00Z' })).toEqual(ALL.slice(1, 4));
    expect(await keys({ from: '2026-04-02T00:00:00Z' })).toEqual(ALL.slice(0, 1));
    expect(await keys({ to: '2025-12-31T23:59:59Z' })).toEqual(ALL.slice(4));
    // A period of a single instant: the record of that instant, both its reasons.
    expect(await keys({ from: '2026-04-01T08:00:00Z', to: '2026-04-01T13:00:00+05:00' })).toEqual(ALL.slice(1, 3));
    expect(await keys({ unit: 'personnel-management', code: 'blocked-data-processed' })).toEqual(['twoReasons:blocked-data-processed']);
    const none = await report({ unit: 'nobody' }).expect(200);
    expect(none.body).toMatchObject({ items: [], counts: { reasons: 0, records: 0, byReason: {}, byUnit: {} }, nextCursor: null });
  });

  it('pages with a cursor until the end, the counts the same on every page', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: request.Response = await report({ limit: '2', ...(cursor ? { cursor } : {}) }).expect(200);
      expect(res.body.counts.reasons).toBe(5);
      seen.push(...res.body.items.map((i: Item) => i.code));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(ALL.map((k) => k.split(':')[1]));
    const first = await report({ code: 'category-destroyed', limit: '1' }).expect(200);
    expect(await keys({ code: 'category-destroyed', limit: '1', cursor: first.body.nextCursor })).toEqual(['destroyedAccess:category-destroyed']);
  });

  it('includes a later flagged record when asked with its position', async () => {
    const later = op('access', [28], '2026-05-01T08:00:00Z', { actor: IT, system: 'erp' });
    const res = await t.http.post('/v1/processing-records').send(later).expect(201);
    const body = (await report({ position: String(res.body.position), from: '2026-05-01T00:00:00Z' }).expect(200)).body;
    expect(body.items.map((i: Item) => [i.recordId, i.code])).toEqual([[later.recordId, 'category-destroyed']]);
  });

  it.each([
    [{ code: 'bad-thing' }, 'code'],
    [{ unit: 'has space' }, 'unit'],
    [{ system: '' }, 'system'],
    [{ actor: '-x' }, 'actor'],
    [{ from: 'yesterday' }, 'from'],
    [{ to: '2026-13-01T00:00:00Z' }, 'to'],
    [{ from: '2026-05-01T00:00:00Z', to: '2026-04-01T00:00:00Z' }, 'to'],
    [{ limit: '0' }, 'limit'],
    [{ limit: '501' }, 'limit'],
    [{ limit: 'ten' }, 'limit'],
    [{ cursor: 'garbage' }, 'cursor'],
    [{ position: 'latest' }, 'position'],
    [{ subject: 'x' }, 'subject'],
  ])('rejects %j with 400 naming the field', async (query, field) => {
    const res = await report(query as Record<string, string>).expect(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('answers 400 at once for a position beyond the end of the log', async () => {
    const res = await report({ position: '1000000' }).expect(400);
    expect(res.body.errors).toEqual([{ field: 'position', reason: expect.stringContaining('beyond the end of the log') }]);
  });

  it('is documented in OpenAPI', async () => {
    const docs = (await t.http.get('/docs-json').expect(200)).body;
    const get = docs.paths['/v1/reports/violations'].get;
    expect(get.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['actor', 'code', 'cursor', 'from', 'lang', 'limit', 'position', 'system', 'to', 'unit']);
    expect(Object.keys(get.responses).sort()).toEqual(['200', '400', '409', '503', 'default']);
  });
});

describe('GET /v1/reports/violations of a record stored before embargoes were limited', () => {
  it("shows officials that it is withheld from its subject, as stored (until 9999-12-31)", async () => {
    const t = await startTestApp();
    try {
      await recordPastTheApi(t, { operation: 'transfer', source: undefined, recipient: { name: 'Bank', country: 'UZ' }, embargoUntil: '9999-12-31' });
      const position = String(await t.store.lastPosition());
      const res = await t.http.get('/v1/reports/violations').query({ position }).expect(200);
      expect(res.body.items).toEqual([expect.objectContaining({ code: 'cross-border-without-ground', embargoUntil: '9999-12-31' })]);
    } finally {
      await t.close();
    }
  });
});

describe('GET /v1/reports/violations without read models', () => {
  it('answers 503 projection_building while the report has no generation', async () => {
    const t = await startTestApp({ DERBES_PROJECTIONS: 'off' });
    try {
      const res = await t.http.get('/v1/reports/violations').expect(503);
      expect(res.body.code).toBe('projection_building');
    } finally {
      await t.close();
    }
  });
});
