import { aRecord, IIN, READER, recordPastTheApi, startTestApp, type TestApp } from './support/test-app';

/**
 * Codes that look like others are refused from now on (processing-records.e2e-spec.ts); events written before the
 * rule may hold them, and are history: everything that reads them takes them as they are, and so do the filters.
 */
describe('codes stored before look-alike codes were refused', () => {
  let t: TestApp;
  let subjectId: string;
  let position: number;
  // A Cyrillic г among Latin letters; a fullwidth ｈ. Before a register is in force: a violation to report.
  const lookAlike = { id: 'hг-17', role: 'hr-specialist', unit: 'ｈr-unit' };
  beforeAll(async () => {
    t = await startTestApp();
    await recordPastTheApi(t, { actor: lookAlike, occurredAt: '2025-06-01T10:00:00Z' });
    const next = await t.http.post('/v1/processing-records').send(aRecord()).expect(201);
    ({ subjectId, position } = next.body);
  });
  afterAll(() => t.close());

  it('are in the stored event as they were sent', async () => {
    const [event] = await t.writtenEvents();
    expect(event?.data.actor).toEqual(lookAlike);
  });

  it("are read in the subject's history, and found by its filters", async () => {
    const history = (query: Record<string, string>) =>
      t.http.get(`/v1/subjects/${subjectId}/history`).set(READER).query({ position: String(position), ...query }).expect(200);
    const all = await history({});
    expect(all.body.items.filter((e: { operation: string }) => e.operation !== 'read').map((e: { actor: { id: string } }) => e.actor.id)).toEqual(['hr-17', 'hг-17']);
    const byActor = await history({ actor: 'hг-17' });
    expect(byActor.body.items.map((e: { actor: unknown }) => e.actor)).toEqual([lookAlike]);
    expect((await history({ unit: 'ｈr-unit' })).body.items).toHaveLength(1);
  });

  it('are read in the access report, as JSON, HTML and PDF', async () => {
    for (const format of ['json', 'html', 'pdf']) {
      const res = await t.http.get(`/v1/subjects/${subjectId}/access-report`).set(READER).query({ format, lang: 'en' }).expect(200);
      expect(res.text ?? '').not.toContain(IIN);
    }
  });

  it('are reported and filtered by the violations and actor-activity reports', async () => {
    const violations = await t.http.get('/v1/reports/violations').query({ actor: 'hг-17', position: String(position) }).expect(200);
    expect(violations.body.items).toEqual([expect.objectContaining({ code: 'no-register-in-force', actor: lookAlike })]);
    await t.http.get('/v1/reports/actor-activity').query({ actor: 'hг-17', unit: 'ｈr-unit', from: '2025-06-01', to: '2025-06-02', position: String(position) }).expect(200);
  });
});

/** Names that look like others are refused from now on too; a recipient's name stored before is history, read as it is. */
describe('names stored before look-alike names were refused', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('are counted in the transfers report as they were stored, beside the name now sent', async () => {
    const transfer = (name: string) => ({ operation: 'transfer', source: undefined, recipient: { name, country: 'KZ' } });
    await recordPastTheApi(t, transfer('Kazpost\u200b'));
    await t.http.post('/v1/processing-records').send(aRecord(transfer('Kazpost\u200b'))).expect(400);
    const res = await t.http.post('/v1/processing-records').send(aRecord(transfer('Kazpost'))).expect(201);
    const report = await t.http.get('/v1/reports/transfers').query({ from: '2026-11-01', to: '2026-11-30', position: String(res.body.position) }).expect(200);
    expect(report.body.totals.byRecipient).toEqual({ Kazpost: 1, 'Kazpost\u200b': 1 });
  });
});
