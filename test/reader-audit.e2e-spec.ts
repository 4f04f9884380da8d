import { aRecord, IIN, READER, startTestApp, type TestApp } from './support/test-app';

/** Reading a person's file is itself an access: the ledger records who read it, why, and what it showed. */
describe('the ledger audits its readers', () => {
  let t: TestApp;
  let subjectId: string;
  let position: number;
  beforeEach(async () => {
    t = await startTestApp();
    const written = await t.http.post('/v1/processing-records/batch').send({
      records: [aRecord({ categories: [1, 28] }), aRecord({ operation: 'destroy', source: undefined, categories: [28] })],
    }).expect(201);
    subjectId = written.body.results[0].subjectId;
    position = written.body.results[1].position;
  });
  afterEach(async () => {
    await t.close();
  });

  const stream = async () => (await t.store.readStream(`subject-${subjectId}`)).map((e) => ({ type: e.type, data: e.data }));

  it.each([
    ['history', 'GET /v1/subjects/{subjectId}/history', [1, 28]],
    ['inventory', 'GET /v1/subjects/{subjectId}/inventory', [1, 28]],
    ['events', 'GET /v1/subjects/{subjectId}/events', [1, 28]],
  ])('records a read of the %s in the subject stream before answering', async (view, name, categories) => {
    // /events reads the stream itself; the read models take the position of the last write.
    const query = view === 'events' ? {} : { position: String(position) };
    await t.http.get(`/v1/subjects/${subjectId}/${view}`).set({ ...READER, 'x-purpose': 'P07' }).query(query).expect(200);
    const events = await stream();
    expect(events).toHaveLength(3);
    expect(events[2]).toEqual({
      type: 'SubjectFileRead',
      data: {
        readId: expect.stringMatching(/^[0-9a-f-]{36}$/), subjectId, view: name,
        categories: (categories as number[]).map((number) => expect.objectContaining({ number })),
        purpose: { code: 'P07', slug: expect.any(String) },
        actor: { id: 'hr-director', role: 'official', unit: 'personnel-management' },
        occurredAt: '2026-11-25T12:00:00.000Z',
      },
    });
    expect(JSON.stringify(events)).not.toContain(IIN);
  });

  it('refuses HEAD on a person\'s file (405, Allow: GET) and records no read for it; /health still answers HEAD', async () => {
    for (const view of ['history', 'inventory', 'events', 'access-report']) {
      const res = await t.http.head(`/v1/subjects/${subjectId}/${view}`).set({ ...READER, 'x-purpose': 'P07' }).query({ position: String(position) });
      expect([view, res.status, res.headers.allow]).toEqual([view, 405, 'GET']);
    }
    expect(await stream()).toHaveLength(2);
    await t.http.head('/health').expect(200);
    // GET still records its read.
    await t.http.get(`/v1/subjects/${subjectId}/history`).set({ ...READER, 'x-purpose': 'P07' }).query({ position: String(position) }).expect(200);
    expect((await stream()).map((e) => e.type)).toEqual(['ProcessingRecorded', 'ProcessingRecorded', 'SubjectFileRead']);
  });

  it('shows the read in the history as a read by the reader, and never flags it or changes the inventory', async () => {
    await t.http.get(`/v1/subjects/${subjectId}/inventory`).set(READER).query({ position: String(position) }).expect(200);
    const read = (await t.writtenEvents()).at(-1)!;
    const history = await t.http.get(`/v1/subjects/${subjectId}/history`).set(READER).query({ position: String(read.position), lang: 'en' }).expect(200);
    expect(history.body.items[0]).toMatchObject({
      operation: 'read', system: 'derbes', purpose: { code: 'OVERSIGHT' }, actor: { id: 'hr-director' },
      note: 'read through GET /v1/subjects/{subjectId}/inventory', violations: [],
    });
    // Category 28 was destroyed: reading that it was is no processing of destroyed data.
    const violations = await t.http.get('/v1/reports/violations').query({ position: String(read.position) }).expect(200);
    expect(violations.body.counts.reasons).toBe(0);
    const inventory = await t.http.get(`/v1/subjects/${subjectId}/inventory`).set(READER).query({ position: String(read.position) }).expect(200);
    const medical = inventory.body.categories.find((c: { number: number }) => c.number === 28);
    expect(medical).toMatchObject({ held: false, destroyedAt: expect.any(String) });
    expect(medical.lastProcessedAt).not.toBe('2026-11-25T12:00:00.000Z');
  });

  it.each([
    [{ ...READER, 'x-purpose': undefined }, 'x-purpose', 'is required'],
    [{ ...READER, 'x-purpose': 'curiosity' }, 'x-purpose', 'unknown purpose'],
    [{ ...READER, 'x-purpose': 'P0\u00e9' }, 'x-purpose', 'must be printable ASCII'],
  ])('refuses a read without a valid purpose (%j), and records nothing', async (headers, field, reason) => {
    const defined = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) as Record<string, string>;
    const res = await t.http.get(`/v1/subjects/${subjectId}/history`).set(defined).expect(400);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, reason: expect.stringContaining(reason) })]));
    expect(await stream()).toHaveLength(2);
  });

  it('takes OVERSIGHT by its slug too, and records the read under its code', async () => {
    await t.http.get(`/v1/subjects/${subjectId}/inventory`).set({ ...READER, 'x-purpose': 'oversight' }).query({ position: String(position) }).expect(200);
    expect((await stream()).at(-1)).toMatchObject({ type: 'SubjectFileRead', data: { purpose: { code: 'OVERSIGHT', slug: 'oversight' } } });
  });

  it('records nothing for a subject the ledger does not know', async () => {
    const unknown = (await t.http.post('/v1/subjects/lookup').send({ iin: '000229600014' }).expect(200)).body.subjectId;
    await t.http.get(`/v1/subjects/${unknown}/history`).set(READER).expect(404);
    expect(await t.store.readStream(`subject-${unknown}`)).toEqual([]);
  });

  it('shows nothing when the read cannot be recorded', async () => {
    await t.store.close();
    await t.http.get(`/v1/subjects/${subjectId}/inventory`).set(READER).query({ position: String(position) }).expect(503);
  });

  it('keeps records appended behind a read in order: the read does not upset a concurrent record', async () => {
    const [read, record] = await Promise.all([
      t.http.get(`/v1/subjects/${subjectId}/events`).set(READER),
      t.http.post('/v1/processing-records').send(aRecord({ operation: 'access', source: undefined, categories: [1] })),
    ]);
    expect(read.status).toBe(200);
    expect(record.status).toBe(201);
    expect((await stream()).map((e) => e.type).sort()).toEqual(['ProcessingRecorded', 'ProcessingRecorded', 'ProcessingRecorded', 'SubjectFileRead']);
  });
});
