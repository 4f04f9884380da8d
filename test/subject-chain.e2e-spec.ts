import { verifyChain, type ChainedEvent } from '@derbes/integrity';
import { IIN, OTHER_IIN, READER, aRecord, startTestApp, uuid, type TestApp } from './support/test-app';

/** A subject's stream as the chain verifier reads it. */
async function streamOf(t: TestApp, subjectId: string): Promise<ChainedEvent[]> {
  return (await t.store.readStream(`subject-${subjectId}`)) as unknown as ChainedEvent[];
}

describe("a subject's hash chain", () => {
  let t: TestApp;
  beforeEach(async () => { t = await startTestApp(); });
  afterEach(() => t.close());

  it('links every event of a subject to the one before it, whoever appended it: records, batches, requests, reads of the file', async () => {
    const first = await t.http.post('/v1/processing-records').send(aRecord()).expect(201);
    const subjectId = first.body.subjectId as string;
    await t.http.post('/v1/processing-records/batch').send({ records: [aRecord({ operation: 'access', source: undefined }), aRecord({ subject: { iin: OTHER_IIN } }), aRecord({ operation: 'change', source: undefined })] }).expect(201);
    await t.http.post('/v1/subject-requests').send({
      requestId: uuid(), subject: { iin: IIN }, kind: 'information', channel: 'egov', receivedAt: '2026-11-24T10:00:00+05:00',
    }).expect(201);
    await t.http.get(`/v1/subjects/${subjectId}/history`).set(READER).query({ position: String(await t.store.lastPosition()) }).expect(200);

    const events = await streamOf(t, subjectId);
    expect(events.map((e) => e.type)).toEqual(['ProcessingRecorded', 'ProcessingRecorded', 'ProcessingRecorded', 'SubjectRequestReceived', 'SubjectFileRead']);
    expect(events[0]?.metadata.previousHash).toBeNull();
    expect(verifyChain(events)).toMatchObject({ ok: true, unchained: 0 });
    const other = await streamOf(t, (await t.http.post('/v1/subjects/lookup').set(READER).send({ iin: OTHER_IIN })).body.subjectId);
    expect(other).toHaveLength(1);
    expect(verifyChain(other)).toMatchObject({ ok: true, unchained: 0 });
  });

  it('stays whole when concurrent requests append to the same subject (each links to the one committed before it)', async () => {
    await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 3 === 0
      ? t.http.post('/v1/processing-records/batch').send({ records: [aRecord({ operation: 'access', source: undefined }), aRecord({ operation: 'access', source: undefined })] }).expect(201)
      : t.http.post('/v1/processing-records').send(aRecord({ operation: 'access', source: undefined })).expect(201))));
    const { subjectId } = (await t.http.post('/v1/subjects/lookup').set(READER).send({ iin: IIN })).body;
    const events = await streamOf(t, subjectId);
    expect(events).toHaveLength(16);
    expect(verifyChain(events)).toMatchObject({ ok: true, unchained: 0 });
  });

  it('is broken, at the right revision, by an event altered after it was stored', async () => {
    for (let i = 0; i < 3; i++) await t.http.post('/v1/processing-records').send(aRecord({ operation: 'access', source: undefined })).expect(201);
    const { subjectId } = (await t.http.post('/v1/subjects/lookup').set(READER).send({ iin: IIN })).body;
    const events = await streamOf(t, subjectId);
    const altered = events.map((e, i) => (i === 1 ? { ...e, data: { ...e.data, purpose: 'P12' } } : e));
    expect(verifyChain(altered)).toMatchObject({ ok: false, revision: 2, code: 'previous-hash-mismatch' });
  });
});
