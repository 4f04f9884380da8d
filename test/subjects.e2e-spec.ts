import { aRecord, IIN, OTHER_IIN, READER, startTestApp, type TestApp } from './support/test-app';

describe('subjects', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const post = (body: unknown) => t.http.post('/v1/processing-records').send(body as object).expect(201);
  const lookup = (iin: unknown) => t.http.post('/v1/subjects/lookup').send({ iin });

  describe('POST /v1/subjects/lookup', () => {
    it('gives the pseudonymous id the records were filed under', async () => {
      const unknown = await lookup(IIN).expect(200);
      expect(unknown.body).toEqual({ subjectId: expect.stringMatching(/^[0-9a-f]{64}$/), known: false });
      const recorded = await post(aRecord());
      const known = await lookup(IIN).expect(200);
      expect(known.body).toEqual({ subjectId: recorded.body.subjectId, known: true });
      expect((await lookup(OTHER_IIN).expect(200)).body.subjectId).not.toBe(known.body.subjectId);
    });

    it('rejects a bad IIN naming the rule, and a missing or extra field', async () => {
      const res = await lookup('791028302720').expect(400);
      expect(res.body.errors).toEqual([{ field: 'iin', reason: expect.stringContaining('rule: check-digit') }]);
      // 991231500016: a valid check digit, but born 2099-12-31, after the ledger's today.
      expect((await lookup('991231500016').expect(400)).body.errors).toEqual([
        { field: 'iin', reason: 'digits 1-6 with the century of digit 7 give a birth date in the future (2099-12-31, after 2026-11-25) (rule: birth-date)' },
      ]);
      expect((await t.http.post('/v1/subjects/lookup').send({}).expect(400)).body.errors[0].field).toBe('iin');
      expect((await t.http.post('/v1/subjects/lookup').send({ iin: IIN, name: 'x' }).expect(400)).body.errors[0].field).toBe('name');
    });
  });

  describe('GET /v1/subjects/{subjectId}/events', () => {
    let subjectId: string;
    const ids: string[] = [];
    beforeEach(async () => {
      ids.length = 0;
      const plan: Record<string, unknown>[] = [
        aRecord({ occurredAt: '2026-01-10T08:00:00Z' }),
        aRecord({ operation: 'access', source: undefined, categories: [28], purpose: 'P07', occurredAt: '2026-02-10T08:00:00Z' }),
        aRecord({ operation: 'change', source: undefined, categories: ['family-status'], purpose: 'P02', occurredAt: '2026-03-10T08:00:00Z' }),
        aRecord({ operation: 'access', source: undefined, categories: [1], occurredAt: '2026-04-10T08:00:00Z' }),
        aRecord({ operation: 'transfer', source: undefined, categories: [1, 30], purpose: 'P11', recipient: { name: 'Pension fund', country: 'KZ' }, occurredAt: '2026-05-10T08:00:00Z' }),
      ];
      for (const record of plan) {
        const res = await post(record);
        subjectId = res.body.subjectId;
        ids.push(record.recordId as string);
      }
      await post(aRecord({ subject: { iin: OTHER_IIN } }));
    });

    /** Each read appends itself to the stream (test/reader-audit.e2e-spec.ts); these checks look at the plan's records. */
    const events = async (query: Record<string, string> = {}, id = subjectId, status = 200) => {
      const res = await t.http.get(`/v1/subjects/${id}/events`).set(READER).query(query).expect(status);
      if (Array.isArray(res.body.items)) res.body.items = res.body.items.filter((e: { type: string }) => e.type !== 'SubjectFileRead');
      return res;
    };

    it("lists the subject's events in order, and only theirs", async () => {
      const res = await events();
      expect(res.body.subjectId).toBe(subjectId);
      expect(res.body.items.map((e: { eventId: string }) => e.eventId)).toEqual(ids);
      expect(res.body.items.map((e: { revision: number }) => e.revision)).toEqual([0, 1, 2, 3, 4]);
      expect(res.body.nextCursor).toBeNull();
      expect(res.body.items[0]).toMatchObject({
        type: 'ProcessingRecorded', schemaVersion: 5, operation: 'collect', purpose: { code: 'P01' },
        recordedAt: '2026-11-25T12:00:00.000Z', occurredAt: '2026-01-10T08:00:00.000Z', violations: [],
      });
      expect(JSON.stringify(res.body)).not.toContain(IIN);
    });

    it('filters by operation, category (number or code), purpose (code or slug) and period', async () => {
      const idsOf = async (q: Record<string, string>) => (await events(q)).body.items.map((e: { eventId: string }) => e.eventId);
      expect(await idsOf({ operation: 'access' })).toEqual([ids[1], ids[3]]);
      expect(await idsOf({ category: '1' })).toEqual([ids[0], ids[3], ids[4]]);
      expect(await idsOf({ category: 'family-status' })).toEqual([ids[2]]);
      expect(await idsOf({ purpose: 'P07' })).toEqual([ids[1]]);
      const purposes = (await t.http.get('/v1/register/current').expect(200)).body.purposes;
      const p11 = purposes.find((p: { code: string }) => p.code === 'P11').slug;
      expect(await idsOf({ purpose: p11 })).toEqual([ids[4]]);
      expect(await idsOf({ from: '2026-02-10T08:00:00Z', to: '2026-04-10T08:00:00Z' })).toEqual([ids[1], ids[2], ids[3]]);
      expect(await idsOf({ operation: 'access', category: '28' })).toEqual([ids[1]]);
    });

    it('pages with a cursor until the end', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const q: Record<string, string> = { limit: '2', ...(cursor ? { cursor } : {}) };
        const res = await events(q);
        seen.push(...res.body.items.map((e: { eventId: string }) => e.eventId));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor);
      expect(seen).toEqual(ids);
      // Five records in pages of two, and each page read appends itself behind them.
      expect(pages).toBeGreaterThanOrEqual(3);
      const filtered = await events({ category: '1', limit: '1' });
      const next = await events({ category: '1', limit: '1', cursor: filtered.body.nextCursor });
      expect(next.body.items.map((e: { eventId: string }) => e.eventId)).toEqual([ids[3]]);
    });

    it('answers 404 for a subject the ledger knows nothing about', async () => {
      const unknown = (await lookup('000229600014').expect(200)).body.subjectId;
      const res = await events({}, unknown, 404);
      expect(res.body).toMatchObject({ statusCode: 404, code: 'subject_not_found' });
    });

    it.each([
      [{}, 'not-a-subject', 'subjectId'],
      [{ operation: 'sell' }, undefined, 'operation'],
      [{ category: '31' }, undefined, 'category'],
      [{ purpose: 'P00' }, undefined, 'purpose'],
      [{ from: 'yesterday' }, undefined, 'from'],
      [{ from: '2026-05-01T00:00:00Z', to: '2026-04-01T00:00:00Z' }, undefined, 'to'],
      [{ limit: '0' }, undefined, 'limit'],
      [{ limit: '501' }, undefined, 'limit'],
      [{ limit: 'ten' }, undefined, 'limit'],
      [{ cursor: 'garbage' }, undefined, 'cursor'],
      [{ colour: 'red' }, undefined, 'colour'],
    ])('rejects %j with 400 naming the field', async (query, id, field) => {
      const res = await events(query as Record<string, string>, id ?? subjectId, 400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  });
});
