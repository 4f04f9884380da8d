import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANY, SqliteEventStore, type EventData, type ExpectedRevision } from '@derbes/event-store';
import { SubjectStateCache } from '../apps/ledger/src/processing-records/subject-state.cache';
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

describe('a decision made on top of another request\'s pending append', () => {
  it('is made again when that append loses to a writer in another process, so it rests on what is stored before it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-chained-'));
    const file = join(dir, 'events.db');
    const t = await startTestApp({ DERBES_DATA_DIR: dir, DERBES_EVENT_STORE: file });
    const otherProcess = SqliteEventStore.open(file);
    try {
      const first = await t.http.post('/v1/processing-records').send(aRecord({ categories: [28] })).expect(201);
      const [stored] = await t.writtenEvents();
      const destroy = aRecord({ operation: 'destroy', source: undefined, categories: [28] });
      const access = aRecord({ operation: 'access', source: undefined, categories: [28] });
      const store = t.store as SqliteEventStore;
      const append = store.appendToStream.bind(store);
      const destroyDecided = signal();
      const accessDecided = signal();
      const otherCommitted = signal();
      // The access, decided on top of the published destroy, publishes revision 2 (collect 0, destroy 1).
      const cache = t.app.get(SubjectStateCache);
      const remember = cache.remember.bind(cache);
      cache.remember = (streamId, loaded) => {
        remember(streamId, loaded);
        if (loaded.revision === 2) accessDecided.fire();
      };
      store.appendToStream = async (streamId: string, events: readonly EventData[], expected: ExpectedRevision) => {
        if (events[0]?.id === destroy.recordId && !otherCommitted.done) {
          // The destroy is decided and published, the access decided on top of it; then the other process appends.
          destroyDecided.fire();
          await accessDecided.promise;
          const id = '99999999-0000-4000-8000-000000000001';
          await otherProcess.appendToStream(streamId, [{ ...stored!, id, data: { ...stored!.data, recordId: id, operation: 'change' } }], ANY);
          otherCommitted.fire();
        }
        // Whenever the access comes to the store, the other process's event is there before it.
        if (events[0]?.id === access.recordId) await otherCommitted.promise;
        return append(streamId, events, expected);
      };
      const destroyed = t.http.post('/v1/processing-records').send(destroy).then((res) => res);
      await destroyDecided.promise;
      const accessed = await t.http.post('/v1/processing-records').send(access).expect(201);
      expect((await destroyed).status).toBe(201);
      const stream = await otherProcess.readStream(`subject-${first.body.subjectId}`);
      const order = stream.map((e) => e.id);
      // Without the wait, the access landed at the revision after the other process's event, flagged as an access
      // to destroyed data, with the destroy stored only after it.
      expect(order).toEqual([stored!.id, '99999999-0000-4000-8000-000000000001', destroy.recordId, access.recordId]);
      expect(accessed.body.violations).toEqual([expect.objectContaining({ code: 'category-destroyed', category: 28 })]);
    } finally {
      await otherProcess.close();
      await t.close();
    }
  });
});

function signal(): { promise: Promise<void>; fire: () => void; done: boolean } {
  const s = { done: false } as { promise: Promise<void>; fire: () => void; done: boolean };
  s.promise = new Promise<void>((resolve) => { s.fire = () => { s.done = true; resolve(); }; });
  return s;
}
