import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATA_KEY_STORE, type DataKeyStore } from '../apps/ledger/src/data-keys/data-key-store';
import { aRecord, OTHER_IIN, READER, startTestApp, type TestApp } from './support/test-app';

const NOTE = 'complaint by Marat Seitkali about the competition file';
const SHREDDED_AT = '2026-11-25T12:00:00.000Z';

/**
 * A destruction of a subject's key is written down before its event is appended, so that a crash between the append
 * and the key's destruction is finished at the next start: the ledger never says a key was destroyed that still
 * opens the texts. Here the "crash" is the key store failing right after the append.
 */
describe('crypto-shredding across a crash between the recorded destruction and the key', () => {
  let dir: string;
  let t: TestApp;
  const env = () => ({ DERBES_DATA_DIR: dir, DERBES_EVENT_STORE: join(dir, 'events.db') });
  const keys = () => t.app.get<DataKeyStore>(DATA_KEY_STORE);
  const notes = async (subjectId: string) => (await t.http.get(`/v1/subjects/${subjectId}/events`).set(READER).expect(200)).body.items
    .filter((e: { type: string }) => e.type === 'ProcessingRecorded').map((e: { note: string | null }) => e.note);
  /** The key store fails to destroy (as if the process died there), once. */
  const crashBeforeTheKeyGoes = () => {
    const store = keys();
    const settle = store.settleDestruction.bind(store);
    store.settleDestruction = async () => {
      store.settleDestruction = settle;
      throw new Error('the process stopped here');
    };
  };
  const restart = async () => {
    await t.close();
    t = await startTestApp(env());
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'derbes-shred-crash-'));
    t = await startTestApp(env());
  });
  afterEach(async () => {
    await t.close();
  });

  it('a shredding recorded but not carried out is carried out at the next start', async () => {
    const { subjectId } = (await t.http.post('/v1/processing-records').send(aRecord({ note: NOTE })).expect(201)).body;
    crashBeforeTheKeyGoes();
    await t.as('official').post(`/v1/subjects/${subjectId}/shred`).send({ reason: 'storage period ended' }).expect(500);
    // The event is stored, the key is not yet destroyed: the destruction stays written down.
    expect((await t.store.readStream(`subject-${subjectId}`)).map((e) => e.type)).toEqual(['ProcessingRecorded', 'SubjectDataKeyDestroyed']);
    const [pending] = await keys().pendingDestructions();
    expect(pending).toEqual({ subjectId, eventId: (await t.store.readStream(`subject-${subjectId}`))[1]?.id, at: SHREDDED_AT });
    expect(await notes(subjectId)).toEqual([NOTE]);

    await restart();
    expect(await notes(subjectId)).toEqual([null]);
    expect(await keys().find(subjectId, 1)).toBe('destroyed');
    expect(await keys().destroyedAt(subjectId, 1)).toBe(SHREDDED_AT);
    expect(await keys().pendingDestructions()).toEqual([]);
  });

  it('a destruction request answered but not carried out is carried out at the next start', async () => {
    const { subjectId } = (await t.http.post('/v1/processing-records').send(aRecord({ subject: { iin: OTHER_IIN }, note: NOTE })).expect(201)).body;
    const { requestId } = (await t.http.post('/v1/subject-requests').send({
      subject: { iin: OTHER_IIN }, kind: 'destruction', channel: 'in-person', receivedAt: '2026-11-24T10:00:00+05:00', categories: [28],
    }).expect(201)).body;
    crashBeforeTheKeyGoes();
    await t.http.post(`/v1/subject-requests/${requestId}/answer`).send({}).expect(500);
    expect((await t.store.readStream(`subject-${subjectId}`)).map((e) => e.type).slice(-2)).toEqual(['SubjectDataKeyDestroyed', 'SubjectRequestAnswered']);

    await restart();
    expect(await notes(subjectId)).toEqual([null, null]);
    expect(await keys().pendingDestructions()).toEqual([]);
    // Answered once: a repeat is refused, and writes nothing.
    await t.http.post(`/v1/subject-requests/${requestId}/answer`).send({}).expect(409);
  });

  it('a destruction written down whose event was never stored is forgotten at a start once stale, the key kept', async () => {
    const { subjectId } = (await t.http.post('/v1/processing-records').send(aRecord({ note: NOTE })).expect(201)).body;
    const stale = { subjectId, eventId: '0b6ad1f4-3d2c-4e55-9a41-7c1e2f3a4b5c', at: '2026-11-25T11:49:00.000Z' };
    // Written down a moment ago: its append may still be on its way in another process (a CLI command starting
    // beside the server must not take that from it), so a start leaves it.
    const fresh = { subjectId, eventId: '5e0c2b7a-1f3d-4c8e-9b6a-2d4f6a8c0e1b', at: SHREDDED_AT };
    await keys().intendDestruction(stale);
    await keys().intendDestruction(fresh);
    await restart();
    expect(await keys().pendingDestructions()).toEqual([fresh]);
    expect(await notes(subjectId)).toEqual([NOTE]);
  });

  it('a shredding that goes through leaves nothing written down', async () => {
    const { subjectId } = (await t.http.post('/v1/processing-records').send(aRecord({ note: NOTE })).expect(201)).body;
    await t.as('official').post(`/v1/subjects/${subjectId}/shred`).send({ reason: 'storage period ended' }).expect(200);
    expect(await keys().pendingDestructions()).toEqual([]);
    expect(await notes(subjectId)).toEqual([null]);
  });
});
