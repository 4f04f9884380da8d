import { derivedUuid } from '@derbes/ledger';
import { aRecord, IIN, OTHER_IIN, startTestApp, type TestApp } from './support/test-app';

describe('POST /v1/processing-records/batch', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const postBatch = (records: unknown) => t.http.post('/v1/processing-records/batch').send({ records });

  it('records a batch in order with consecutive positions (201)', async () => {
    const records = [aRecord(), aRecord({ subject: { iin: OTHER_IIN } }), aRecord({ operation: 'access', source: undefined })];
    const res = await postBatch(records).expect(201);
    expect(res.body.created).toBe(3);
    expect(res.body.duplicates).toBe(0);
    expect(res.body.results.map((r: { recordId: string }) => r.recordId)).toEqual(records.map((r) => r.recordId));
    expect(res.body.results.map((r: { position: number }) => r.position)).toEqual([t.base + 1, t.base + 2, t.base + 3]);
    // Two records about the same subject: revisions 0 and 1 of one stream.
    expect(res.body.results[0].subjectId).toBe(res.body.results[2].subjectId);
    expect([res.body.results[0].streamRevision, res.body.results[2].streamRevision]).toEqual([0, 1]);
    expect(res.body.results[1].streamRevision).toBe(0);
  });

  it('decides records of one subject and one instant in batch order, so a destroy flags a later access', async () => {
    const res = await postBatch([
      aRecord({ operation: 'destroy', source: undefined, categories: [28] }),
      aRecord({ operation: 'access', source: undefined, categories: [28] }),
    ]).expect(201);
    expect(res.body.results[0].violations).toEqual([]);
    expect(res.body.results[1].violations).toEqual([expect.objectContaining({ code: 'category-destroyed' })]);
  });

  it('judges the records of a batch in the order they happened, not the order of the array', async () => {
    const at = (day: number) => `2026-10-0${day}T09:00:00Z`;
    const sent = [
      aRecord({ occurredAt: at(1), categories: [9, 10] }),
      aRecord({ operation: 'access', source: undefined, categories: [9], occurredAt: at(5) }),
      aRecord({ operation: 'destroy', source: undefined, categories: [9], occurredAt: at(4) }),
      aRecord({ operation: 'access', source: undefined, categories: [10], occurredAt: at(5), note: 'after the block' }),
      aRecord({ operation: 'access', source: undefined, categories: [10], occurredAt: at(3), note: 'before the block' }),
      aRecord({ operation: 'block', source: undefined, categories: [10], occurredAt: at(4) }),
    ];
    const res = await postBatch(sent).expect(201);
    // Answered in the array's order, each record with its own verdict.
    expect(res.body.results.map((r: { recordId: string }) => r.recordId)).toEqual(sent.map((r) => r.recordId));
    expect(res.body.results.map((r: { violations: { code: string }[] }) => r.violations.map((v) => v.code)))
      .toEqual([[], ['category-destroyed'], [], ['blocked-data-processed'], [], []]);
    // Stored in the order they happened: the stream's revisions follow occurredAt.
    const revisions = res.body.results.map((r: { streamRevision: number }) => r.streamRevision);
    expect(revisions).toEqual([0, 4, 2, 5, 1, 3]);
    // Records of the same instant keep the array's order.
    const same = await postBatch([aRecord({ occurredAt: at(6), note: 'first' }), aRecord({ occurredAt: at(6), note: 'second' })]).expect(201);
    expect(same.body.results.map((r: { streamRevision: number }) => r.streamRevision)).toEqual([6, 7]);
  });

  it('orders a batch past the millisecond the ledger keeps: an access 0.8 ms after a destruction, in the same millisecond and listed before it, is flagged', async () => {
    const res = await postBatch([
      aRecord({ operation: 'access', source: undefined, categories: [28], occurredAt: '2026-10-01T09:00:00.0019Z' }),
      aRecord({ operation: 'destroy', source: undefined, categories: [28], occurredAt: '2026-10-01T09:00:00.0011Z' }),
    ]).expect(201);
    expect(res.body.results.map((r: { violations: { code: string }[] }) => r.violations.map((v) => v.code))).toEqual([['category-destroyed'], []]);
    expect(res.body.results.map((r: { streamRevision: number }) => r.streamRevision)).toEqual([1, 0]);
  });

  it('keeps the batch\'s order for equal instants, however written, and orders an offset against Z past the millisecond', async () => {
    const revisions = async (occurredAt: readonly string[]) => (await postBatch(occurredAt.map((at, i) => aRecord({ occurredAt: at, note: `n${i}` }))).expect(201))
      .body.results.map((r: { streamRevision: number }) => r.streamRevision);
    // One instant: with and without digits past the millisecond, in UTC and at +05:00.
    expect(await revisions(['2026-10-02T09:00:00.001Z', '2026-10-02T14:00:00.001000+05:00', '2026-10-02T09:00:00.001000000Z'])).toEqual([0, 1, 2]);
    // 09:00:00.0019 at +05:00 is 0.0009 s after 04:00:00.001 in UTC: listed first, stored after it.
    expect(await revisions(['2026-10-03T09:00:00.0019+05:00', '2026-10-03T04:00:00.001Z', '2026-10-03T04:00:00.00195Z'])).toEqual([4, 3, 5]);
  });

  it('rejects the whole batch when one record is malformed, naming its index, and writes nothing', async () => {
    const res = await postBatch([aRecord(), aRecord(), aRecord({ subject: { iin: '791028302720' } })]).expect(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.errors).toEqual([expect.objectContaining({ index: 2, field: 'records[2].subject.iin', reason: expect.stringContaining('check-digit') })]);
    const shape = await postBatch([aRecord(), { ...aRecord(), operation: 42 }]).expect(400);
    expect(shape.body.errors).toEqual([expect.objectContaining({ index: 1, field: 'records[1].operation' })]);
    expect(await t.written()).toBe(0);
  });

  it('rejects a batch with a look-alike actor id in one record, naming its index, and writes nothing', async () => {
    const lookAlike = { id: 'hг-17', role: 'hr-specialist', unit: 'personnel-management' };
    const res = await postBatch([aRecord(), aRecord({ actor: lookAlike })]).expect(400);
    expect(res.body.errors).toEqual([{ index: 1, field: 'records[1].actor.id', reason: expect.stringContaining('must not mix scripts in one word: "hг"') }]);
    expect(await t.written()).toBe(0);
  });

  it('lists at most 100 errors of a batch of many bad records, and says how many more there were', async () => {
    // Refused by the records' shape (an unknown field each), then by their content (a wrong check digit each).
    const unknown = await postBatch(Array.from({ length: 300 }, () => ({ ...aRecord(), colour: 'red' }))).expect(400);
    const content = await postBatch(Array.from({ length: 300 }, () => aRecord({ subject: { iin: '791028302720' } }))).expect(400);
    for (const [res, field] of [[unknown, 'colour'], [content, 'subject.iin']] as const) {
      expect(res.body.errors).toHaveLength(101);
      expect(res.body.errors[99]).toMatchObject({ index: 99, field: `records[99].${field}` });
      expect(res.body.errors[100]).toEqual({ field: '(more)', reason: '200 more errors, not listed' });
      expect(res.body.message).toMatch(/\(and 299 more\)$/);
    }
    expect(await t.written()).toBe(0);
  });

  it('refuses an empty batch, a batch over 1,000 and a batch that is not an array', async () => {
    expect((await postBatch([]).expect(400)).body.errors[0].field).toBe('records');
    const big = Array.from({ length: 1001 }, () => aRecord());
    expect((await postBatch(big).expect(400)).body.errors[0]).toMatchObject({ field: 'records', reason: expect.stringContaining('at most 1000') });
    expect((await postBatch('nope').expect(400)).body.code).toBe('invalid_request');
    expect(await t.written()).toBe(0);
  });

  it('takes a full batch of 1,000', async () => {
    const records = Array.from({ length: 1000 }, (_, i) => aRecord({ operation: 'access', source: undefined, subject: { iin: i % 2 ? IIN : OTHER_IIN } }));
    const res = await postBatch(records).expect(201);
    expect(res.body.created).toBe(1000);
    expect(await t.written()).toBe(1000);
  });

  it('answers a fully repeated batch with 200 and a partly repeated one with 201, appending only the new', async () => {
    const first = [aRecord(), aRecord()];
    const created = await postBatch(first).expect(201);
    const again = await postBatch(first).expect(200);
    expect(again.body).toMatchObject({ created: 0, duplicates: 2 });
    expect(again.body.results.map((r: { position: number }) => r.position)).toEqual(created.body.results.map((r: { position: number }) => r.position));
    const mixed = await postBatch([first[0], aRecord()]).expect(201);
    expect(mixed.body.results.map((r: { status: string }) => r.status)).toEqual(['duplicate', 'created']);
    expect(await t.written()).toBe(3);
  });

  it('treats a record repeated inside one batch as one record, and a differing repeat as a conflict', async () => {
    const record = aRecord();
    const res = await postBatch([record, record]).expect(201);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['created', 'duplicate']);
    expect(await t.written()).toBe(1);
    const other = aRecord();
    const conflict = await postBatch([other, { ...other, purpose: 'P03' }]).expect(409);
    expect(conflict.body.errors).toEqual([expect.objectContaining({ index: 1, field: 'records[1].recordId' })]);
    expect(await t.written()).toBe(1);
  });

  it('refuses a batch reusing a stored recordId with another body, writing none of it', async () => {
    const stored = aRecord();
    await postBatch([stored]).expect(201);
    const res = await postBatch([aRecord(), { ...stored, note: 'changed' }]).expect(409);
    expect(res.body).toMatchObject({ code: 'record_id_conflict', errors: [expect.objectContaining({ index: 1 })] });
    expect(await t.written()).toBe(1);
    // A batch of one names its record as any batch does (it was `recordId`, without the index).
    const alone = await postBatch([{ ...stored, note: 'changed' }]).expect(409);
    expect(alone.body.errors).toEqual([{ field: 'records[0].recordId', reason: 'was already recorded with a different body', index: 0 }]);
    // A single record has no index.
    const single = await t.http.post('/v1/processing-records').send({ ...stored, note: 'changed' }).expect(409);
    expect(single.body.errors).toEqual([{ field: 'recordId', reason: 'was already recorded with a different body' }]);
    expect(await t.written()).toBe(1);
  });

  it("refuses a version-8 recordId (the ledger's own ids) in any record of a batch, naming it, and writes nothing", async () => {
    const res = await postBatch([aRecord(), aRecord({ recordId: derivedUuid('anything') })]).expect(400);
    expect(res.body.errors).toEqual([{ field: 'records[1].recordId', reason: "UUID version 8 is reserved for the ledger's own events", index: 1 }]);
    expect(await t.written()).toBe(0);
  });
});
