import { canonicalJson } from '@derbes/canonical-json';
import request from 'supertest';
import { REPORT_SIGNATURE_PREFIX, reportSignedBytes, verifyReport } from '@derbes/integrity';
import { OVERSIGHT_PURPOSE } from '@derbes/ledger';
import { AccessReports } from '../apps/ledger/src/subjects/access-reports';
import { aRecord, OTHER_IIN, READER, startTestApp, type TestApp } from './support/test-app';

// Names the report shows as given (sources, recipients), with quotes and backslashes that JSON escapes.
const RECIPIENTS = ['Қазақстан банкі', 'ТОО "Гауһар Медикал" — «филиал»', 'back\\slash € 😀'];

/**
 * 2,400 records of every shape a report shows: sources and recipients named in Kazakh and Russian, with quotes and
 * backslashes, transfers abroad flagged, embargoed accesses (withheld, shown as such), changes without a note.
 */
function records(batch: number): Record<string, unknown>[] {
  return Array.from({ length: 800 }, (_, i) => {
    const n = batch * 800 + i;
    const at = new Date(Date.parse('2026-01-01T00:00:00Z') + n * 60_000).toISOString();
    const common = { subject: { iin: OTHER_IIN }, occurredAt: at, note: `запись ${n}`, actor: { id: `hr-${n % 13}`, role: 'hr-specialist', unit: 'personnel-management' } };
    if (n === 0) return aRecord({ ...common, categories: [1, 2, 13], source: { kind: 'state-database', name: 'ГБД ФЛ' } });
    switch (n % 5) {
      case 0: return aRecord({ ...common, operation: 'transfer', source: undefined, categories: [1], purpose: 'P05', recipient: { name: RECIPIENTS[n % 3], country: 'TR' } });
      case 1: return aRecord({ ...common, operation: 'access', source: undefined, categories: [13], purpose: 'P03', embargoUntil: '2026-12-15' });
      case 2: return aRecord({ ...common, operation: 'change', source: undefined, categories: [1, 2], note: undefined });
      default: return aRecord({ ...common, operation: 'access', source: undefined, categories: [1, 2, 28] });
    }
  });
}

const READER_OF_TEST = {
  reader: { actor: { id: 'ic-3', role: 'auditor', unit: 'internal-control' }, purpose: { code: OVERSIGHT_PURPOSE.code, slug: OVERSIGHT_PURPOSE.slug } },
  view: 'test', correlationId: 'test',
};

describe('the access report as bytes', () => {
  let t: TestApp;
  let subjectId = '';
  beforeAll(async () => {
    t = await startTestApp({ DERBES_REPORT_SHOW_WITHHELD: 'on', DERBES_REPORT_SHOW_ACTORS: 'on' });
    for (let batch = 0; batch < 3; batch++) {
      const res = await t.http.post('/v1/processing-records/batch').send({ records: records(batch) }).expect(201);
      subjectId = res.body.results[0].subjectId;
    }
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it('signs, in kk, ru and en, the same bytes as the canonical JSON of its JSON round trip', async () => {
    for (const language of ['kk', 'ru', 'en'] as const) {
      const report = (await t.app.get(AccessReports).build(subjectId, language, READER_OF_TEST))!.report;
      expect(report.events.length).toBeGreaterThan(1900);
      expect(report.withheld?.count).toBeGreaterThan(400);
      expect(report.signature).toEqual({ keyId: expect.any(String), value: expect.stringMatching(/^[0-9a-f]{128}$/) });
      const { signature: _signature, ...unsigned } = report;
      const bytes = reportSignedBytes(report as unknown as Record<string, unknown>);
      expect(bytes.length).toBeGreaterThan(4_000_000);
      // Not toContain: a failure would print the whole text.
      for (const name of RECIPIENTS) expect(bytes.includes(Buffer.from(JSON.stringify(name).slice(1, -1)))).toBe(true);
      // The old way, with canonical-json's own string writer: the report's JSON round trip, canonicalised.
      expect(bytes.equals(Buffer.from(REPORT_SIGNATURE_PREFIX + canonicalJson(JSON.parse(JSON.stringify(unsigned))), 'utf8'))).toBe(true);
    }
  }, 60_000);

  it("sends as JSON the bytes of JSON.stringify of the report, members in the report's order, and they verify", async () => {
    const made = (await t.app.get(AccessReports).make(subjectId, 'ru', 'json', READER_OF_TEST))!;
    expect(Buffer.isBuffer(made.rendered.body)).toBe(true);
    expect((made.rendered.body as Buffer).equals(Buffer.from(JSON.stringify(made.report), 'utf8'))).toBe(true);

    const keys = (await request(t.server).get('/v1/integrity/keys').expect(200)).body as { publicKeyPem: string }[];
    const res = await t.http.get(`/v1/subjects/${subjectId}/access-report`).set(READER).query({ lang: 'kk' }).expect(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
    // Not sorted: the report's own order, the signature last, and no whitespace, as JSON.stringify writes it.
    expect(Object.keys(res.body).slice(0, 3)).toEqual(['schema', 'schemaVersion', 'language']);
    expect(Object.keys(res.body).at(-1)).toBe('signature');
    expect(res.text === JSON.stringify(res.body)).toBe(true);
    expect(verifyReport(res.body, keys.map((k) => k.publicKeyPem))).toMatchObject({ ok: true });
  }, 60_000);
});
