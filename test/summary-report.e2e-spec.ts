import { ORDER_328_O } from '@derbes/register';
import { aRecord, IIN, OTHER_IIN, startTestApp, type TestApp } from './support/test-app';

/** RFC 4180, enough for the test: quoted fields with doubled quotes and line breaks inside. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\r' && text[i + 1] === '\n') rows.push([...row, field]), (row = []), (field = ''), i++;
    else field += ch;
  }
  return rows;
}

const name = (number: number, lang: 'kk' | 'ru' | 'en') => ORDER_328_O.categories.find((c) => c.number === number)!.names[lang];
const purposeName = (code: string, lang: 'kk' | 'ru' | 'en') => ORDER_328_O.purposes.find((p) => p.code === code)!.names[lang];

describe('GET /v1/reports/summary', () => {
  let t: TestApp;
  let position: number;
  beforeAll(async () => {
    t = await startTestApp();
    const records = [
      aRecord({ categories: [1, 2, 28], occurredAt: '2026-01-31T18:59:59Z' }), // 23:59:59 on 31 Jan in Almaty
      aRecord({ operation: 'access', source: undefined, categories: [28], purpose: 'P07', occurredAt: '2026-01-31T19:00:00Z' }), // 1 Feb
      aRecord({ subject: { iin: OTHER_IIN }, categories: [1], actor: { id: 'acc-2', role: 'accountant', unit: 'accounting' }, system: 'payroll', occurredAt: '2026-02-15T10:00:00+05:00' }),
      aRecord({ subject: { iin: OTHER_IIN }, operation: 'transfer', source: undefined, categories: [1, 30], purpose: 'P11', recipient: { name: 'Pension fund', country: 'KZ' }, occurredAt: '2026-03-01T08:00:00Z' }),
      aRecord({ operation: 'access', source: undefined, categories: [1], occurredAt: '2026-03-02T08:00:00Z' }),
      aRecord({ occurredAt: '2025-06-01T00:00:00Z' }), // before the period
    ];
    const res = { body: await t.recordAll(records) };
    position = res.body.results[records.length - 1]!.position;
  });
  afterAll(async () => {
    await t.close();
  });

  const summary = (query: Record<string, string>) =>
    t.http.get('/v1/reports/summary').query({ from: '2026-01-01', to: '2026-12-31', position: String(position), ...query });

  it('groups by category, operation and month, counting a record in each of its categories, with names', async () => {
    const res = await summary({ groupBy: 'category,operation,month', lang: 'en' }).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toMatchObject({
      from: '2025-12-31T19:00:00.000Z', to: '2026-12-31T18:59:59.999Z', utcOffsetMinutes: 300,
      groupBy: ['category', 'operation', 'month'], lang: 'en', totals: { records: 5, subjects: 2 }, truncated: false,
    });
    expect(res.body.position).toBeGreaterThanOrEqual(position);
    const row = (category: number, operation: string, month: string, records: number, subjects: number) =>
      ({ category, categoryName: name(category, 'en'), operation, month, records, subjects });
    expect(res.body.rows).toEqual([
      row(1, 'access', '2026-03', 1, 1),
      row(1, 'collect', '2026-01', 1, 1),
      row(1, 'collect', '2026-02', 1, 1),
      row(1, 'transfer', '2026-03', 1, 1),
      row(2, 'collect', '2026-01', 1, 1),
      row(28, 'access', '2026-02', 1, 1),
      row(28, 'collect', '2026-01', 1, 1),
      row(30, 'transfer', '2026-03', 1, 1),
    ]);
    expect(Object.keys(res.body.rows[0])).toEqual(['category', 'categoryName', 'operation', 'month', 'records', 'subjects']);
  });

  it('groups by each key alone, with distinct subjects and calendar days at UTC+5', async () => {
    const rows = async (groupBy: string, lang = 'kk') => (await summary({ groupBy, lang }).expect(200)).body.rows;
    expect(await rows('category')).toEqual([
      { category: 1, categoryName: name(1, 'kk'), records: 4, subjects: 2 },
      { category: 2, categoryName: name(2, 'kk'), records: 1, subjects: 1 },
      { category: 28, categoryName: name(28, 'kk'), records: 2, subjects: 1 },
      { category: 30, categoryName: name(30, 'kk'), records: 1, subjects: 1 },
    ]);
    expect(await rows('purpose', 'ru')).toEqual([
      { purpose: 'P01', purposeName: purposeName('P01', 'ru'), records: 3, subjects: 2 },
      { purpose: 'P07', purposeName: purposeName('P07', 'ru'), records: 1, subjects: 1 },
      { purpose: 'P11', purposeName: purposeName('P11', 'ru'), records: 1, subjects: 1 },
    ]);
    expect(await rows('operation')).toEqual([
      { operation: 'access', records: 2, subjects: 1 },
      { operation: 'collect', records: 2, subjects: 2 },
      { operation: 'transfer', records: 1, subjects: 1 },
    ]);
    expect(await rows('unit,system,actor')).toEqual([
      { unit: 'accounting', system: 'payroll', actor: 'acc-2', records: 1, subjects: 1 },
      { unit: 'personnel-management', system: 'hr-portal', actor: 'hr-17', records: 4, subjects: 2 },
    ]);
    expect(await rows('day')).toEqual([
      { day: '2026-01-31', records: 1, subjects: 1 },
      { day: '2026-02-01', records: 1, subjects: 1 },
      { day: '2026-02-15', records: 1, subjects: 1 },
      { day: '2026-03-01', records: 1, subjects: 1 },
      { day: '2026-03-02', records: 1, subjects: 1 },
    ]);
    expect(await rows('')).toEqual([{ records: 5, subjects: 2 }]);
  });

  it('keeps to the period: calendar days at UTC+5 or instants, bounds included', async () => {
    const jan = await summary({ from: '2026-01-31', to: '2026-01-31', groupBy: 'day' }).expect(200);
    expect(jan.body.rows).toEqual([{ day: '2026-01-31', records: 1, subjects: 1 }]);
    const instants = await summary({ from: '2026-01-31T19:00:00Z', to: '2026-03-01T08:00:00Z', groupBy: 'month' }).expect(200);
    expect(instants.body.rows).toEqual([{ month: '2026-02', records: 2, subjects: 2 }, { month: '2026-03', records: 1, subjects: 1 }]);
    const empty = await summary({ from: '2027-01-01', to: '2027-01-31', groupBy: 'category' }).expect(200);
    expect(empty.body).toMatchObject({ rows: [], totals: { records: 0, subjects: 0 } });
  });

  it('gives the same rows as CSV: a UTF-8 attachment with a BOM, a header row and names in the language asked', async () => {
    for (const lang of ['kk', 'ru', 'en']) {
      const query = { groupBy: 'category,purpose,day', lang };
      const json = (await summary(query).expect(200)).body;
      const csv = await summary({ ...query, format: 'csv' }).buffer(true).parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => done(null, Buffer.concat(chunks)));
      }).expect(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toBe('attachment; filename="processing-summary-2026-01-01-2026-12-31.csv"');
      const bytes = csv.body as Buffer;
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = bytes.toString('utf8').slice(1);
      expect(text.endsWith('\r\n')).toBe(true);
      const [header, ...rows] = parseCsv(text);
      expect(header).toEqual(['category', 'categoryName', 'purpose', 'purposeName', 'day', 'records', 'subjects']);
      const fromJson = json.rows.map((row: Record<string, unknown>) => header!.map((column) => String(row[column])));
      expect(rows).toEqual(fromJson);
      expect(rows.length).toBe(8);
    }
    const kk = await summary({ groupBy: 'category', format: 'csv', lang: 'kk' }).expect(200);
    // A category name with a comma is quoted, and Kazakh letters survive.
    expect(kk.text).toContain(`1,"${name(1, 'kk')}",4,2`);
    expect(name(1, 'kk')).toMatch(/[әіңғүұқөһ]/);
  });

  it('never shows a raw IIN', async () => {
    for (const format of ['json', 'csv']) {
      const res = await summary({ groupBy: 'category,purpose,operation,unit,system,actor,day,month', format }).expect(200);
      expect(res.text).not.toContain(IIN);
      expect(res.text).not.toContain(OTHER_IIN);
    }
  });

  it.each([
    [{ groupBy: 'category,colour' }, 'groupBy'],
    [{ groupBy: 'day,day' }, 'groupBy'],
    [{ from: '' }, 'from'],
    [{ to: '' }, 'to'],
    [{ from: 'yesterday' }, 'from'],
    [{ from: '2026-02-30' }, 'from'],
    [{ from: '2026-05-01', to: '2026-04-30' }, 'to'],
    [{ from: '2024-01-01', to: '2026-01-01' }, 'to'],
    [{ format: 'xml' }, 'format'],
    [{ lang: 'de' }, 'lang'],
    [{ position: '-1' }, 'position'],
    [{ colour: 'red' }, 'colour'],
  ])('rejects %j with 400 naming the field', async (query, field) => {
    const res = await summary(query as Record<string, string>).expect(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('takes a period of 731 days through its last millisecond, and a single instant; refuses one reaching the next millisecond', async () => {
    const within = await summary({ from: '2027-01-01T00:00:00+05:00', to: '2028-12-31T23:59:59.999+05:00' }).expect(200);
    expect(within.body).toMatchObject({ from: '2026-12-31T19:00:00.000Z', to: '2028-12-31T18:59:59.999Z' });
    const beyond = await summary({ from: '2027-01-01T00:00:00+05:00', to: '2029-01-01T00:00:00+05:00' }).expect(400);
    expect(beyond.body.errors).toEqual([expect.objectContaining({ field: 'to', reason: expect.stringContaining('longer than 731 days') })]);
    const instant = await summary({ from: '2026-03-10T08:00:00Z', to: '2026-03-10T08:00:00Z' }).expect(200);
    expect(instant.body).toMatchObject({ from: '2026-03-10T08:00:00.000Z', to: '2026-03-10T08:00:00.000Z' });
  });

  it('requires the period', async () => {
    const res = await t.http.get('/v1/reports/summary').query({ groupBy: 'category' }).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['from', 'to']);
  });

  it('is documented in OpenAPI, CSV included', async () => {
    const docs = (await t.http.get('/docs-json').expect(200)).body;
    const get = docs.paths['/v1/reports/summary'].get;
    expect(get.parameters.map((p: { name: string }) => p.name)).toEqual(['from', 'to', 'groupBy', 'format', 'lang', 'position']);
    expect(Object.keys(get.responses['200'].content)).toEqual(['application/json', 'text/csv']);
    expect(docs.paths['/v1/reports/transfers'].get.responses['200']).toBeDefined();
  });

  it('answers 400 at once for a position beyond the end of the log', async () => {
    const res = await summary({ position: String(position + 1000) }).expect(400);
    expect(res.body.errors).toEqual([{ field: 'position', reason: expect.stringContaining('beyond the end of the log') }]);
  });
});

describe('GET /v1/reports/summary while the read model is not built', () => {
  it('answers 503 projection_building with Retry-After', async () => {
    const t = await startTestApp({ DERBES_PROJECTIONS: 'off' });
    try {
      const res = await t.http.get('/v1/reports/summary').query({ from: '2026-01-01', to: '2026-01-31' }).expect(503);
      expect(res.body.code).toBe('projection_building');
      expect(res.headers['retry-after']).toBe('1');
    } finally {
      await t.close();
    }
  });
});
