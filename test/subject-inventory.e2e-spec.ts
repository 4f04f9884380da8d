import { ORDER_328_O } from '@derbes/register';
import { aRecord, IIN, OTHER_IIN, READER, startTestApp, type TestApp } from './support/test-app';

interface Category {
  number: number;
  code: string;
  name: string;
  known: boolean;
  held: boolean | null;
  [key: string]: unknown;
}

const op = (operation: string, categories: unknown[], occurredAt: string, more: Record<string, unknown> = {}) =>
  aRecord({ operation, categories, occurredAt, source: undefined, ...more });

describe('GET /v1/subjects/{subjectId}/inventory', () => {
  let t: TestApp;
  let subjectId: string;
  let position: number;
  beforeAll(async () => {
    t = await startTestApp();
    const res = await t.http.post('/v1/processing-records/batch').send({
      records: [
        aRecord({ categories: [1, 2, 28], occurredAt: '2026-01-10T08:00:00Z' }),
        aRecord({ categories: [1], source: { kind: 'state-database', name: 'Individuals' }, occurredAt: '2026-01-11T08:00:00Z' }),
        aRecord({ categories: [1], occurredAt: '2026-01-12T08:00:00Z' }), // the same source again
        op('change', ['iin'], '2026-02-10T08:00:00Z'),
        op('transfer', [1, 30], '2026-03-10T08:00:00Z', { purpose: 'P11', recipient: { name: 'Pension fund', country: 'KZ' } }),
        op('block', [2], '2026-04-01T08:00:00Z'),
        op('unblock', [2], '2026-04-05T08:00:00Z'),
        op('block', [28], '2026-05-01T08:00:00Z'),
        op('destroy', [1], '2026-06-01T08:00:00Z'),
        op('depersonalize', [30], '2026-06-02T08:00:00Z'),
        aRecord({ subject: { iin: OTHER_IIN }, categories: [3] }),
      ],
    }).expect(201);
    subjectId = res.body.results[0].subjectId;
    position = res.body.results.at(-1).position;
  });
  afterAll(async () => {
    await t.close();
  });

  const inventory = (query: Record<string, string> = {}, id = subjectId) =>
    t.http.get(`/v1/subjects/${id}/inventory`).set(READER).query({ position: String(position), ...query });
  const byNumber = (categories: Category[], n: number) => categories.find((c) => c.number === n) as Category;

  it("lists the register's 30 categories, those never processed as not known", async () => {
    const res = await inventory().expect(200);
    expect(res.body).toMatchObject({ subjectId, lang: 'kk', position: expect.any(Number) });
    expect(res.body.position).toBeGreaterThanOrEqual(position);
    const categories: Category[] = res.body.categories;
    expect(categories.map((c) => c.number)).toEqual(ORDER_328_O.categories.map((c) => c.number));
    expect(categories.filter((c) => c.known).map((c) => c.number)).toEqual([1, 2, 28, 30]);
    expect(byNumber(categories, 3)).toEqual({
      number: 3, code: ORDER_328_O.categories[2]!.slug, name: ORDER_328_O.categories[2]!.names.kk, known: false, held: false,
      sources: [], firstProcessedAt: null, lastProcessedAt: null, lastChangedAt: null, recipients: [], blockedAt: null,
      destroyedAt: null, depersonalizedAt: null,
    });
    expect(JSON.stringify(res.body)).not.toContain(IIN);
  });

  it('shows sources, processing times, changes, recipients and the blocked, destroyed and depersonalized marks', async () => {
    const categories: Category[] = (await inventory().expect(200)).body.categories;
    expect(byNumber(categories, 1)).toMatchObject({
      code: 'full-name', known: true, held: false,
      sources: [{ kind: 'subject' }, { kind: 'state-database', name: 'Individuals' }],
      firstProcessedAt: '2026-01-10T08:00:00.000Z', lastProcessedAt: '2026-06-01T08:00:00.000Z', lastChangedAt: null,
      recipients: [{ name: 'Pension fund', country: 'KZ' }], blockedAt: null, destroyedAt: '2026-06-01T08:00:00.000Z', depersonalizedAt: null,
    });
    expect(byNumber(categories, 2)).toMatchObject({ held: true, lastChangedAt: '2026-02-10T08:00:00.000Z', blockedAt: null, lastProcessedAt: '2026-04-05T08:00:00.000Z' });
    expect(byNumber(categories, 28)).toMatchObject({ held: true, blockedAt: '2026-05-01T08:00:00.000Z', sources: [{ kind: 'subject' }] });
    expect(byNumber(categories, 30)).toMatchObject({
      held: false, sources: [], recipients: [{ name: 'Pension fund', country: 'KZ' }], firstProcessedAt: '2026-03-10T08:00:00.000Z',
      depersonalizedAt: '2026-06-02T08:00:00.000Z',
    });
  });

  it.each(['kk', 'ru', 'en'] as const)('names the categories in %s', async (lang) => {
    const res = await inventory({ lang }).expect(200);
    expect(res.body.lang).toBe(lang);
    expect(res.body.categories.map((c: Category) => c.name)).toEqual(ORDER_328_O.categories.map((c) => c.names[lang]));
  });

  it('reads a later write back with its position', async () => {
    const later = op('access', [5], '2026-07-01T08:00:00Z', { subject: { iin: OTHER_IIN } });
    const res = await t.http.post('/v1/processing-records').send(later).expect(201);
    const body = (await inventory({ position: String(res.body.position) }, res.body.subjectId).expect(200)).body;
    expect(body.categories.filter((c: Category) => c.known).map((c: Category) => c.number)).toEqual([3, 5]);
    expect(byNumber(body.categories, 5)).toMatchObject({ held: true, firstProcessedAt: '2026-07-01T08:00:00.000Z', sources: [] });
  });

  it('answers 404 for a subject the ledger knows nothing about', async () => {
    const unknown = (await t.http.post('/v1/subjects/lookup').send({ iin: '000229600014' }).expect(200)).body.subjectId;
    expect((await inventory({}, unknown).expect(404)).body).toMatchObject({ statusCode: 404, code: 'subject_not_found' });
  });

  it('lists every category as not known for a subject known only by a request of theirs, and records the read', async () => {
    const received = await t.http.post('/v1/subject-requests')
      .send({ subject: { iin: '850315310016' }, kind: 'information', channel: 'in-person', receivedAt: '2026-11-24T10:00:00+05:00' }).expect(201);
    const id: string = received.body.subjectId;
    const res = await inventory({ position: String(received.body.position) }, id).expect(200);
    expect(res.body).toMatchObject({ subjectId: id, position: expect.any(Number) });
    expect(res.body.categories.map((c: Category) => c.number)).toEqual(ORDER_328_O.categories.map((c) => c.number));
    expect(res.body.categories.filter((c: Category) => c.known || c.held)).toEqual([]);
    const stream = await t.store.readStream(`subject-${id}`);
    expect(stream.map((e) => e.type)).toEqual(['SubjectRequestReceived', 'SubjectFileRead']);
    expect(stream[1]!.data).toMatchObject({ view: 'GET /v1/subjects/{subjectId}/inventory', categories: [], purpose: { code: 'OVERSIGHT' } });
    // Its reads leave the inventory as it was: still answered, and recorded again.
    await inventory({ position: String(stream[1]!.position) }, id).expect(200);
    expect((await t.store.readStream(`subject-${id}`)).map((e) => e.type)).toEqual(['SubjectRequestReceived', 'SubjectFileRead', 'SubjectFileRead']);
  });

  it("shows held as not known, here and in the access report, for a category only a blocking the subject asked for names", async () => {
    // Category 24 was never collected or processed for them: the ledger's own record of the blocking is all there is.
    const received = await t.http.post('/v1/subject-requests')
      .send({ subject: { iin: '880315300103' }, kind: 'blocking', channel: 'in-person', receivedAt: '2026-11-24T10:00:00+05:00', categories: [24] }).expect(201);
    const answered = await t.http.post(`/v1/subject-requests/${received.body.requestId}/answer`).send({}).expect(200);
    const id: string = received.body.subjectId;
    const military = byNumber((await inventory({ position: String(answered.body.position) }, id).expect(200)).body.categories, 24);
    expect(military).toMatchObject({ known: true, held: null, sources: [], blockedAt: expect.any(String) });
    const report = (await t.http.get(`/v1/subjects/${id}/access-report`).set(READER).query({ lang: 'en' }).expect(200)).body;
    expect(report.categories).toEqual([expect.objectContaining({ category: expect.objectContaining({ number: 24 }), held: null, sources: [] })]);
    const html = (await t.http.get(`/v1/subjects/${id}/access-report`).set(READER).query({ lang: 'en', format: 'html' }).expect(200)).text;
    expect(html).toContain('<tr><th scope="row">Held now</th><td>Not known</td></tr>');
  });

  it.each([
    [{}, 'not-a-subject', 'subjectId'],
    [{ lang: 'de' }, undefined, 'lang'],
    [{ position: '-1' }, undefined, 'position'],
    [{ position: 'last' }, undefined, 'position'],
    [{ colour: 'red' }, undefined, 'colour'],
  ])('rejects %j with 400 naming the field', async (query, id, field) => {
    const res = await inventory(query as Record<string, string>, id ?? subjectId).expect(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('answers 400 at once for a position beyond the end of the log', async () => {
    const res = await inventory({ position: '1000000' }).expect(400);
    expect(res.body.errors).toEqual([{ field: 'position', reason: expect.stringContaining('beyond the end of the log') }]);
  });

  it('is documented in OpenAPI', async () => {
    const docs = (await t.http.get('/docs-json').expect(200)).body;
    const get = docs.paths['/v1/subjects/{subjectId}/inventory'].get;
    expect(get.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['lang', 'position', 'subjectId', 'x-purpose']);
    expect(Object.keys(get.responses).sort()).toEqual(['200', '400', '404', '409', '503', 'default']);
    expect(Object.keys(docs.components.schemas.InventoryCategoryDto.properties)).toContain('held');
  });
});

describe('GET /v1/subjects/{subjectId}/inventory without read models', () => {
  it('answers 503 projection_building with Retry-After while the inventory has no generation', async () => {
    const t = await startTestApp({ DERBES_PROJECTIONS: 'off' });
    try {
      const written = await t.http.post('/v1/processing-records').send(aRecord()).expect(201);
      const res = await t.http.get(`/v1/subjects/${written.body.subjectId}/inventory`).set(READER).expect(503);
      expect(res.body.code).toBe('projection_building');
      expect(res.headers['retry-after']).toBe('1');
    } finally {
      await t.close();
    }
  });
});
