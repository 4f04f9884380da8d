import { Logger } from '@nestjs/common';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectionNotReadyError, ProjectionRunner } from '@derbes/projections';
import { ORDER_328_O } from '@derbes/register';
import { aRecord, IIN, OTHER_IIN, READER, startTestApp, type TestApp } from './support/test-app';

const op = (operation: string, categories: unknown[], occurredAt: string, more: Record<string, unknown> = {}) =>
  aRecord({ operation, categories, occurredAt, source: undefined, ...more });
const names = (n: number) => ORDER_328_O.categories.find((c) => c.number === n)!.names;

describe('GET /v1/subjects/{subjectId}/history', () => {
  let t: TestApp;
  let subjectId: string;
  let position: number;
  /** Record ids by plan index: 0-6 from the batch, 7 from a single POST (reported late). */
  const ids: string[] = [];
  beforeAll(async () => {
    t = await startTestApp();
    const records = [
      aRecord({ categories: [1, 2, 28], occurredAt: '2026-01-10T08:00:00Z' }),
      op('access', [28], '2026-02-10T08:00:00Z', { purpose: 'P07', actor: { id: 'it-3', role: 'admin', unit: 'it' }, system: 'erp' }),
      op('change', ['family-status'], '2026-03-10T08:00:00Z', { purpose: 'P02' }),
      op('access', [1], '2026-03-10T08:00:00Z'), // the same instant as the change: ties go by position
      op('transfer', [1, 30], '2026-05-10T08:00:00Z', { purpose: 'P11', recipient: { name: 'Pension fund', country: 'KZ' } }),
      op('destroy', [28], '2026-06-01T08:00:00Z'),
      op('access', [28], '2026-06-02T08:00:00Z'), // flagged: category-destroyed
    ];
    // Each system reports with its own key: the erp record comes between two of hr-portal's, in plan order.
    const batch = await t.http.post('/v1/processing-records').send(records[0]).expect(201).then((first) => ({ body: { results: [first.body] } }));
    await t.http.post('/v1/processing-records').send(records[1]).expect(201);
    await t.http.post('/v1/processing-records/batch').send({ records: [...records.slice(2), aRecord({ subject: { iin: OTHER_IIN } })] }).expect(201);
    ids.push(...records.map((r) => r.recordId as string));
    subjectId = batch.body.results[0].subjectId;
    const late = op('access', [2], '2026-04-01T08:00:00Z', { note: 'file check' });
    const single = await t.http.post('/v1/processing-records').set('x-correlation-id', 'audit-42').send(late).expect(201);
    ids.push(late.recordId as string);
    position = single.body.position;
  });
  afterAll(async () => {
    await t.close();
  });

  /**
   * Every answer, whatever its status, is checked for the raw IIN. Each read adds itself to the history as a `read`
   * entry (test/reader-audit.e2e-spec.ts checks those); these checks look at the records the plan wrote.
   */
  const history = async (query: Record<string, string> = {}, id = subjectId, withPosition = true) => {
    const res = await t.http.get(`/v1/subjects/${id}/history`).set(READER).query({ ...(withPosition ? { position: String(position) } : {}), ...query });
    expect(res.text).not.toContain(IIN);
    expect(res.text).not.toContain(OTHER_IIN);
    if (Array.isArray(res.body.items)) res.body.items = res.body.items.filter((e: { operation: string }) => e.operation !== 'read');
    return res;
  };
  const plan = async (query: Record<string, string> = {}) =>
    (await history(query)).body.items.map((e: { eventId: string }) => ids.indexOf(e.eventId));

  it("lists the subject's records newest first, ties by position, and only theirs", async () => {
    const res = await history();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ subjectId, lang: 'kk', nextCursor: null });
    expect(res.body.position).toBeGreaterThanOrEqual(position);
    expect(await plan()).toEqual([6, 5, 4, 7, 3, 2, 1, 0]);
  });

  it('renders an entry with names, purpose, actor, recipient, note, violations and correlation id', async () => {
    const items = (await history({ lang: 'en' })).body.items;
    expect(items[2]).toEqual({
      eventId: ids[4], position: expect.any(Number), revision: 4, occurredAt: '2026-05-10T08:00:00.000Z', recordedAt: '2026-11-25T12:00:00.000Z',
      operation: 'transfer',
      categories: [{ number: 1, code: 'full-name', name: names(1).en }, { number: 30, code: 'pension', name: names(30).en }],
      purpose: { code: 'P11', clause: 7, name: ORDER_328_O.purposes.find((p) => p.code === 'P11')!.names.en },
      actor: { id: 'hr-17', role: 'hr-specialist', unit: 'personnel-management' }, system: 'hr-portal',
      source: null, recipient: { name: 'Pension fund', country: 'KZ', kind: 'organization' }, crossBorder: false, note: 'competition file', embargoUntil: null, requestId: null,
      violations: [], correlationId: expect.any(String),
    });
    expect(items[0].violations).toEqual([{
      code: 'category-destroyed', category: 28, since: '2026-06-01T08:00:00.000Z',
      detail: `Access of category 28 (${names(28).en}), destroyed at 2026-06-01T08:00:00.000Z`,
    }]);
    expect(items[3]).toMatchObject({ note: 'file check', correlationId: 'audit-42', revision: 7 });
    expect(items[7]).toMatchObject({ operation: 'collect', source: { kind: 'subject' } });
  });

  it.each(['kk', 'ru', 'en'] as const)('names categories and purposes in %s', async (lang) => {
    const items = (await history(lang === 'kk' ? {} : { lang })).body.items;
    const first = items[items.length - 1];
    expect(first.categories.map((c: { name: string }) => c.name)).toEqual([names(1)[lang], names(2)[lang], names(28)[lang]]);
    expect(first.purpose.name).toBe(ORDER_328_O.purposes.find((p) => p.code === 'P01')!.names[lang]);
    if (lang === 'kk') expect(first.categories[2].name).toContain('Медициналық');
    // A violation's words are in the same language, naming the category as the entry does.
    const flagged = items[0].violations[0];
    expect(flagged.detail).toContain(`28 (${names(28)[lang]})`);
    expect(flagged.detail.startsWith({ kk: 'Қол жеткізу: ', ru: 'Доступ: ', en: 'Access of ' }[lang])).toBe(true);
  });

  it('filters by operation, category, purpose, actor, unit, system, period and violations', async () => {
    expect(await plan({ operation: 'access' })).toEqual([6, 7, 3, 1]);
    expect(await plan({ category: '28' })).toEqual([6, 5, 1, 0]);
    expect(await plan({ category: 'medical-results' })).toEqual([6, 5, 1, 0]);
    expect(await plan({ purpose: 'P07' })).toEqual([1]);
    expect(await plan({ purpose: 'social-and-legal-protection' })).toEqual([4]);
    expect(await plan({ actor: 'it-3' })).toEqual([1]);
    expect(await plan({ unit: 'it' })).toEqual([1]);
    expect(await plan({ system: 'erp' })).toEqual([1]);
    expect(await plan({ from: '2026-03-10T13:00:00+05:00', to: '2026-05-10T08:00:00Z' })).toEqual([4, 7, 3, 2]);
    // A period of a single instant, written in two zones: the two records of that instant.
    expect(await plan({ from: '2026-03-10T08:00:00Z', to: '2026-03-10T13:00:00+05:00' })).toEqual([3, 2]);
    expect(await plan({ violations: 'true' })).toEqual([6]);
    expect(await plan({ violations: 'false' })).toEqual([6, 5, 4, 7, 3, 2, 1, 0]);
    expect(await plan({ operation: 'access', category: '28' })).toEqual([6, 1]);
    expect(await plan({ operation: 'block' })).toEqual([]);
  });

  it('pages with a cursor: no duplicates, no gaps, ties kept apart', async () => {
    for (const [query, expected] of [[{ limit: '3' }, [6, 5, 4, 7, 3, 2, 1, 0]], [{ limit: '1', category: '28' }, [6, 5, 1, 0]]] as const) {
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const res = await history({ ...query, ...(cursor ? { cursor } : {}) });
        seen.push(...res.body.items.map((e: { eventId: string }) => ids.indexOf(e.eventId)));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(expected);
    }
  });

  it("filters the file's reads: operation read, and the ledger's own purposes by code or slug", async () => {
    const raw = async (query: Record<string, string>) => {
      const res = await t.http.get(`/v1/subjects/${subjectId}/history`).set(READER).query({ position: String(position), ...query }).expect(200);
      return res.body.items as { operation: string; purpose: { code: string } }[];
    };
    await raw({}); // one read at least, whatever ran before
    const reads = await raw({ operation: 'read' });
    expect(reads.length).toBeGreaterThan(0);
    expect(new Set(reads.map((e) => e.operation))).toEqual(new Set(['read']));
    const purpose = reads[0]?.purpose.code as string;
    expect(['OVERSIGHT', 'SUBJECT-RIGHTS']).toContain(purpose);
    const byCode = await raw({ purpose, operation: 'read' });
    expect(byCode.length).toBeGreaterThan(0);
    expect(await raw({ purpose: purpose.toLowerCase(), operation: 'read' })).toHaveLength(byCode.length + 1); // the slug; one more read since
    expect((await raw({ purpose })).every((e) => e.purpose.code === purpose)).toBe(true);
  });

  it('answers 404 for a subject it knows nothing about, and an empty page for a filter that matches nothing', async () => {
    const unknown = (await t.http.post('/v1/subjects/lookup').send({ iin: '000229600014' }).expect(200)).body.subjectId;
    const res = await history({}, unknown);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ statusCode: 404, code: 'subject_not_found' });
    expect((await history({ system: 'payroll' })).body.items).toEqual([]);
  });

  it('answers 200 for a subject known only by a request of theirs, and records the read as for any subject', async () => {
    const received = await t.http.post('/v1/subject-requests')
      .send({ subject: { iin: '850315310016' }, kind: 'information', channel: 'in-person', receivedAt: '2026-11-24T10:00:00+05:00' }).expect(201);
    const id: string = received.body.subjectId;
    const first = await t.http.get(`/v1/subjects/${id}/history`).set(READER).query({ position: String(received.body.position) }).expect(200);
    expect(first.body).toMatchObject({ subjectId: id, items: [], nextCursor: null });
    const stream = await t.store.readStream(`subject-${id}`);
    expect(stream.map((e) => e.type)).toEqual(['SubjectRequestReceived', 'SubjectFileRead']);
    expect(stream[1]!.data).toMatchObject({ view: 'GET /v1/subjects/{subjectId}/history', categories: [], purpose: { code: 'OVERSIGHT' } });
    // The next look finds that read in the history.
    const second = await t.http.get(`/v1/subjects/${id}/history`).set(READER).query({ position: String(stream[1]!.position) }).expect(200);
    expect(second.body.items).toEqual([expect.objectContaining({ eventId: stream[1]!.id, operation: 'read', categories: [] })]);
  });

  it.each([
    [{}, 'not-a-subject', 'subjectId'],
    [{ lang: 'fr' }, undefined, 'lang'],
    [{ operation: 'sell' }, undefined, 'operation'],
    [{ category: '31' }, undefined, 'category'],
    [{ purpose: 'P00' }, undefined, 'purpose'],
    [{ actor: 'hr 17' }, undefined, 'actor'],
    [{ unit: '' }, undefined, 'unit'],
    [{ system: 'HR-Portal' }, undefined, 'system'],
    [{ from: 'yesterday' }, undefined, 'from'],
    [{ to: '2026-02-30T00:00:00Z' }, undefined, 'to'],
    [{ from: '2026-05-01T00:00:00Z', to: '2026-04-01T00:00:00Z' }, undefined, 'to'],
    [{ violations: 'yes' }, undefined, 'violations'],
    [{ limit: '0' }, undefined, 'limit'],
    [{ limit: '501' }, undefined, 'limit'],
    [{ limit: 'ten' }, undefined, 'limit'],
    [{ cursor: 'garbage' }, undefined, 'cursor'],
    [{ cursor: Buffer.from('r:3').toString('base64url') }, undefined, 'cursor'], // a cursor of the events endpoint
    [{ position: '-1' }, undefined, 'position'],
    [{ colour: 'red' }, undefined, 'colour'],
  ])('rejects %j with 400 naming the field', async (query, id, field) => {
    const res = await history(query as Record<string, string>, id ?? subjectId);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('says a parameter is given twice, rather than that it is not a whole number, and records no read', async () => {
    const before = await t.store.lastPosition();
    const res = await t.http.get(`/v1/subjects/${subjectId}/history?limit=1&limit=2&lang=en`).set(READER).expect(400);
    expect(res.body.errors).toEqual([{ field: 'limit', reason: 'is given 2 times: give it once' }]);
    expect(await t.store.lastPosition()).toBe(before);
  });

  it('answers 400 at once for a position beyond the end of the log: no write returned it', async () => {
    const res = await history({ position: String(position + 1000) }, subjectId, false);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'position', reason: expect.stringContaining('beyond the end of the log') }]);
  });

  it('answers 503 projection_building while the read model is first built', async () => {
    const runner = t.app.get(ProjectionRunner);
    const spy = jest.spyOn(runner, 'tables').mockImplementationOnce(() => {
      throw new ProjectionNotReadyError('the subject-history read model is being built');
    });
    const errors = jest.spyOn(Logger.prototype, 'error');
    const warnings = jest.spyOn(Logger.prototype, 'warn');
    try {
      const res = await history({}, subjectId, false);
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ code: 'projection_building' });
      expect(res.headers['retry-after']).toBe('1');
      // An expected state, logged as a warning: an error-level line would page someone for nothing.
      expect(errors).not.toHaveBeenCalled();
      expect(warnings).toHaveBeenCalledWith(expect.stringMatching(/^GET \/v1\/subjects\/:subjectId\/history answered 503: LedgerError/));
    } finally {
      spy.mockRestore();
      errors.mockRestore();
      warnings.mockRestore();
    }
  });

  // Last of this suite: it stops the read models.
  it('answers 409 projection_behind when the history does not reach a position of the log within 2 s', async () => {
    await t.app.get(ProjectionRunner).stop();
    const written = await t.http.post('/v1/processing-records').send(op('access', [1], '2026-07-01T08:00:00Z')).expect(201);
    const res = await history({ position: String(written.body.position) }, subjectId, false);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'projection_behind' });
  });
});

describe('subject history across register versions', () => {
  it('names each entry from the register version it was checked against, and from the owner otherwise', async () => {
    const v1 = { ...ORDER_328_O, effective: { ...ORDER_328_O.effective, to: '2026-06-30' } };
    const v2 = {
      ...ORDER_328_O, version: 2, effective: { from: '2026-07-01', fromBasis: 'stated', to: null },
      categories: ORDER_328_O.categories.map((c) => (c.number === 28 ? { ...c, names: { ...c.names, en: 'Medical findings (v2)' } } : c)),
    };
    const file = join(mkdtempSync(join(tmpdir(), 'derbes-reg-')), 'registers.json');
    writeFileSync(file, JSON.stringify([v1, v2]));
    const t = await startTestApp({ DERBES_REGISTERS_FILE: file });
    try {
      const records = [
        // Before any register: flagged, named from the owner's latest; 20:00Z is already 2 November at UTC+5.
        op('access', [28], '2025-11-01T20:00:00Z'),
        op('access', [28], '2026-06-15T08:00:00Z'),
        op('access', [28], '2026-07-15T08:00:00Z'),
      ];
      const batch = await t.http.post('/v1/processing-records/batch').send({ records }).expect(201);
      const { subjectId, position } = batch.body.results[2];
      const res = await t.http.get(`/v1/subjects/${subjectId}/history`).set(READER).query({ lang: 'en', position: String(position) }).expect(200);
      expect(res.body.items.map((e: { categories: { name: string }[] }) => e.categories[0]!.name)).toEqual([
        'Medical findings (v2)', names(28).en, 'Medical findings (v2)',
      ]);
      expect(res.body.items[2]).toMatchObject({ purpose: { code: 'P01', clause: null }, violations: [expect.objectContaining({ code: 'no-register-in-force' })] });
      // Its words name the local day at the ledger's offset.
      expect(res.body.items[2].violations[0].detail).toBe('no approved list of personal data was in force on 2025-11-02, the local day of 2025-11-01T20:00:00.000Z');
    } finally {
      await t.close();
    }
  });
});
