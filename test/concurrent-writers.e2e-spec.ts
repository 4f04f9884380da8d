import { ANY, SqliteEventStore, type EventData, type ExpectedRevision } from '@derbes/event-store';
import { aRecord, startTestApp, type TestApp } from './support/test-app';

/** Another writer's event in the subject's stream, as a second ledger process sharing the file would append it. */
let foreign = 0;
async function foreignAppend(t: TestApp, subjectId: string, template: EventData): Promise<void> {
  const id = `99999999-0000-4000-8000-${String(++foreign).padStart(12, '0')}`;
  await t.store.appendToStream(`subject-${subjectId}`, [{ ...template, id, data: { ...template.data, recordId: id } }], ANY);
}

describe('a writer outside this process', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('makes the append miss its expected revision; the record is decided again on fresh state and stored once', async () => {
    const first = await t.http.post('/v1/processing-records').send(aRecord({ operation: 'access', source: undefined, categories: [28] })).expect(201);
    const [stored] = await t.writtenEvents();
    // The other writer destroys category 28 behind this process's cached state.
    await foreignAppend(t, first.body.subjectId, {
      id: stored!.id, type: stored!.type, metadata: stored!.metadata,
      data: { ...stored!.data, operation: 'destroy' },
    });
    const second = await t.http.post('/v1/processing-records').send(aRecord({ operation: 'access', source: undefined, categories: [28] })).expect(201);
    expect(second.body.streamRevision).toBe(2);
    // Decided on the reloaded state: the access to destroyed data is flagged.
    expect(second.body.violations).toEqual([expect.objectContaining({ code: 'category-destroyed', category: 28 })]);
    expect(await t.written()).toBe(3);
  });
});

describe('a subject that another writer keeps changing', () => {
  it('is retried a bounded number of times, then refused with 503 and nothing written', async () => {
    const t = await startTestApp();
    try {
      const first = await t.http.post('/v1/processing-records').send(aRecord({ operation: 'access', source: undefined })).expect(201);
      const [stored] = await t.writtenEvents();
      const store = t.store as SqliteEventStore;
      const append = store.appendToStream.bind(store);
      let interference = 0;
      // Before each of this process's appends, the other writer gets in first.
      store.appendToStream = async (streamId: string, events: readonly EventData[], expected: ExpectedRevision) => {
        if (streamId === `subject-${first.body.subjectId}` && events[0]?.id !== undefined && !events[0].id.startsWith('9')) {
          interference++;
          await foreignAppend(t, first.body.subjectId, { id: stored!.id, type: stored!.type, data: stored!.data, metadata: stored!.metadata });
        }
        return append(streamId, events, expected);
      };
      const record = aRecord({ operation: 'access', source: undefined });
      const res = await t.http.post('/v1/processing-records').send(record).expect(503);
      expect(res.body).toMatchObject({ statusCode: 503, code: 'concurrency_exhausted' });
      expect(res.headers['retry-after']).toBe('1');
      expect(interference).toBe(5);
      expect(await store.readEventById(record.recordId as string)).toBeUndefined();
    } finally {
      await t.close();
    }
  });
});
