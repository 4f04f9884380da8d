import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { TREE_HEAD_SIGNED, TREE_HEADS_STREAM, eventLeafHash, verifyInclusion, verifyReport, verifyTreeHead, type CanonicalEvent } from '@derbes/integrity';
import { OTHER_IIN, READER, aRecord, startTestApp, type TestApp } from './support/test-app';

const hex = (h: string) => Buffer.from(h, 'hex');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Two replicas over one store, as in docker/compose.cluster.yml: the one that does not sign keeps the read models
 * (and would sign on its 1 s interval if it were allowed to); the signer signs on demand, reading the same models.
 */
describe('a replica configured not to sign tree heads (DERBES_TREE_HEAD_SIGNER=off)', () => {
  let replica: TestApp;
  let signer: TestApp;
  beforeEach(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-signer-'));
    const store = join(dir, 'events.db');
    replica = await startTestApp({
      DERBES_EVENT_STORE: store, DERBES_DATA_DIR: join(dir, 'replica'), DERBES_TREE_HEAD_SIGNER: 'off', DERBES_TREE_HEAD_INTERVAL: '1s',
    });
    signer = await startTestApp({
      DERBES_EVENT_STORE: store, DERBES_DATA_DIR: join(dir, 'signer'), DERBES_PROJECTIONS: 'off', DERBES_TREE_HEAD_INTERVAL: 'off',
    });
  });
  afterEach(async () => {
    await signer.close();
    await replica.close();
  });

  it('refuses to sign on demand, never signs on its interval, and creates no signing key', async () => {
    await replica.http.post('/v1/processing-records').send(aRecord()).expect(201);

    const refused = await replica.http.post('/v1/integrity/tree-heads').send({}).expect(403);
    expect(refused.body).toMatchObject({ code: 'forbidden', message: expect.stringContaining('DERBES_TREE_HEAD_SIGNER=off') });
    const keys = await request(replica.server).get('/v1/integrity/keys').expect(403);
    expect(keys.body.message).toContain('holds no signing key');

    // Three of its 1 s intervals: a replica allowed to sign would have appended a head by now.
    await sleep(3200);
    const heads = (await replica.store.readAll({ after: 0 })).filter((e) => e.streamId === TREE_HEADS_STREAM || e.type === TREE_HEAD_SIGNED);
    expect(heads).toEqual([]);
    expect((await replica.http.get('/v1/integrity/tree-heads/latest').expect(404)).body.code).toBe('tree_head_not_found');
    expect(existsSync(join(replica.config.dataDir, 'integrity-keys'))).toBe(false);
  });

  it('serves the head the signer appended to the shared log, its proofs, and access reports resting on it', async () => {
    const recorded = await replica.http.post('/v1/processing-records').send(aRecord()).expect(201);
    await replica.http.post('/v1/processing-records').send(aRecord({ subject: { iin: OTHER_IIN } })).expect(201);
    const signed = (await signer.http.post('/v1/integrity/tree-heads').send({}).expect(201)).body;
    const publicKeys = (await request(signer.server).get('/v1/integrity/keys').expect(200)).body as { keyId: string; publicKeyPem: string }[];
    const key = publicKeys.find((k) => k.keyId === signed.keyId);

    // The replica's read models follow the log on their own thread: the head reaches them shortly.
    let latest = await replica.http.get('/v1/integrity/tree-heads/latest');
    for (let i = 0; i < 100 && latest.status !== 200; i++) {
      await sleep(50);
      latest = await replica.http.get('/v1/integrity/tree-heads/latest');
    }
    expect(latest.status).toBe(200);
    expect(latest.body).toEqual(signed);
    expect(verifyTreeHead(latest.body, key!.publicKeyPem)).toBe(true);
    expect((await replica.http.get(`/v1/integrity/tree-heads/${signed.treeSize}`).expect(200)).body).toEqual(signed);

    const inclusion = await replica.http.get('/v1/integrity/inclusion')
      .query({ eventId: recorded.body.eventId, treeSize: String(signed.treeSize) }).expect(200);
    const stored = await replica.store.readEventById(recorded.body.eventId);
    const leaf = eventLeafHash(stored as unknown as CanonicalEvent);
    expect(inclusion.body.rootHash).toBe(signed.rootHash);
    expect(verifyInclusion(leaf, stored!.position - 1, signed.treeSize, inclusion.body.proof.map(hex), hex(signed.rootHash))).toBe(true);

    // The replica records the report's read, then waits for a head that covers it: the signer's next one. It
    // rests on that head and signs nothing.
    const asked = replica.http.get(`/v1/subjects/${recorded.body.subjectId}/access-report`).set(READER).query({ lang: 'en' }).then((r) => r);
    await sleep(500);
    const next = (await signer.http.post('/v1/integrity/tree-heads').send({}).expect(201)).body;
    const report = await asked;
    expect(report.status).toBe(200);
    expect(report.body.integrity).toMatchObject({ treeHeadSource: 'latest', treeHead: { treeSize: next.treeSize, signature: next.signature } });
    // The replica holds no key: its report is unsigned, checked by its hashes when the reader accepts that.
    expect(verifyReport(report.body, [key!.publicKeyPem])).toMatchObject({ ok: false, code: 'unsigned' });
    expect(verifyReport(report.body, [key!.publicKeyPem], { acceptUnsigned: true })).toMatchObject({ ok: true, summary: { signed: false, completeAsOf: report.body.generatedAt } });

    // A later report that no head comes to cover: the replica cannot sign one, so after its wait the report comes
    // without a proof (rather than failing after the read was recorded); the signer's next head will cover it.
    await replica.http.post('/v1/processing-records').send(aRecord()).expect(201);
    const uncovered = await replica.http.get(`/v1/subjects/${recorded.body.subjectId}/access-report`).set(READER).query({ lang: 'en' }).expect(200);
    expect(uncovered.body.integrity).toBeNull();
    expect(uncovered.body.events.length).toBeGreaterThan(report.body.events.length);
  });
});
