import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { SqliteEventStore } from '@derbes/event-store';
import { SIGNING_KEYS_DIR, loadOrCreateSigningKeys, verifyReport } from '@derbes/integrity';
import { ACCESS_REPORT_JSON_SCHEMA } from '@derbes/reports';
import { subjectReport } from '../apps/cli/src/report.command';
import { loadConfig } from '../apps/ledger/src/config/ledger-config';
import { AccessReportPdfThread } from '../apps/ledger/src/subjects/access-report-pdf-thread';
import { ReaderAudit } from '../apps/ledger/src/subjects/reader-audit';
import { binary, pdfText } from './support/pdf-text';
import { aRecord, IIN, OTHER_IIN, READER, startTestApp, TEST_KEY_HEX, type TestApp } from './support/test-app';

/** A subject with a collection, a transfer abroad without ground (flagged), an embargoed access and a change. */
async function seed(t: TestApp): Promise<string> {
  const res = await t.http.post('/v1/processing-records/batch').send({ records: [
    aRecord({ categories: [1, 13], source: { kind: 'state-database', name: 'ГБД ФЛ' }, occurredAt: '2026-02-01T09:00:00Z' }),
    aRecord({ operation: 'transfer', source: undefined, categories: [1], purpose: 'P05', recipient: { name: 'Қазақстан банкі', country: 'TR' }, occurredAt: '2026-03-01T09:00:00Z' }),
    aRecord({ operation: 'access', source: undefined, categories: [13], purpose: 'P03', embargoUntil: '2027-01-15', occurredAt: '2026-04-01T09:00:00Z', actor: { id: 'inspector-2', role: 'investigator', unit: 'internal-security' } }),
    aRecord({ operation: 'change', source: undefined, categories: [1], occurredAt: '2026-05-01T09:00:00Z' }),
  ] }).expect(201);
  return res.body.results[0].subjectId;
}

describe('GET /v1/subjects/{subjectId}/access-report', () => {
  let t: TestApp;
  afterEach(async () => {
    await t.close();
  });

  it('gives the JSON report, valid against its schema, with masked IIN and the embargoed entry left out', async () => {
    t = await startTestApp();
    const subjectId = await seed(t);
    const res = await t.http.get(`/v1/subjects/${subjectId}/access-report`).set(READER).expect(200);
    expect(res.headers['content-type']).toContain('application/json');
    const report = res.body;
    const validate = new Ajv({ allErrors: true }).compile(ACCESS_REPORT_JSON_SCHEMA);
    expect(validate.errors ?? validate(report)).toBe(true);
    expect(report).toMatchObject({
      language: 'kk', subject: { subjectId, maskedIin: '7**********8' },
      holder: { order: { number: '328-Ө' } }, withheld: null, retention: { verified: false },
    });
    // The last entry is the report's own read, recorded when it was made (at its generatedAt).
    expect(report.events.map((e: { operation: string }) => e.operation)).toEqual(['collect', 'transfer', 'change', 'read']);
    expect(report.events.at(-1)).toMatchObject({ at: report.generatedAt, eventId: report.integrity.readEventId, purpose: { code: 'OVERSIGHT' } });
    expect(report.events.every((e: { actorId: string | null }) => e.actorId === null)).toBe(true);
    expect(report.transfers).toEqual([expect.objectContaining({ recipient: 'Қазақстан банкі', country: 'TR', crossBorder: true, ground: null })]);
    expect(report.violations).toEqual([expect.objectContaining({ operation: 'transfer', reasons: [{ code: 'cross-border-without-ground', category: null, since: null }] })]);
    const fullName = report.categories.find((c: { category: { number: number } }) => c.category.number === 1);
    expect(fullName).toMatchObject({
      held: true, sources: [{ kind: 'state-database', name: 'ГБД ФЛ' }], firstCollectedAt: '2026-02-01T09:00:00.000Z', lastChangedAt: '2026-05-01T09:00:00.000Z',
    });
    expect(JSON.stringify(report)).not.toContain(IIN);
  });

  it('shows withheld entries only as a count when configured, the entry itself once its date has passed, and names readers only when configured', async () => {
    t = await startTestApp({ DERBES_REPORT_SHOW_WITHHELD: 'on', DERBES_REPORT_SHOW_ACTORS: 'on' });
    const subjectId = await seed(t);
    const before = await t.http.get(`/v1/subjects/${subjectId}/access-report`).set(READER).expect(200);
    expect(before.body.withheld).toEqual({ count: 1 });
    expect(before.body.events[0].actorId).toBe('hr-17');
    t.clock.at = new Date('2027-01-15T00:00:00+05:00');
    const after = await t.http.get(`/v1/subjects/${subjectId}/access-report`).set(READER).query({ lang: 'en' }).expect(200);
    expect(after.body.withheld).toEqual({ count: 0 });
    expect(after.body.events.map((e: { operation: string }) => e.operation)).toEqual(['collect', 'transfer', 'access', 'change', 'read', 'read']);
    expect(after.body.events[2]).toMatchObject({ actorId: 'inspector-2', unit: 'internal-security', role: 'investigator' });
  });

  it('gives the same entries as HTML and PDF, with Kazakh letters, and no raw IIN in any of them', async () => {
    t = await startTestApp();
    const subjectId = await seed(t);
    const html = await t.http.get(`/v1/subjects/${subjectId}/access-report`).set(READER).query({ format: 'html' }).expect(200);
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.text).toContain('<html lang="kk"');
    // A page holding a person's data runs, loads and frames nothing.
    expect(html.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY' });
    expect(html.headers['content-security-policy']).toMatch(/^default-src 'none'; style-src 'unsafe-inline';/);
    const pdf = await t.http.get(`/v1/subjects/${subjectId}/access-report`).set(READER).query({ format: 'pdf', lang: 'kk' })
      .buffer(true).parse(binary).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = pdfText(pdf.body as Buffer).replace(/\s+/g, ' ');
    for (const letter of ['ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'і']) expect(text + html.text).toContain(letter);
    for (const shared of ['7**********8', 'Қазақстан банкі', 'TR', '328-Ө']) {
      expect(html.text).toContain(shared);
      expect(text).toContain(shared);
    }
    for (const output of [html.text, text]) expect(output).not.toContain(IIN);
  });

  it('records each report as a read of the file, with the reader and the purpose', async () => {
    t = await startTestApp();
    const subjectId = await seed(t);
    await t.http.get(`/v1/subjects/${subjectId}/access-report`).set({ ...READER, 'x-purpose': 'P07' }).query({ format: 'html', lang: 'ru' }).expect(200);
    const events = await t.store.readStream(`subject-${subjectId}`);
    expect(events.at(-1)).toMatchObject({
      type: 'SubjectFileRead',
      data: { view: 'GET /v1/subjects/{subjectId}/access-report (ru, html)', purpose: { code: 'P07' }, actor: { id: 'hr-director' }, categories: [{ number: 1 }, { number: 13 }] },
    });
  });

  it('answers 500 naming the recorded read when the PDF cannot be laid out after it (EMFILE opening the font)', async () => {
    t = await startTestApp();
    const subjectId = await seed(t);
    const render = jest.spyOn(AccessReportPdfThread.prototype, 'render')
      .mockRejectedValueOnce(Object.assign(new Error('EMFILE: too many open files, open DejaVuSans.ttf'), { code: 'EMFILE' }));
    try {
      const res = await t.http.get(`/v1/subjects/${subjectId}/access-report`).set(READER).query({ format: 'pdf' });
      const reads = (await t.store.readStream(`subject-${subjectId}`)).filter((e) => e.type === 'SubjectFileRead');
      expect(reads).toHaveLength(1);
      expect([res.status, res.body]).toEqual([500, {
        statusCode: 500, error: 'Internal Server Error', code: 'internal_error', errors: [], correlationId: expect.any(String),
        message: `the read of the subject's file was recorded (event ${reads[0]!.id}, which their access report lists), but the access report could not be made: `
          + 'internal error (logged); ask again (that records another read)',
      }]);
    } finally {
      render.mockRestore();
    }
  });

  it('answers 406 report_too_large naming the recorded read when the PDF outgrows its thread, and goes on serving PDFs', async () => {
    t = await startTestApp({ DERBES_PDF_HEAP_MB: '32' });
    const small = await seed(t);
    // 8,000 entries: the case that ended a server started with a 96 MB heap; their PDF needs about 56 MiB to lay out.
    for (let batch = 0; batch < 8; batch++) {
      const records = Array.from({ length: 1000 }, (_, i) => aRecord({
        subject: { iin: OTHER_IIN }, operation: batch + i === 0 ? 'collect' : 'access', source: batch + i === 0 ? { kind: 'subject' } : undefined,
        occurredAt: new Date(Date.parse('2026-01-01T00:00:00Z') + (batch * 1000 + i) * 60_000).toISOString(),
      }));
      await t.http.post('/v1/processing-records/batch').send({ records }).expect(201);
    }
    const large = (await t.http.post('/v1/subjects/lookup').send({ iin: OTHER_IIN }).expect(200)).body.subjectId as string;
    const res = await t.http.get(`/v1/subjects/${large}/access-report`).set(READER).query({ format: 'pdf', lang: 'en' });
    const reads = (await t.store.readStream(`subject-${large}`)).filter((e) => e.type === 'SubjectFileRead');
    expect(reads).toHaveLength(1);
    expect([res.status, res.body]).toEqual([406, {
      statusCode: 406, error: 'Not Acceptable', code: 'report_too_large', errors: [], correlationId: expect.any(String),
      message: `the read of the subject's file was recorded (event ${reads[0]!.id}, which their access report lists), but the access report could not be made: `
        + 'the report (8001 entries) is too large to lay out as PDF on this server: its layout ran out of the 32 MiB the PDF thread may use '
        + '(DERBES_PDF_HEAP_MB). format=json or format=html give the same entries',
    }]);
    const pdf = await t.http.get(`/v1/subjects/${small}/access-report`).set(READER).query({ format: 'pdf' }).buffer(true).parse(binary).expect(200);
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('refuses a bad language, format, subject or missing reader, and answers 404 for an unknown subject', async () => {
    t = await startTestApp();
    const subjectId = await seed(t);
    await t.http.get(`/v1/subjects/${subjectId}/access-report`).set(READER).query({ lang: 'de' }).expect(400)
      .expect((r) => expect(r.body.errors).toEqual([expect.objectContaining({ field: 'lang' })]));
    await t.http.get(`/v1/subjects/${subjectId}/access-report`).set(READER).query({ format: 'docx' }).expect(400);
    await t.http.get(`/v1/subjects/${subjectId}/access-report`).expect(400);
    await t.http.get('/v1/subjects/xyz/access-report').set(READER).expect(400);
    await t.http.get(`/v1/subjects/${'0'.repeat(64)}/access-report`).set(READER).expect(404);
  });
});

describe('derbes report subject', () => {
  it('writes the report to a file and records the read as the CLI reader', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-report-'));
    const config = loadConfig({ DERBES_DATA_DIR: dir, DERBES_PSEUDONYM_KEY: TEST_KEY_HEX, DERBES_LOG_LEVEL: 'error' });
    const t = await startTestApp({ DERBES_DATA_DIR: dir, DERBES_EVENT_STORE: join(dir, 'events.db') });
    let subjectId: string;
    try {
      subjectId = await seed(t);
    } finally {
      await t.close();
    }
    const out = join(dir, 'report.json');
    const line = await subjectReport(config, {
      iin: IIN, language: 'en', format: 'json', out, actor: { id: 'cli:auditor', role: 'operator', unit: 'cli' }, purpose: 'OVERSIGHT',
    });
    expect(line).toContain(out);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report).toMatchObject({ language: 'en', subject: { subjectId, maskedIin: '7**********8' } });
    // No server ran: the command kept the read models itself, so its own read has a head and a proof.
    const keys = loadOrCreateSigningKeys(join(dir, SIGNING_KEYS_DIR)).publicKeys.map((k) => k.publicKeyPem);
    expect(verifyReport(report, keys)).toMatchObject({ ok: true, summary: { completeAsOf: report.generatedAt } });
    expect(existsSync(join(dir, 'ledger.pid'))).toBe(false);
    const again = await startTestApp({ DERBES_DATA_DIR: dir, DERBES_EVENT_STORE: join(dir, 'events.db') });
    try {
      const events = await again.store.readStream(`subject-${subjectId}`);
      expect(events.at(-1)?.data).toMatchObject({ view: 'derbes report subject (en, json)', actor: { id: 'cli:auditor' }, purpose: { code: 'OVERSIGHT' } });
    } finally {
      await again.close();
    }
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    // A pipe is written to as it is, not replaced by a file.
    const fifo = join(dir, 'report.fifo');
    execFileSync('mkfifo', [fifo]);
    const chunks: Buffer[] = [];
    const drained = new Promise<void>((done, fail) => createReadStream(fifo).on('data', (c) => chunks.push(c as Buffer)).on('end', done).on('error', fail));
    await subjectReport(config, { iin: IIN, language: 'en', format: 'json', out: fifo, actor: { id: 'cli:auditor', role: 'operator', unit: 'cli' }, purpose: 'OVERSIGHT' });
    await drained;
    expect(JSON.parse(Buffer.concat(chunks).toString('utf8'))).toMatchObject({ language: 'en', subject: { subjectId } });
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    await expect(subjectReport(config, { iin: '791028302729', language: 'kk', format: 'pdf', out, actor: { id: 'a', role: 'b', unit: 'c' }, purpose: 'OVERSIGHT' }))
      .rejects.toThrow('--iin');
    await expect(subjectReport(config, { iin: '061211600012', language: 'kk', format: 'pdf', out, actor: { id: 'a', role: 'b', unit: 'c' }, purpose: 'OVERSIGHT' }))
      .rejects.toThrow('holds nothing');
  });

  it('says that the read was recorded, naming it, when the report cannot be written after it (a full disk, a parent that became a file)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-report-'));
    const config = loadConfig({ DERBES_DATA_DIR: dir, DERBES_PSEUDONYM_KEY: TEST_KEY_HEX, DERBES_LOG_LEVEL: 'error' });
    const t = await startTestApp({ DERBES_DATA_DIR: dir, DERBES_EVENT_STORE: join(dir, 'events.db') });
    let subjectId: string;
    try {
      subjectId = await seed(t);
    } finally {
      await t.close();
    }
    const reads = async () => {
      const store = SqliteEventStore.open(join(dir, 'events.db'));
      try {
        return (await store.readStream(`subject-${subjectId}`)).filter((e) => e.type === 'SubjectFileRead').map((e) => e.id);
      } finally {
        await store.close();
      }
    };
    const report = (out: string) => subjectReport(config, { iin: IIN, language: 'en', format: 'json', out, actor: { id: 'cli:auditor', role: 'operator', unit: 'cli' }, purpose: 'OVERSIGHT' });
    const recorded = (out: string, cause: string) => new RegExp(`^the read of the subject's file was recorded \\(event ([0-9a-f-]{36}), which their access report lists\\), `
      + `but the report could not be written to ${out.replace(/[.]/g, '\\.')}: Error: ${cause}.*; ask again \\(that records another read\\)$`);

    // A disk with no room: /dev/full passes the check before the read, and every write to it fails with ENOSPC.
    const full = await report('/dev/full').then(() => null, (error: Error) => error.message);
    expect(full).toMatch(recorded('/dev/full', 'ENOSPC'));
    const fullRead = full!.match(recorded('/dev/full', 'ENOSPC'))![1];
    expect(await reads()).toEqual([fullRead]);

    // The directory of FILE is replaced by a file after the read, before the report is written.
    const parent = join(dir, 'out');
    mkdirSync(parent);
    const out = join(parent, 'report.json');
    const recordReadAfter = ReaderAudit.prototype.recordReadAfter;
    const spy = jest.spyOn(ReaderAudit.prototype, 'recordReadAfter').mockImplementation(async function (this: ReaderAudit, ...args) {
      const read = await recordReadAfter.apply(this, args);
      rmSync(parent, { recursive: true });
      writeFileSync(parent, '');
      return read;
    });
    try {
      const failed = await report(out).then(() => null, (error: Error) => error.message);
      expect(failed).toMatch(recorded(out, 'ENOTDIR'));
      const read = failed!.match(recorded(out, 'ENOTDIR'))![1];
      expect(await reads()).toEqual([fullRead, read]);
    } finally {
      spy.mockRestore();
    }

    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('says so, and fails, when the report it wrote carries no proof (a process holds the read models and has not taken its read in)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-report-'));
    const config = loadConfig({ DERBES_DATA_DIR: dir, DERBES_PSEUDONYM_KEY: TEST_KEY_HEX, DERBES_LOG_LEVEL: 'error' });
    const t = await startTestApp({ DERBES_DATA_DIR: dir, DERBES_EVENT_STORE: join(dir, 'events.db') });
    try {
      await seed(t);
    } finally {
      await t.close();
    }
    // A live process named as the keeper, which keeps nothing: the command neither keeps the read models nor sees them move.
    const keeper = spawn('sleep', ['30']);
    try {
      writeFileSync(join(dir, 'ledger.pid'), `${keeper.pid}\n`);
      const out = join(dir, 'unproved.json');
      await expect(subjectReport(config, { iin: IIN, language: 'en', format: 'json', out, actor: { id: 'cli:auditor', role: 'operator', unit: 'cli' }, purpose: 'OVERSIGHT' }))
        .rejects.toThrow(/to .*unproved\.json, but WITHOUT its completeness proof: the integrity log that the server keeps/);
      expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ integrity: null });
    } finally {
      keeper.kill();
    }
  });
});
