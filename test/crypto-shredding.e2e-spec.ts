import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aRecord, IIN, OTHER_IIN, READER, startTestApp, type TestApp } from './support/test-app';

/** Texts that could identify a person: each must be stored sealed, shown in clear, then never again after shredding. */
const NOTE = 'complaint by Marat Seitkali about the competition file';
const SOURCE = 'Almaty city court, case 2-118/2026';
const PERSON = 'Aigerim Bekova';
const REFERENCE = 'notarised consent 77-AB-1234';
const DETAIL = 'destroy my medical certificates, Seitkali family';
const ANSWER_NOTE = 'paper copies shredded in the presence of Marat Seitkali';
const SECRETS = [NOTE, SOURCE, PERSON, REFERENCE, DETAIL, ANSWER_NOTE];

const SHREDDED_AT = '2026-11-25T12:00:00.000Z';

/** Every byte of the event store and read-model files of a data directory (WAL files included), data keys left out. */
function storedBytes(dir: string): Buffer {
  return Buffer.concat(readdirSync(dir).filter((f) => statSync(join(dir, f)).isFile()).map((f) => readFileSync(join(dir, f))));
}

describe('crypto-shredding', () => {
  let dir: string;
  let t: TestApp;
  let subjectId: string;
  let last: number;

  const collect = () => aRecord({ source: { kind: 'third-party', name: SOURCE }, note: NOTE });
  const toPerson = () => aRecord({
    operation: 'transfer', source: undefined, note: undefined, occurredAt: '2026-11-21T09:30:00Z', categories: [1, 28],
    recipient: { name: PERSON, country: 'DE', kind: 'person' }, transferGround: { kind: 'consent', reference: REFERENCE },
  });
  const toFund = () => aRecord({
    operation: 'transfer', source: undefined, note: undefined, occurredAt: '2026-11-22T09:30:00Z', categories: [30],
    recipient: { name: 'Pension fund', country: 'KZ' },
  });
  const history = (id = subjectId) => t.http.get(`/v1/subjects/${id}/history`).set(READER).query({ lang: 'en', position: String(last) }).expect(200);
  /** The subject's processing records in their history, newest first (the reads of their file, this test's own, left out). */
  const records = async (id = subjectId) => (await history(id)).body.items.filter((i: { operation: string }) => i.operation !== 'read');
  const transfers = () => t.http.get('/v1/reports/transfers').query({ from: '2026-01-01', to: '2026-12-31', position: String(last) }).expect(200);
  const report = (format = 'json', id = subjectId) =>
    t.http.get(`/v1/subjects/${id}/access-report`).set(READER).query({ lang: 'en', format }).expect(200);
  const events = (id = subjectId) => t.http.get(`/v1/subjects/${id}/events`).set(READER).expect(200);
  const post = async (record: Record<string, unknown>) => {
    const res = await t.http.post('/v1/processing-records').send(record).expect(201);
    last = res.body.position;
    return res;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'derbes-shred-'));
    t = await startTestApp({ DERBES_DATA_DIR: dir, DERBES_EVENT_STORE: join(dir, 'events.db') });
    subjectId = (await post(collect())).body.subjectId;
    await post(toPerson());
    await post(toFund());
  });
  afterAll(async () => {
    await t.close();
  });

  it('stores notes, a third party, a person recipient and a consent reference sealed: in no event, in no read model', async () => {
    const stored = JSON.stringify(await t.store.readAll());
    for (const secret of SECRETS) expect(stored).not.toContain(secret);
    expect(stored).toContain('sealed:v1:1:');
    // An organization's name is no person's data: it stays in clear, and the aggregate reports can name it.
    expect(stored).toContain('Pension fund');
    // The read models have applied everything by now; their files hold sealed text only.
    await history();
    await transfers();
    const bytes = storedBytes(dir);
    for (const secret of SECRETS) expect(bytes.includes(Buffer.from(secret, 'utf8'))).toBe(false);
    expect(bytes.includes(Buffer.from('Pension fund', 'utf8'))).toBe(true);
    // The keys live apart, in data-keys/, which backups leave out.
    expect(readdirSync(join(dir, 'data-keys')).sort()).toEqual(['keys.db', 'keys.db-shm', 'keys.db-wal']);
  });

  it('shows the texts in clear where the data is read (history, events, inventory, access report), never in the transfers report', async () => {
    const items = await records();
    expect(items.map((i: { operation: string }) => i.operation)).toEqual(['transfer', 'transfer', 'collect']);
    expect(items[2]).toMatchObject({ note: NOTE, source: { kind: 'third-party', name: SOURCE } });
    expect(items[1]).toMatchObject({ recipient: { name: PERSON, country: 'DE', kind: 'person' } });
    expect(items[0]).toMatchObject({ recipient: { name: 'Pension fund', country: 'KZ', kind: 'organization' } });
    for (const item of items) expect(item).not.toHaveProperty('shredded');

    const stream = (await events()).body.items.filter((e: { type: string }) => e.type === 'ProcessingRecorded');
    expect(stream[0]).toMatchObject({ note: NOTE, source: { name: SOURCE } });
    expect(stream[1]).toMatchObject({ recipient: { name: PERSON, kind: 'person' }, transferGround: { kind: 'consent', reference: REFERENCE } });

    const inventory = (await t.http.get(`/v1/subjects/${subjectId}/inventory`).set(READER).query({ position: String(last) }).expect(200)).body;
    const fullName = inventory.categories.find((c: { number: number }) => c.number === 1);
    expect(fullName).toMatchObject({ sources: [{ kind: 'third-party', name: SOURCE }], recipients: [{ name: PERSON, country: 'DE' }] });

    // The transfers report reads nobody's file: it names no person, so it is not recorded.
    const transfersReport = (await transfers()).body;
    const person = transfersReport.items.find((i: { recipient: { country: string } }) => i.recipient.country === 'DE');
    expect(person).toMatchObject({
      recipient: { name: null, kind: 'person' }, transferGround: { reference: null }, sealed: { fields: ['recipient.name', 'transferGround.reference'] },
    });
    // Aggregates name organizations only: a person's name is sealed per subject and counted apart.
    expect(transfersReport.totals).toMatchObject({ transfers: 2, byRecipient: { 'Pension fund': 1 }, toPersons: 1 });

    const access = (await report()).body;
    expect(access.transfers.map((x: { recipient: string }) => x.recipient)).toEqual([PERSON, 'Pension fund']);
    expect(access.transfers[0].ground).toEqual({ kind: 'consent', reference: REFERENCE });
    expect(access.categories[0].sources).toEqual([{ kind: 'third-party', name: SOURCE }]);
  });

  it('documents recipient.kind, the shred endpoint and the shredded marker in OpenAPI', async () => {
    const docs = (await t.http.get('/docs-json').expect(200)).body;
    expect(docs.components.schemas.RecipientDto.properties.kind).toMatchObject({ enum: ['organization', 'person'], default: 'organization' });
    expect(docs.components.schemas.RecipientDto.required).not.toContain('kind');
    const shred = docs.paths['/v1/subjects/{subjectId}/shred'].post;
    expect(Object.keys(shred.responses).sort()).toEqual(['200', '400', '404', 'default']);
    expect(docs.components.schemas.ShredSubjectDto.required).toEqual(['reason']);
    expect(docs.components.schemas.SubjectHistoryEntryDto.properties.shredded).toBeDefined();
    expect(docs.components.schemas.TransfersTotalsDto.properties.toPersons).toBeDefined();
  });

  it('only the official may shred, for a known subject, with a reason that names nobody', async () => {
    const shred = (who: string, id: string, body: object) => t.as(who).post(`/v1/subjects/${id}/shred`).send(body);
    await shred('auditorWithGrant', subjectId, { reason: 'storage period ended' }).expect(403);
    await shred('admin', subjectId, { reason: 'storage period ended' }).expect(403);
    await shred('emitter:hr-portal', subjectId, { reason: 'storage period ended' }).expect(403);
    await shred('official', subjectId, {}).expect(400);
    await shred('official', subjectId, { reason: `file of ${IIN}` }).expect(400);
    await shred('official', subjectId, { reason: '\u200b \u3000' }).expect(400)
      .expect((res) => expect(res.body.errors).toEqual([{ field: 'reason', reason: 'must be a reason in words' }]));
    await shred('official', 'f'.repeat(64), { reason: 'storage period ended' }).expect(404)
      .expect((res) => expect(res.body.code).toBe('subject_not_found'));
    await shred('official', 'not-a-subject', { reason: 'storage period ended' }).expect(400);
    expect(JSON.stringify(await t.store.readAll())).not.toContain('SubjectDataKeyDestroyed');
  });

  describe('after the end of the storage period (POST /v1/subjects/{id}/shred)', () => {
    let shredAt = 0;
    beforeAll(async () => {
      const res = await t.as('official').post(`/v1/subjects/${subjectId}/shred`).send({ reason: 'storage period ended (75 years)' }).expect(200);
      expect(res.body).toEqual({ subjectId, destroyedAt: SHREDDED_AT, eventId: expect.any(String), position: expect.any(Number) });
      last = res.body.position;
      shredAt = res.body.position;
    });

    it('records SubjectDataKeyDestroyed in the stream, ignored by the read models', async () => {
      const stream = (await events()).body.items;
      expect(stream.filter((e: { type: string }) => e.type === 'SubjectDataKeyDestroyed')).toEqual([expect.objectContaining({
        schemaVersion: 1, subjectId, destroyedAt: SHREDDED_AT, reason: 'storage period ended (75 years)',
        by: { id: 'hr-director', role: 'official', unit: 'personnel-management' },
      })]);
      const health = (await t.as('official').get('/health').expect(200)).body;
      expect(JSON.stringify(health)).not.toMatch(/"error":"[^"]/);
    });

    it('keeps every entry readable as metadata, its texts unreadable and marked', async () => {
      const items = await records();
      expect(items.map((i: { operation: string; occurredAt: string }) => [i.operation, i.occurredAt])).toEqual([
        ['transfer', '2026-11-22T09:30:00.000Z'], ['transfer', '2026-11-21T09:30:00.000Z'], ['collect', '2026-11-20T09:30:00.000Z'],
      ]);
      expect(items[2]).toMatchObject({
        categories: [{ number: 1 }, { number: 2 }, { number: 28 }], purpose: { code: 'P01' },
        note: null, source: { kind: 'third-party', name: null },
        shredded: { destroyedAt: SHREDDED_AT, fields: ['note', 'source.name'] },
      });
      expect(items[1]).toMatchObject({
        recipient: { name: null, country: 'DE', kind: 'person' }, note: null, shredded: { destroyedAt: SHREDDED_AT, fields: ['recipient.name'] },
      });
      // An organization's name was never sealed: shredding leaves it.
      expect(items[0]).toMatchObject({ recipient: { name: 'Pension fund' } });
      expect(items[0]).not.toHaveProperty('shredded');

      const stream = (await events()).body.items.filter((e: { type: string }) => e.type === 'ProcessingRecorded');
      expect(stream[1]).toMatchObject({
        operation: 'transfer', recipient: { name: null }, transferGround: { kind: 'consent', reference: null },
        shredded: { destroyedAt: SHREDDED_AT, fields: ['recipient.name', 'transferGround.reference'] },
      });

      const inventory = (await t.http.get(`/v1/subjects/${subjectId}/inventory`).set(READER).query({ position: String(last) }).expect(200)).body;
      expect(inventory.categories.find((c: { number: number }) => c.number === 1)).toMatchObject({
        known: true,
        sources: [{ kind: 'third-party', name: null, shredded: { destroyedAt: SHREDDED_AT, fields: ['name'] } }],
        recipients: [{ name: null, country: 'DE', shredded: { destroyedAt: SHREDDED_AT, fields: ['name'] } }],
      });

      // The transfers report never opened them: it shows them as before.
      const toPerson = (await transfers()).body.items.find((i: { recipient: { country: string } }) => i.recipient.country === 'DE');
      expect(toPerson).toMatchObject({
        recipient: { name: null, country: 'DE', kind: 'person' }, transferGround: { kind: 'consent', reference: null },
        sealed: { fields: ['recipient.name', 'transferGround.reference'] },
      });
      expect(toPerson).not.toHaveProperty('shredded');
    });

    it('the access report says "destroyed on <date>" in place of each text, in every format', async () => {
      const json = (await report()).body;
      expect(json.transfers.map((x: { recipient: string }) => x.recipient)).toEqual(['destroyed on 25 November 2026', 'Pension fund']);
      expect(json.transfers[0].ground).toEqual({ kind: 'consent', reference: 'destroyed on 25 November 2026' });
      expect(json.categories[0].sources).toEqual([{ kind: 'third-party', name: 'destroyed on 25 November 2026' }]);
      expect(json.events.filter((e: { operation: string }) => e.operation !== 'read').map((e: { operation: string }) => e.operation))
        .toEqual(['collect', 'transfer', 'transfer']);
      const html = (await report('html')).text;
      expect(html).toContain('destroyed on 25 November 2026');
      const ru = (await t.http.get(`/v1/subjects/${subjectId}/access-report`).set(READER).query({ lang: 'ru' }).expect(200)).body;
      expect(ru.transfers[0].recipient).toBe('уничтожено 25.11.2026');
      for (const secret of SECRETS) expect(JSON.stringify(json) + html).not.toContain(secret);
    });

    it('leaves the plain texts nowhere in the store or the read models', async () => {
      const stored = JSON.stringify(await t.store.readAll());
      const bytes = storedBytes(dir);
      for (const secret of SECRETS) {
        expect(stored).not.toContain(secret);
        expect(bytes.includes(Buffer.from(secret, 'utf8'))).toBe(false);
      }
    });

    it('answers a repeat, even many at once, with the destruction already recorded, and records nothing more', async () => {
      const before = (await t.store.readStream(`subject-${subjectId}`)).length;
      const repeats = await Promise.all(Array.from({ length: 5 }, () =>
        t.as('official').post(`/v1/subjects/${subjectId}/shred`).send({ reason: 'asked again' }).expect(200)));
      for (const r of repeats) expect(r.body).toEqual({ subjectId, destroyedAt: SHREDDED_AT, eventId: expect.any(String), position: shredAt });
      const stream = await t.store.readStream(`subject-${subjectId}`);
      expect(stream).toHaveLength(before);
      expect(stream.filter((e) => e.type === 'SubjectDataKeyDestroyed')).toHaveLength(1);
    });

    it('seals a later record (new processing) with a fresh key version, readable while the old texts stay destroyed', async () => {
      await post(aRecord({ operation: 'access', source: undefined, note: 'annual review 2027', occurredAt: '2026-11-24T09:30:00Z' }));
      const [event] = await t.store.readAll({ after: last - 1 });
      expect(event?.data.note).toMatch(/^sealed:v1:2:/);
      const items = await records();
      expect(items[0]).toMatchObject({ operation: 'access', note: 'annual review 2027' });
      expect(items[0]).not.toHaveProperty('shredded');
      expect(items.find((i: { operation: string }) => i.operation === 'collect')).toMatchObject({ note: null, shredded: { destroyedAt: SHREDDED_AT } });
    });

    it('shreds again after new processing: the fresh key is destroyed and a second destruction recorded', async () => {
      const again = await t.as('official').post(`/v1/subjects/${subjectId}/shred`).send({ reason: 'left the service' }).expect(200);
      expect(again.body.position).toBeGreaterThan(shredAt);
      const stream = await t.store.readStream(`subject-${subjectId}`);
      expect(stream.filter((e) => e.type === 'SubjectDataKeyDestroyed').map((e) => e.position)).toEqual([shredAt, again.body.position]);
      expect((await records())[0]).toMatchObject({ operation: 'access', note: null, shredded: expect.any(Object) });
    });
  });

  it('a destruction request carries out the destruction, records the key destroyed in the same append, and destroys it', async () => {
    const other = (await post(aRecord({ subject: { iin: OTHER_IIN }, categories: [1, 28], note: NOTE }))).body.subjectId;
    const received = await t.http.post('/v1/subject-requests').send({
      subject: { iin: OTHER_IIN }, kind: 'destruction', channel: 'in-person', receivedAt: '2026-11-24T10:00:00+05:00', categories: [28], detail: DETAIL,
    }).expect(201);
    const { requestId } = received.body;
    expect((await events(other)).body.items.find((e: { type: string }) => e.type === 'SubjectRequestReceived'))
      .toMatchObject({ schemaVersion: 3, detail: DETAIL });
    const answered = await t.http.post(`/v1/subject-requests/${requestId}/answer`).send({ note: ANSWER_NOTE }).expect(200);
    last = answered.body.position;

    const stream = await t.store.readStream(`subject-${other}`);
    expect(stream.map((e) => e.type)).toEqual([
      'ProcessingRecorded', 'SubjectRequestReceived', 'SubjectFileRead', 'ProcessingRecorded', 'SubjectDataKeyDestroyed', 'SubjectRequestAnswered',
    ]);
    // One append: the destroy record, the key's destruction and the answer are consecutive in the log.
    expect(stream.slice(3).map((e) => e.position)).toEqual([last - 2, last - 1, last]);
    expect(stream[4]?.data).toEqual({
      subjectId: other, destroyedAt: SHREDDED_AT, reason: `destruction request ${requestId}`,
      by: { id: 'hr-director', role: 'official', unit: 'personnel-management' },
    });

    const shown = (await events(other)).body.items;
    expect(shown.find((e: { type: string }) => e.type === 'SubjectRequestReceived'))
      .toMatchObject({ kind: 'destruction', categories: [{ number: 28 }], detail: null, shredded: { destroyedAt: SHREDDED_AT, fields: ['detail'] } });
    expect(shown.find((e: { type: string }) => e.type === 'SubjectRequestAnswered'))
      .toMatchObject({ requestId, note: null, shredded: { destroyedAt: SHREDDED_AT, fields: ['note'] } });
    const items = await records(other);
    expect(items.map((i: { operation: string }) => i.operation)).toEqual(['destroy', 'collect']);
    expect(items[1]).toMatchObject({ categories: [{ number: 1 }, { number: 28 }], purpose: { code: 'P01' }, note: null, shredded: { destroyedAt: SHREDDED_AT } });
    const access = (await report('json', other)).body;
    expect(access.requests).toEqual([expect.objectContaining({ requestId, kind: 'destruction', status: 'answered' })]);
    expect(access.categories.find((c: { category: { number: number } }) => c.category.number === 28)).toMatchObject({ held: false, destroyedAt: SHREDDED_AT });

    const stored = JSON.stringify(await t.store.readAll());
    const bytes = storedBytes(dir);
    for (const secret of [NOTE, DETAIL, ANSWER_NOTE]) {
      expect(stored).not.toContain(secret);
      expect(bytes.includes(Buffer.from(secret, 'utf8'))).toBe(false);
    }
  });
});
