import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { verifyReport } from '@derbes/integrity';
import { childEnv, runCli } from './support/child-server';
import { binary, pdfText } from './support/pdf-text';
import { aRecord, IIN, OTHER_IIN, READER, uuid, startTestApp, type TestApp } from './support/test-app';

/** A refusal's reasons may name the person: sealed like a request's detail, gone with the subject's key. */
const REASON = 'investigation of Mr Bolat Sadykov';
const OTHER_REASON = 'Sadykov family court case 2-118/2026';
const SHREDDED_AT = '2026-11-25T12:00:00.000Z';
const DESTROYED_ON = 'destroyed on 25 November 2026';

/** Every byte of the event store and read-model files of a data directory (WAL files included), data keys left out. */
function storedBytes(dir: string): Buffer {
  return Buffer.concat(readdirSync(dir).filter((f) => statSync(join(dir, f)).isFile()).map((f) => readFileSync(join(dir, f))));
}

describe("crypto-shredding of a refusal's reasons", () => {
  let dir: string;
  let t: TestApp;
  let subjectId: string;
  let requestId: string;
  let last: number;

  const events = (id = subjectId) => t.http.get(`/v1/subjects/${id}/events`).set(READER).expect(200);
  const refusal = async (id = subjectId) => (await events(id)).body.items.find((e: { type: string }) => e.type === 'SubjectRequestRefused');
  const queued = async (status: 'refused' | 'closed', id = requestId) =>
    (await t.http.get('/v1/subject-requests').query({ status, position: String(last) }).expect(200)).body.items.find((r: { requestId: string }) => r.requestId === id);
  const report = (format: 'json' | 'html' | 'pdf', id = subjectId) => {
    const asked = t.http.get(`/v1/subjects/${id}/access-report`).set(READER).query({ lang: 'en', format });
    return format === 'pdf' ? asked.buffer(true).parse(binary).expect(200) : asked.expect(200);
  };
  /** The report's JSON, its HTML and its PDF's text. */
  const reports = async (id = subjectId) => ({
    json: (await report('json', id)).body,
    html: (await report('html', id)).text,
    pdf: pdfText((await report('pdf', id)).body as Buffer).replace(/\s+/g, ' '),
  });
  const keys = async () => (await request(t.server).get('/v1/integrity/keys').expect(200)).body as { publicKeyPem: string }[];
  /** `derbes verify-report` on the report, with the keys the ledger serves. */
  const verifiedByCli = async (json: unknown) => {
    const files = mkdtempSync(join(tmpdir(), 'derbes-refusal-report-'));
    writeFileSync(join(files, 'keys.json'), JSON.stringify(await keys()));
    writeFileSync(join(files, 'report.json'), JSON.stringify(json));
    return runCli(['verify-report', join(files, 'report.json'), '--public-keys', join(files, 'keys.json')], childEnv(files));
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'derbes-shred-refusal-'));
    t = await startTestApp({ DERBES_DATA_DIR: dir, DERBES_EVENT_STORE: join(dir, 'events.db') });
    subjectId = (await t.http.post('/v1/processing-records').send(aRecord({ categories: [1, 28], note: null })).expect(201)).body.subjectId;
    requestId = (await t.http.post('/v1/subject-requests').send({
      subject: { iin: IIN }, kind: 'information', channel: 'in-person', receivedAt: '2026-11-24T10:00:00+05:00',
    }).expect(201)).body.requestId;
    last = (await t.http.post(`/v1/subject-requests/${requestId}/refuse`).send({ reasons: [REASON, OTHER_REASON] }).expect(200)).body.position;
  });
  afterAll(async () => {
    await t.close();
  });

  it('stores the reasons sealed, as SubjectRequestRefused v2: in no event, in no read model', async () => {
    const [stored] = (await t.store.readStream(`subject-${subjectId}`)).filter((e) => e.type === 'SubjectRequestRefused');
    expect(stored?.metadata.schemaVersion).toBe(2);
    expect(stored?.data.reasons).toEqual([expect.stringMatching(/^sealed:v1:1:/), expect.stringMatching(/^sealed:v1:1:/)]);
    // The request queue has applied the refusal by now: its file holds the sealed reasons only.
    expect(await queued('refused')).toBeDefined();
    const bytes = storedBytes(dir);
    for (const secret of [REASON, OTHER_REASON, 'Sadykov']) {
      expect(JSON.stringify(await t.store.readAll())).not.toContain(secret);
      expect(bytes.includes(Buffer.from(secret, 'utf8'))).toBe(false);
    }
  });

  it('shows the reasons in clear before shredding: events, the queue of refused and closed requests, the access report', async () => {
    expect(await refusal()).toMatchObject({ requestId, schemaVersion: 2, reasons: [REASON, OTHER_REASON] });
    expect(await refusal()).not.toHaveProperty('shredded');
    for (const status of ['refused', 'closed'] as const) {
      const item = await queued(status);
      expect(item).toMatchObject({ status: 'refused', reasons: [REASON, OTHER_REASON] });
      expect(item).not.toHaveProperty('shredded');
    }
    const { json, html, pdf } = await reports();
    expect(json.requests).toEqual([expect.objectContaining({ requestId, status: 'refused', reasons: [REASON, OTHER_REASON] })]);
    expect(html).toContain(REASON);
    expect(pdf).toContain(REASON);
    // Its rows are checked against the stored events, where the reasons are sealed: it verifies.
    expect(verifyReport(json, (await keys()).map((k) => k.publicKeyPem))).toMatchObject({ ok: true });
  });

  describe('after a destruction request is answered (the subject\'s key destroyed)', () => {
    beforeAll(async () => {
      const destruction = (await t.http.post('/v1/subject-requests').send({
        subject: { iin: IIN }, kind: 'destruction', channel: 'in-person', receivedAt: '2026-11-24T11:00:00+05:00', categories: [28],
      }).expect(201)).body.requestId;
      last = (await t.http.post(`/v1/subject-requests/${destruction}/answer`).send({}).expect(200)).body.position;
    });

    it('shows the reasons as null, marked shredded, in the events and in the queue', async () => {
      const shredded = { destroyedAt: SHREDDED_AT, fields: ['reasons[0]', 'reasons[1]'] };
      expect(await refusal()).toMatchObject({ requestId, reasons: [null, null], shredded });
      for (const status of ['refused', 'closed'] as const) {
        expect(await queued(status)).toMatchObject({ requestId, status: 'refused', late: false, reasons: [null, null], shredded });
      }
    });

    it('says "destroyed on <date>" in place of each reason in the access report, which still verifies, by the command too', async () => {
      const { json, html, pdf } = await reports();
      const refused = json.requests.find((r: { requestId: string }) => r.requestId === requestId);
      expect(refused).toMatchObject({ status: 'refused', reasons: [DESTROYED_ON, DESTROYED_ON] });
      expect(html).toContain(DESTROYED_ON);
      expect(pdf).toContain(DESTROYED_ON);
      for (const secret of [REASON, OTHER_REASON, 'Sadykov']) expect(JSON.stringify(json) + html + pdf).not.toContain(secret);
      expect(verifyReport(json, (await keys()).map((k) => k.publicKeyPem))).toMatchObject({ ok: true });
      const cli = await verifiedByCli(json);
      expect(cli).toMatchObject({ code: 0, stdout: expect.stringContaining('verified') });
    }, 30_000);

    it('leaves the reasons nowhere in the store or the read models', async () => {
      const stored = JSON.stringify(await t.store.readAll());
      const bytes = storedBytes(dir);
      for (const secret of [REASON, OTHER_REASON, 'Sadykov']) {
        expect(stored).not.toContain(secret);
        expect(bytes.includes(Buffer.from(secret, 'utf8'))).toBe(false);
      }
    });
  });

  it('reads a refusal stored before v2 with its plain reasons, in every view, shredding or not', async () => {
    // Written as a build before v2 wrote it: the reasons in clear, schemaVersion 1. History is never rewritten.
    const other = (await t.http.post('/v1/processing-records').send(aRecord({ subject: { iin: OTHER_IIN }, note: null })).expect(201)).body.subjectId;
    const legacy = uuid();
    const stream = `subject-${other}`;
    const at = { recordedAt: '2026-11-25T11:00:00.000Z', correlationId: 'legacy' };
    await t.store.appendToStream(stream, [
      { id: legacy, type: 'SubjectRequestReceived', metadata: { schemaVersion: 1, ...at }, data: {
        requestId: legacy, subjectId: other, subjectMask: '0**********2', kind: 'blocking', channel: 'post', receivedAt: '2026-11-24T05:00:00.000Z',
        registeredBy: { id: 'hr-director', role: 'official', unit: 'personnel-management' }, categories: [{ number: 1, slug: 'full-name' }], detail: null,
        deadline: { date: '2026-11-25', workingDays: 1, coverage: 'verified', calendar: { id: 'kz', version: '1', fingerprint: 'f' } },
      } },
      { id: uuid(), type: 'SubjectRequestRefused', metadata: { schemaVersion: 1, ...at }, data: {
        requestId: legacy, subjectId: other, refusedAt: '2026-11-25T11:00:00.000Z', refusedBy: { id: 'hr-director', role: 'official', unit: 'personnel-management' },
        reasons: ['kept by law'], deadline: '2026-11-25', late: false, workingDaysLate: 0,
      } },
    ], 'any');
    last = await t.store.lastPosition();
    for (const shredded of [false, true]) {
      if (shredded) last = (await t.as('official').post(`/v1/subjects/${other}/shred`).send({ reason: 'storage period ended' }).expect(200)).body.position;
      const shown = await refusal(other);
      expect(shown).toMatchObject({ schemaVersion: 1, reasons: ['kept by law'] });
      expect(shown).not.toHaveProperty('shredded');
      expect(await queued('refused', legacy)).toMatchObject({ reasons: ['kept by law'] });
      expect((await report('json', other)).body.requests).toEqual([expect.objectContaining({ requestId: legacy, reasons: ['kept by law'] })]);
    }
  });
});
