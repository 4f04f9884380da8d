import request from 'supertest';
import { ORDER_328_O } from '@derbes/register';
import { aRecord, IIN, OTHER_IIN, READER, startTestApp, type TestApp } from './support/test-app';

const transfer = (recipient: { name: string; country: string; kind?: string }, occurredAt: string, more: Record<string, unknown> = {}) =>
  aRecord({ operation: 'transfer', source: undefined, categories: [1, 30], purpose: 'P11', recipient, occurredAt, ...more });

describe('GET /v1/reports/transfers', () => {
  let t: TestApp;
  let positions: number[];
  let subjects: string[];
  let last: number;
  beforeAll(async () => {
    t = await startTestApp();
    const records = [
      transfer({ name: 'Pension fund', country: 'KZ' }, '2026-02-01T08:00:00Z'),
      transfer({ name: 'Tax committee', country: 'KZ' }, '2026-03-01T08:00:00Z', { subject: { iin: OTHER_IIN } }),
      transfer({ name: 'Lab GmbH', country: 'DE' }, '2026-04-01T08:00:00Z', { categories: [28], purpose: 'P07' }),
      transfer({ name: 'Lab GmbH', country: 'DE' }, '2026-05-01T08:00:00Z', { transferGround: { kind: 'consent', reference: 'consent 2026-118' }, embargoUntil: '2026-12-15' }),
      transfer({ name: 'Pension fund', country: 'KZ' }, '2025-06-01T08:00:00Z'), // before the period
      aRecord({ occurredAt: '2026-04-15T08:00:00Z' }), // not a transfer
    ];
    const res = await t.http.post('/v1/processing-records/batch').send({ records }).expect(201);
    positions = res.body.results.map((r: { position: number }) => r.position);
    subjects = res.body.results.map((r: { subjectId: string }) => r.subjectId);
    last = positions[positions.length - 1]!;
  });
  afterAll(async () => {
    await t.close();
  });

  const transfers = (query: Record<string, string> = {}) =>
    t.http.get('/v1/reports/transfers').query({ from: '2026-01-01', to: '2026-12-31', position: String(last), ...query });
  const positionsOf = async (query: Record<string, string>) =>
    (await transfers(query).expect(200)).body.items.map((i: { position: number }) => i.position);

  it('lists the transfers of the period newest first, with totals, names and violations', async () => {
    const res = await transfers({ lang: 'en' }).expect(200);
    const [p1, p2, p3, p4] = positions;
    expect(res.body.items.map((i: { position: number }) => i.position)).toEqual([p4, p3, p2, p1]);
    expect(res.body).toMatchObject({
      from: '2025-12-31T19:00:00.000Z', to: '2026-12-31T18:59:59.999Z', nextCursor: null,
      totals: { transfers: 4, crossBorder: 2, byCountry: { DE: 2, KZ: 2 }, byRecipient: { 'Lab GmbH': 2, 'Pension fund': 1, 'Tax committee': 1 }, recipientsTruncated: false },
    });
    expect(res.body.position).toBeGreaterThanOrEqual(last);
    const lab = res.body.items[1];
    expect(lab).toEqual({
      position: p3, eventId: expect.any(String), subjectId: subjects[2], occurredAt: '2026-04-01T08:00:00.000Z',
      recipient: { name: 'Lab GmbH', country: 'DE', kind: 'organization' }, crossBorder: true, transferGround: null,
      categories: [{ number: 28, name: ORDER_328_O.categories.find((c) => c.number === 28)!.names.en }],
      purpose: { code: 'P07', name: ORDER_328_O.purposes.find((p) => p.code === 'P07')!.names.en },
      actor: { id: 'hr-17', role: 'hr-specialist', unit: 'personnel-management' }, system: 'hr-portal',
      violations: ['cross-border-without-ground'], embargoUntil: null,
    });
    // Withheld from the subject's own report until then: officials see that, and until when.
    expect(res.body.items[0].embargoUntil).toBe('2026-12-15');
    // The ground's reference names the person: never shown here (see "texts that name a person" below).
    expect(res.body.items[0]).toMatchObject({ transferGround: { kind: 'consent', reference: null }, sealed: { fields: ['transferGround.reference'] } });
    expect(res.text).not.toContain('consent 2026-118');
    expect(res.body.items[0].violations).toEqual([]);
    const kk = await transfers({ lang: 'kk' }).expect(200);
    expect(kk.body.items[3].categories[0].name).toBe(ORDER_328_O.categories[0]!.names.kk);
  });

  it('filters by border, country, recipient and period', async () => {
    const [p1, p2, p3, p4] = positions;
    expect(await positionsOf({ crossBorder: 'true' })).toEqual([p4, p3]);
    expect(await positionsOf({ crossBorder: 'false' })).toEqual([p2, p1]);
    expect(await positionsOf({ country: 'de' })).toEqual([p4, p3]);
    expect(await positionsOf({ country: 'FR' })).toEqual([]);
    expect(await positionsOf({ recipient: 'Pension fund' })).toEqual([p1]);
    expect(await positionsOf({ from: '2025-01-01', to: '2026-02-28', recipient: 'Pension fund' })).toEqual([p1, positions[4]]);
    expect(await positionsOf({ from: '2026-03-01T08:00:00Z', to: '2026-04-01T08:00:00Z' })).toEqual([p3, p2]);
    const filtered = await transfers({ crossBorder: 'false', country: 'KZ' }).expect(200);
    expect(filtered.body.totals).toEqual({ transfers: 2, crossBorder: 0, byCountry: { KZ: 2 }, byRecipient: { 'Pension fund': 1, 'Tax committee': 1 }, toPersons: 0, recipientsTruncated: false });
  });

  it('pages with a cursor, totals unchanged from page to page', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await transfers({ limit: '3', ...(cursor ? { cursor } : {}) }).expect(200);
      expect(res.body.totals.transfers).toBe(4);
      seen.push(...res.body.items.map((i: { position: number }) => i.position));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(positions.slice(0, 4).reverse());
  });

  it('never shows a raw IIN', async () => {
    const res = await transfers().expect(200);
    expect(res.text).not.toContain(IIN);
    expect(res.text).not.toContain(OTHER_IIN);
  });

  it.each([
    [{ from: '' }, 'from'],
    [{ to: '' }, 'to'],
    [{ from: '2026-05-01', to: '2026-04-30' }, 'to'],
    [{ from: '2024-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' }, 'to'],
    [{ crossBorder: 'yes' }, 'crossBorder'],
    [{ country: 'KAZ' }, 'country'],
    [{ limit: '0' }, 'limit'],
    [{ limit: '501' }, 'limit'],
    [{ cursor: 'garbage' }, 'cursor'],
    [{ lang: 'fr' }, 'lang'],
    [{ position: 'last' }, 'position'],
    [{ colour: 'red' }, 'colour'],
  ])('rejects %j with 400 naming the field', async (query, field) => {
    const res = await transfers(query as Record<string, string>).expect(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('answers 400 at once for a position beyond the end of the log', async () => {
    const res = await transfers({ position: String(last + 1000) }).expect(400);
    expect(res.body.errors).toEqual([{ field: 'position', reason: expect.stringContaining('beyond the end of the log') }]);
  });
});

describe('GET /v1/reports/transfers: texts that name a person', () => {
  const PERSON = 'Aigerim Bekova';
  const REFERENCE = 'notarised consent 77-AB-1234';
  const TREATY = 'treaty file of Marat Seitkali';
  let t: TestApp;
  let person: string;
  let last: number;
  beforeAll(async () => {
    t = await startTestApp();
    const res = await t.http.post('/v1/processing-records/batch').send({ records: [
      transfer({ name: PERSON, country: 'DE', kind: 'person' }, '2026-05-01T08:00:00Z', { transferGround: { kind: 'consent', reference: REFERENCE } }),
      transfer({ name: 'Lab GmbH', country: 'DE' }, '2026-06-01T08:00:00Z', { subject: { iin: OTHER_IIN }, transferGround: { kind: 'treaty', reference: TREATY } }),
    ] }).expect(201);
    person = res.body.results[0].subjectId;
    last = res.body.results[1].position;
  });
  afterAll(async () => {
    await t.close();
  });

  const report = (key: string) => t.as(key).get('/v1/reports/transfers').query({ from: '2026-01-01', to: '2026-12-31', position: String(last) });

  it.each(['official', 'auditor', 'auditorWithGrant'])('never opens them for %s, and records no read of anyone', async (key) => {
    const before = await t.store.lastPosition();
    const res = await report(key).expect(200);
    for (const text of [PERSON, REFERENCE, TREATY, 'sealed:']) expect(res.text).not.toContain(text);
    const [lab, toPerson] = res.body.items;
    expect(toPerson).toMatchObject({
      subjectId: person, recipient: { name: null, country: 'DE', kind: 'person' }, transferGround: { kind: 'consent', reference: null },
      sealed: { fields: ['recipient.name', 'transferGround.reference'] },
    });
    expect(toPerson).not.toHaveProperty('shredded');
    // An organization's name is not sealed: it stays; the ground's reference does not.
    expect(lab).toMatchObject({ recipient: { name: 'Lab GmbH', kind: 'organization' }, transferGround: { kind: 'treaty', reference: null }, sealed: { fields: ['transferGround.reference'] } });
    expect(res.body.totals).toMatchObject({ transfers: 2, byRecipient: { 'Lab GmbH': 1 }, toPersons: 1 });
    // Nothing was appended: no SubjectFileRead in the subject's stream, nothing anywhere in the log.
    expect(await t.store.lastPosition()).toBe(before);
    expect((await t.store.readStream(`subject-${person}`)).map((e) => e.type)).toEqual(['ProcessingRecorded']);
  });

  it("leaves them to the subject's file, which needs the grant and records each read", async () => {
    await t.as('auditor').get(`/v1/subjects/${person}/history`).set(READER).expect(403);
    await t.as('auditor').get(`/v1/subjects/${person}/events`).set(READER).expect(403);
    const history = await t.as('auditorWithGrant').get(`/v1/subjects/${person}/history`).set(READER).query({ lang: 'en', position: String(last) }).expect(200);
    expect(history.body.items.find((i: { operation: string }) => i.operation === 'transfer')).toMatchObject({ recipient: { name: PERSON, kind: 'person' } });
    const events = await t.as('auditorWithGrant').get(`/v1/subjects/${person}/events`).set(READER).expect(200);
    expect(events.body.items[0]).toMatchObject({ recipient: { name: PERSON }, transferGround: { kind: 'consent', reference: REFERENCE } });
    expect((await t.store.readStream(`subject-${person}`)).map((e) => e.type)).toEqual(['ProcessingRecorded', 'SubjectFileRead', 'SubjectFileRead']);
  });
});
