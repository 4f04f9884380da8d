import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { signReport, verifyReport } from '@derbes/integrity';
import { ORDER_328_O } from '@derbes/register';
import { SUBJECT_FILE_READ, SUBJECT_FILE_READ_SCHEMA_VERSION, type SubjectFileRead } from '@derbes/ledger';
import { verifyReportFile } from '../apps/cli/src/verify-report.command';
import { IntegrityLog } from '../apps/ledger/src/integrity/integrity-log.service';
import { SubjectStateCache } from '../apps/ledger/src/processing-records/subject-state.cache';
import { appendToSubject } from '../apps/ledger/src/subjects/append-to-subject';
import { childEnv, runCli } from './support/child-server';
import { binary, pdfText } from './support/pdf-text';
import { aRecord, READER, startTestApp, type TestApp } from './support/test-app';

/** A collection with a note, a transfer, an embargoed access (withheld from the report) and a change. */
async function seed(t: TestApp): Promise<string> {
  const res = await t.http.post('/v1/processing-records/batch').send({ records: [
    aRecord({ categories: [1, 13], source: { kind: 'state-database', name: 'ГБД ФЛ' }, occurredAt: '2026-02-01T09:00:00Z', note: 'competition file' }),
    aRecord({ operation: 'transfer', source: undefined, categories: [1], purpose: 'P05', recipient: { name: 'Қазақстан банкі', country: 'KZ' }, occurredAt: '2026-03-01T09:00:00Z' }),
    aRecord({ operation: 'access', source: undefined, categories: [13], purpose: 'P03', embargoUntil: '2027-01-15', occurredAt: '2026-04-01T09:00:00Z' }),
    aRecord({ operation: 'change', source: undefined, categories: [1], occurredAt: '2026-05-01T09:00:00Z', note: 'new surname' }),
  ] }).expect(201);
  return res.body.results[0].subjectId;
}

describe('the access report\'s integrity section', () => {
  let t: TestApp;
  afterEach(async () => {
    await t.close();
  });

  it('proves the report complete: derbes verify-report accepts it with the served keys, and names the cause when a row is removed or changed, or a note changed', async () => {
    t = await startTestApp();
    const subjectId = await seed(t);
    const keys = (await request(t.server).get('/v1/integrity/keys').expect(200)).body;
    const report = (await t.http.get(`/v1/subjects/${subjectId}/access-report`).set(READER).query({ lang: 'en' }).expect(200)).body;

    const integrity = report.integrity;
    expect(integrity.treeHeadSource).toBe('signed-for-report');
    // The chain ends with the report's own read, recorded before it was made.
    expect(integrity.chain.map((e: { withheld: boolean; event: unknown }) => [e.withheld, e.event === null])).toEqual([
      [false, false], [false, false], [true, true], [false, false], [false, false],
    ]);
    // The two shown events before the withheld one are each proven in the head's tree (its link back is not shown).
    expect(integrity.chain.map((e: { inclusion?: { leafIndex: number } }) => e.inclusion?.leafIndex ?? null))
      .toEqual([integrity.chain[0].position - 1, integrity.chain[1].position - 1, null, null, null]);
    expect(integrity.chain.at(-1)).toMatchObject({ type: 'SubjectFileRead', eventId: integrity.readEventId, event: { data: { occurredAt: report.generatedAt } } });
    // The rows carry the ids of the chain's shown events; the withheld one is in the chain with its hashes only.
    expect(report.events.map((e: { eventId: string }) => e.eventId)).toEqual([0, 1, 3, 4].map((i) => integrity.chain[i].eventId));
    expect(integrity.chain[2]).toEqual(expect.objectContaining({ type: 'ProcessingRecorded', chainHash: expect.stringMatching(/^[0-9a-f]{64}$/) }));
    expect(integrity.inclusion.eventId).toBe(integrity.readEventId);
    expect(verifyReport(report, keys.map((k: { publicKeyPem: string }) => k.publicKeyPem))).toMatchObject({
      ok: true, summary: { chainLength: 5, completeAsOf: report.generatedAt },
    });

    // The next report ends with its own read: the first report's read is in its chain, with the same hash.
    const again = (await t.http.get(`/v1/subjects/${subjectId}/access-report`).set(READER).expect(200)).body;
    expect(again.integrity.chain.map((e: { chainHash: string }) => e.chainHash).slice(0, 5)).toEqual(integrity.chain.map((e: { chainHash: string }) => e.chainHash));
    expect(again.integrity.chain).toHaveLength(6);
    expect(again.integrity.treeHead.treeSize).toBeGreaterThan(integrity.treeHead.treeSize);

    const dir = mkdtempSync(join(tmpdir(), 'derbes-verify-report-'));
    const keysFile = join(dir, 'keys.json');
    writeFileSync(keysFile, JSON.stringify(keys));
    const file = (name: string, content: unknown) => {
      writeFileSync(join(dir, name), JSON.stringify(content, null, 2));
      return join(dir, name);
    };
    const env = childEnv(dir);
    // The whole report is signed with the key that signs the tree heads (published at GET /v1/integrity/keys).
    expect(report.signature).toEqual({ keyId: integrity.treeHead.keyId, value: expect.stringMatching(/^[0-9a-f]{128}$/) });
    const ok = await runCli(['verify-report', file('report.json', report), '--public-keys', keysFile], env);
    expect(ok).toMatchObject({ code: 0, stdout: expect.stringContaining('verified') });
    expect(ok.stdout).toContain(`signature: the whole report is signed by key ${report.signature.keyId}`);

    // Anything changed after signing is named so; to show each deeper check below, the changed copies are signed
    // again with the ledger's own key (as if the ledger itself had made them wrong).
    const signer = t.app.get(IntegrityLog).reportSigner()!;
    const unsignedChange = structuredClone(report);
    unsignedChange.holder.responsibleOfficial = 'someone else';
    const notSigned = await runCli(['verify-report', file('holder.json', unsignedChange), '--public-keys', keysFile], env);
    expect(notSigned).toMatchObject({ code: 1, stdout: expect.stringContaining('NOT VERIFIED (bad-signature)') });
    // The auditor's pass-off: a shown event turned "withheld", its rows dropped; the entries before it already carry
    // their proofs. The chain and proofs alone would let it through; the signature does not.
    const passedOff = structuredClone(report);
    const hidden = passedOff.integrity.chain[3];
    Object.assign(hidden, { withheld: true, event: null });
    passedOff.events = passedOff.events.filter((row: { eventId: string }) => row.eventId !== hidden.eventId);
    const hiddenCheck = await runCli(['verify-report', file('passed-off.json', passedOff), '--public-keys', keysFile], env);
    expect(hiddenCheck).toMatchObject({ code: 1, stdout: expect.stringContaining('NOT VERIFIED (bad-signature)') });
    // A report without the ledger's signature (as a replica that holds no key makes one): verified, with a caveat that
    // it is not the ledger's signed word, and refused where completeness is required.
    const strippedFile = file('unsigned.json', { ...report, signature: null });
    expect(await runCli(['verify-report', strippedFile, '--public-keys', keysFile], env))
      .toMatchObject({ code: 1, stdout: expect.stringContaining('NOT VERIFIED (unsigned): the report carries no signature (null)') });
    const stripped = await runCli(['verify-report', strippedFile, '--public-keys', keysFile, '--accept-unsigned'], env);
    expect(stripped).toMatchObject({ code: 0, stdout: expect.stringContaining('caveat: carrying no signature (null: a replica that holds no signing key makes such reports, and so does anyone who strips a signature off), the report is not signed as a whole') });
    expect(await runCli(['verify-report', strippedFile, '--public-keys', keysFile, '--accept-unsigned', '--require-complete'], env))
      .toMatchObject({ code: 1, stdout: expect.stringContaining('NOT VERIFIED (not-signed)') });
    expect(ok.stdout).toContain('chain: 5 events');
    expect(ok.stdout).toContain(`up to its own read at ${report.generatedAt}`);
    expect(ok.stdout).toContain('categories: each category\'s state');

    // A derived fact no single event records, changed: the category's state made again from the chain differs.
    const destroyedClaimed = structuredClone(report);
    Object.assign(destroyedClaimed.categories[0], { held: false, destroyedAt: '2026-05-02T09:00:00.000Z' });
    const claimed = await runCli(['verify-report', file('destroyed-claimed.json', signReport(destroyedClaimed, signer)), '--public-keys', keysFile], env);
    expect(claimed.code).toBe(1);
    expect(claimed.stdout).toContain('NOT VERIFIED (summary-mismatch): categories[0].held shows false');

    const rowRemoved = structuredClone(report);
    rowRemoved.events.splice(1, 1);
    const removed = await runCli(['verify-report', file('row-removed.json', signReport(rowRemoved, signer)), '--public-keys', keysFile], env);
    expect(removed.code).toBe(1);
    expect(removed.stdout).toContain('NOT VERIFIED (event-without-row)');
    expect(removed.stdout).toContain(integrity.chain[1].eventId);

    // A row that says something else than its event: another category and purpose, in the report only.
    const rowChanged = structuredClone(report);
    rowChanged.events[0].categories[0].number = 4;
    rowChanged.transfers[0].purpose.code = 'P01';
    const mismatch = await runCli(['verify-report', file('row-changed.json', signReport(rowChanged, signer)), '--public-keys', keysFile], env);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stdout).toContain('NOT VERIFIED (row-mismatch): events[0].categories shows');

    // Cut before its own read, with the proof of the new last entry from the ledger (proofs are public): named.
    const cut = structuredClone(report);
    cut.integrity.chain.pop();
    cut.events.pop();
    const retargeted = (await t.http.get('/v1/integrity/inclusion')
      .query({ eventId: cut.integrity.chain.at(-1).eventId, treeSize: String(cut.integrity.treeHead.treeSize) }).expect(200)).body;
    cut.integrity.inclusion = { eventId: retargeted.eventId, leafIndex: retargeted.leafIndex, treeSize: retargeted.treeSize, leafHash: retargeted.leafHash, proof: retargeted.proof };
    const cutOff = await runCli(['verify-report', file('cut.json', signReport(cut, signer)), '--public-keys', keysFile], env);
    expect(cutOff.code).toBe(1);
    expect(cutOff.stdout).toContain('NOT VERIFIED (not-own-read)');
    // Relabelled as a report of version 2, which did not end with its own read: accepted with the caveat, refused
    // with --require-complete.
    const relabelled = structuredClone(cut);
    relabelled.schemaVersion = 2;
    delete relabelled.signature;
    delete relabelled.integrity.readEventId;
    const caveat = await runCli(['verify-report', file('relabelled.json', relabelled), '--public-keys', keysFile], env);
    expect(caveat).toMatchObject({ code: 0, stdout: expect.stringContaining('cannot show that no newer event was left out') });
    const strict = await runCli(['verify-report', file('relabelled.json', relabelled), '--public-keys', keysFile, '--require-complete'], env);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('NOT VERIFIED (not-shown-complete)');
    const whole = await runCli(['verify-report', '--require-complete', file('report.json', report), '--public-keys', keysFile], env);
    expect(whole.code).toBe(0);
    expect(whole.stdout).not.toContain('caveat');
    // Crafted files, checked in this process: each refused and named, never a crash, never verified.
    const raw = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const plain = JSON.stringify(report);
    const twice = verifyReportFile(raw('twice.json', plain.replace('"integrity":{', '"integrity":{"treeHead":{"treeSize":1},')), keysFile);
    expect(twice).toEqual({ ok: false, lines: [expect.stringContaining('NOT VERIFIED (malformed): integrity.treeHead is given twice in its object')] });
    const hashed = plain.indexOf('"data":{', plain.indexOf('"chain":['));
    const deep = verifyReportFile(raw('deep.json', `${plain.slice(0, hashed)}"data":{"zzz":${'['.repeat(100_000)}${']'.repeat(100_000)},${plain.slice(hashed + 8)}`), keysFile);
    expect(deep).toEqual({ ok: false, lines: [expect.stringContaining('NOT VERIFIED (malformed)')] });
    const offset = verifyReportFile(file('offset.json', signReport({ ...report, utcOffsetMinutes: 1e9 }, signer)), keysFile);
    expect(offset).toEqual({ ok: false, lines: [expect.stringContaining('NOT VERIFIED (malformed): utcOffsetMinutes is not a whole number')] });
    const privateKey = raw('private.pem', generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    expect(() => verifyReportFile(file('report.json', report), privateKey)).toThrow('is a private key');
    // A report made before version 5 carried no proofs of the events before a withheld entry: it verifies as it did
    // then, with a caveat naming how many are bound by the chain alone, and is refused with --require-complete.
    const older = structuredClone(report);
    older.schemaVersion = 4;
    delete older.signature;
    for (const entry of older.integrity.chain) delete entry.inclusion;
    const olderCheck = await runCli(['verify-report', file('older.json', older), '--public-keys', keysFile], env);
    expect(olderCheck).toMatchObject({ code: 0, stdout: expect.stringContaining('caveat: made before version 5, the report carries no proofs of its own for the 2 shown events') });
    const olderStrict = await runCli(['verify-report', file('older.json', older), '--public-keys', keysFile, '--require-complete'], env);
    expect(olderStrict.code).toBe(1);
    expect(olderStrict.stdout).toContain('NOT VERIFIED (not-shown-complete): made before version 5');

    const noteChanged = structuredClone(report);
    noteChanged.integrity.chain[3].event.data.note = 'another surname';
    const changed = await runCli(['verify-report', file('note-changed.json', signReport(noteChanged, signer)), '--public-keys', keysFile], env);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain('NOT VERIFIED (chain-hash-mismatch)');
    expect(changed.stdout).toContain('chain entry 3');

    const unkeyed = await runCli(['verify-report', join(dir, 'report.json')], env);
    expect(unkeyed.code).toBe(2);
    expect(unkeyed.stderr).toContain('needs --public-keys');
  }, 180_000); // fifteen runs of the CLI from source

  it("signs the JSON report served through the subject's own link, and derbes verify-report accepts it and names a change", async () => {
    t = await startTestApp();
    const subjectId = await seed(t);
    const keys = (await request(t.server).get('/v1/integrity/keys').expect(200)).body;
    const link = (await t.http.post(`/v1/subjects/${subjectId}/access-links`).send({ hours: 24 }).expect(201)).body;
    const report = (await request(t.server).get(link.path).query({ format: 'json', lang: 'kk' }).expect(200)).body;

    // The link's report is the subject's own read of their file, signed like any other route's.
    expect(report.integrity.chain.at(-1).event.data).toMatchObject({ actor: { id: 'data-subject' }, purpose: { code: 'SUBJECT-RIGHTS' } });
    expect(report.signature).toEqual({ keyId: report.integrity.treeHead.keyId, value: expect.stringMatching(/^[0-9a-f]{128}$/) });
    const dir = mkdtempSync(join(tmpdir(), 'derbes-link-report-'));
    const keysFile = join(dir, 'keys.json');
    writeFileSync(keysFile, JSON.stringify(keys));
    const file = (name: string, content: unknown) => {
      writeFileSync(join(dir, name), JSON.stringify(content, null, 2));
      return join(dir, name);
    };
    const env = childEnv(dir);
    const ok = await runCli(['verify-report', file('link.json', report), '--public-keys', keysFile, '--require-complete'], env);
    expect(ok).toMatchObject({ code: 0, stdout: expect.stringContaining(`signature: the whole report is signed by key ${report.signature.keyId}`) });

    const changed = structuredClone(report);
    changed.generatedAt = '2026-01-01T00:00:00.000Z';
    const refused = await runCli(['verify-report', file('changed.json', changed), '--public-keys', keysFile], env);
    expect(refused).toMatchObject({ code: 1, stdout: expect.stringContaining('NOT VERIFIED (bad-signature)') });
  }, 120_000);

  it('makes the categories section again under the registers file the ledger used (--registers), and --require-complete fails without it', async () => {
    // An amendment in force from 1 February 2026 under another order number: the report's holder is not built in.
    const amended = [
      { ...ORDER_328_O, effective: { ...ORDER_328_O.effective, to: '2026-01-31' } },
      { ...ORDER_328_O, version: 2, order: { ...ORDER_328_O.order, number: '328-Ө (amended)' }, effective: { from: '2026-02-01', fromBasis: 'stated', to: null } },
    ];
    const dir = mkdtempSync(join(tmpdir(), 'derbes-verify-registers-'));
    const registers = join(dir, 'registers.json');
    writeFileSync(registers, JSON.stringify(amended));
    t = await startTestApp({ DERBES_REGISTERS_FILE: registers });
    const subjectId = await seed(t);
    const keysFile = join(dir, 'keys.json');
    writeFileSync(keysFile, JSON.stringify((await request(t.server).get('/v1/integrity/keys').expect(200)).body));
    const report = (await t.http.get(`/v1/subjects/${subjectId}/access-report`).set(READER).query({ lang: 'ru' }).expect(200)).body;
    expect(report.holder.order.number).toBe('328-Ө (amended)');
    const changed = structuredClone(report);
    Object.assign(changed.categories[0], { held: false, destroyedAt: '2026-05-02T09:00:00.000Z' });
    const env = childEnv(dir);
    // Changed after signing, the categories section fails on the signature even where this build cannot make it again.
    const changedFile = join(dir, 'changed.json');
    writeFileSync(changedFile, JSON.stringify(changed));
    expect((await runCli(['verify-report', changedFile, '--public-keys', keysFile], env)).stdout).toContain('NOT VERIFIED (bad-signature)');
    // Signed so by the ledger itself (wrong as made), only the registers it used show it wrong.
    const tampered = signReport(changed, t.app.get(IntegrityLog).reportSigner()!);
    const file = join(dir, 'tampered.json');
    writeFileSync(file, JSON.stringify(tampered));

    const unchecked = await runCli(['verify-report', file, '--public-keys', keysFile], env);
    expect(unchecked).toMatchObject({ code: 0 });
    expect(unchecked.stdout).toContain('categories: NOT CHECKED: this build holds no register mineco-328-O v2 (order 328-Ө (amended))');
    const strict = await runCli(['verify-report', file, '--public-keys', keysFile, '--require-complete'], env);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('NOT VERIFIED (categories-not-checked)');
    for (const args of [['--registers', registers], []]) {
      const caught = await runCli(['verify-report', file, '--public-keys', keysFile, ...args], args.length > 0 ? env : { ...env, DERBES_REGISTERS_FILE: registers });
      expect(caught.code).toBe(1);
      expect(caught.stdout).toContain('NOT VERIFIED (summary-mismatch): categories[0].held shows false');
    }
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{');
    const refused = await runCli(['verify-report', file, '--public-keys', keysFile, '--registers', broken], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`--registers ${broken}`);
  }, 120_000);

  // Also the case of a head signed for one report while another's read came in before that head's own event: the next
  // report must not take that head as covering its read (it did not: signing answered it as nothing new).
  it('ends each report with its own read while records for the subject keep arriving, one read per report', async () => {
    t = await startTestApp();
    const subjectId = await seed(t);
    const keys = (await request(t.server).get('/v1/integrity/keys').expect(200)).body.map((k: { publicKeyPem: string }) => k.publicKeyPem);
    const writes = Array.from({ length: 40 }, (_, i) => t.http.post('/v1/processing-records')
      .send(aRecord({ operation: 'access', source: undefined, categories: [1], occurredAt: `2026-06-01T09:${String(i).padStart(2, '0')}:00Z` })).then((r) => r.status));
    const reports = Array.from({ length: 4 }, () => t.http.get(`/v1/subjects/${subjectId}/access-report`).set(READER).query({ lang: 'en' }).then((r) => r));
    const [statuses, made] = await Promise.all([Promise.all(writes), Promise.all(reports)]);
    expect(statuses.every((status) => status === 201)).toBe(true);
    const stream = await t.store.readStream(`subject-${subjectId}`);
    for (const res of made) {
      expect([res.status, res.status === 200 ? null : res.body]).toEqual([200, null]);
      const { integrity } = res.body;
      expect(verifyReport(res.body, keys)).toMatchObject({ ok: true, summary: { completeAsOf: res.body.generatedAt } });
      // Its read sits in the stream right behind the events the report shows, whatever came after it.
      const read = stream.find((e) => e.id === integrity.readEventId)!;
      expect(read.revision).toBe(integrity.chain.length - 1);
      expect(integrity.chain.map((e: { eventId: string }) => e.eventId)).toEqual(stream.slice(0, read.revision + 1).map((e) => e.id));
    }
    expect(stream.filter((e) => e.type === 'SubjectFileRead')).toHaveLength(4);
  });

  it('begins again when a record arrives between reading the file and recording the read, and shows that record', async () => {
    t = await startTestApp();
    const subjectId = await seed(t);
    const streamId = `subject-${subjectId}`;
    const read = t.store.readStream.bind(t.store);
    let arrived: string | undefined;
    // The report's first read of the stream: a record for the subject is stored right after it, before the read is recorded.
    const spy = jest.spyOn(t.store, 'readStream').mockImplementation(async (id, options) => {
      const events = await read(id, options);
      if (id === streamId && options === undefined && arrived === undefined) {
        const record = aRecord({ operation: 'access', source: undefined, categories: [1], occurredAt: '2026-06-02T09:00:00Z' });
        arrived = String(record.recordId);
        await t.http.post('/v1/processing-records').send(record).expect(201);
      }
      return events;
    });
    try {
      const res = await t.http.get(`/v1/subjects/${subjectId}/access-report`).set(READER).query({ lang: 'en' });
      expect([res.status, res.status === 200 ? null : res.body]).toEqual([200, null]);
      const stream = await read(streamId);
      expect(stream.map((e) => e.type).slice(-2)).toEqual(['ProcessingRecorded', 'SubjectFileRead']);
      expect(stream.at(-2)?.id).toBe(arrived);
      // The report shows everything before its read, the record that arrived included.
      expect(res.body.integrity.chain.map((e: { eventId: string }) => e.eventId)).toEqual(stream.map((e) => e.id));
    } finally {
      spy.mockRestore();
    }
  });

  // Each report's read waits behind the one recorded just before it (not yet stored when it looked): three at once
  // used to answer one 503 concurrency_exhausted, their reads begun again at once and refused against a stream that
  // had not moved yet.
  it('makes every one of many reports asked at once, each ending with its own read', async () => {
    t = await startTestApp();
    const subjectId = await seed(t);
    const made = await Promise.all(Array.from({ length: 8 }, () => t.http.get(`/v1/subjects/${subjectId}/access-report`).set(READER).query({ lang: 'en' })));
    expect(made.map((res) => res.status)).toEqual(Array(8).fill(200));
    const reads = new Set(made.map((res) => res.body.integrity.readEventId));
    expect(reads.size).toBe(8);
    const stream = await t.store.readStream(`subject-${subjectId}`);
    expect(stream.filter((e) => e.type === 'SubjectFileRead').map((e) => e.id).sort()).toEqual([...reads].sort());
  });

  // Another process (a CLI report beside the server, a second replica) appending to the subject left this process's
  // cache behind the stream: every report then answered 503, its read refused against the stale revision and nothing
  // appended that would have shown the cache stale.
  it('makes the report when another process has appended to the subject since this one cached it', async () => {
    t = await startTestApp();
    const subjectId = await seed(t);
    await t.http.get(`/v1/subjects/${subjectId}/access-report`).set(READER).expect(200);
    const elsewhere = new SubjectStateCache(t.store);
    const read: SubjectFileRead = {
      type: SUBJECT_FILE_READ,
      data: {
        readId: '6a1f0c2e-4b5d-4e6f-8a7b-9c0d1e2f3a4b', subjectId, view: 'derbes report subject (en, json)', categories: [],
        purpose: { code: 'OVERSIGHT', slug: 'oversight' }, actor: { id: 'cli-operator', role: 'official', unit: 'personnel-management' },
        occurredAt: '2026-11-25T12:00:00.000Z',
      },
    };
    await appendToSubject(t.store, elsewhere, subjectId, () => [read], () => ({
      id: read.data.readId, type: read.type, data: read.data as never, metadata: { schemaVersion: SUBJECT_FILE_READ_SCHEMA_VERSION, recordedAt: read.data.occurredAt },
    }));
    const res = await t.http.get(`/v1/subjects/${subjectId}/access-report`).set(READER).query({ lang: 'en' });
    expect([res.status, res.status === 200 ? null : res.body.code]).toEqual([200, null]);
    const keys = (await request(t.server).get('/v1/integrity/keys').expect(200)).body.map((k: { publicKeyPem: string }) => k.publicKeyPem);
    expect(verifyReport(res.body, keys)).toMatchObject({ ok: true });
    expect(res.body.integrity.chain.map((e: { eventId: string }) => e.eventId)).toContain(read.data.readId);
  });

  it('shows the same facts in the PDF appendix, with one sentence on how to check them', async () => {
    t = await startTestApp();
    const subjectId = await seed(t);
    // No head covers a report's own read, recorded just before: the signer signs one for it.
    const pdf = await t.http.get(`/v1/subjects/${subjectId}/access-report`).set(READER).query({ format: 'pdf', lang: 'en' })
      .buffer(true).parse(binary).expect(200);
    const head = (await t.http.get('/v1/integrity/tree-heads/latest').expect(200)).body;
    const json = (await t.http.get(`/v1/subjects/${subjectId}/access-report`).set(READER).query({ lang: 'en' }).expect(200)).body;
    const text = pdfText(pdf.body as Buffer).replace(/\s+/g, ' ');
    expect(text).toContain('Appendix: integrity of this report');
    expect(text).toContain('This page is not signed. A report in JSON (format=json at the same address) is signed by the ledger');
    expect(text).toContain('The JSON form is the machine-checkable one: run "derbes verify-report report.json');
    expect(text).toContain("The chain ends with this report's own read");
    expect(text).toContain('signed for this report');
    for (const fact of [head.rootHash, head.keyId, head.signature.slice(0, 64), head.signature.slice(64), String(head.treeSize)]) expect(text).toContain(fact);
    // The JSON's chain is one read (its own) longer than the PDF's, which ended with the PDF's read.
    // The label wraps around its value in the PDF's table, wherever the line breaks fall.
    expect(text).toMatch(new RegExp(`Events in (your )?${json.integrity.chain.length - 1} (your )?chain`));
    const kk = await t.http.get(`/v1/subjects/${subjectId}/access-report`).set(READER).query({ format: 'pdf', lang: 'kk' }).buffer(true).parse(binary).expect(200);
    expect(pdfText(kk.body as Buffer).replace(/\s+/g, ' ')).toContain('Қосымша: есептің тұтастығы');
    const html = (await t.http.get(`/v1/subjects/${subjectId}/access-report`).set(READER).query({ format: 'html', lang: 'ru' }).expect(200)).text;
    expect(html).toContain('Приложение: целостность отчёта');
    expect(html).toContain('derbes verify-report');
  });
});
