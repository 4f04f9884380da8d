import { chmodSync, existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { eventLeafHash, verifyConsistency, verifyInclusion, verifyReport, verifyTreeHead, type CanonicalEvent } from '@derbes/integrity';
import { childEnv, runCli } from './support/child-server';
import { OTHER_IIN, READER, aRecord, startTestApp, type TestApp } from './support/test-app';

const hex = (h: string) => Buffer.from(h, 'hex');

describe('the verifiable log over HTTP', () => {
  let t: TestApp;
  beforeEach(async () => { t = await startTestApp({ DERBES_TREE_HEAD_INTERVAL: 'off' }); });
  afterEach(() => t.close());

  it('signs the tree on demand, appends the head to the log, and anyone can check it with the served public key', async () => {
    const recorded = await t.http.post('/v1/processing-records').send(aRecord()).expect(201);
    await t.http.post('/v1/processing-records').send(aRecord({ subject: { iin: OTHER_IIN } })).expect(201);
    const before = await t.store.lastPosition();
    // It takes no body: a field is refused as unknown, as everywhere, and nothing is signed.
    const refused = await t.http.post('/v1/integrity/tree-heads').send({ treeSize: 1 }).expect(400);
    expect(refused.body.errors).toEqual([{ field: 'treeSize', reason: 'is not a known field' }]);
    expect(await t.store.lastPosition()).toBe(before);
    const signed = await t.http.post('/v1/integrity/tree-heads').send({}).expect(201);
    expect(signed.body).toMatchObject({ treeSize: before, position: before + 1, rootHash: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const keys = await request(t.server).get('/v1/integrity/keys').expect(200);
    const key = keys.body.find((k: { keyId: string }) => k.keyId === signed.body.keyId);
    expect(verifyTreeHead(signed.body, key.publicKeyPem)).toBe(true);
    expect(verifyTreeHead({ ...signed.body, treeSize: signed.body.treeSize + 1 }, key.publicKeyPem)).toBe(false);
    // The first head makes the key: made by the ledger's clock before the head is stamped, it never looks younger than it.
    expect(key.createdAt).toBe(t.clock.now().toISOString());
    expect(Date.parse(key.createdAt)).toBeLessThanOrEqual(Date.parse(signed.body.timestamp));

    // The head is an event of the log; asked again with nothing new but it, the tree has grown by the head itself.
    const latest = await t.http.get('/v1/integrity/tree-heads/latest').expect(200);
    expect(latest.body).toEqual(signed.body);
    expect((await t.http.get(`/v1/integrity/tree-heads/${before}`).expect(200)).body).toEqual(signed.body);

    // Inclusion of the first record in that tree, checked against the signed root with a leaf hash computed here.
    const inclusion = await t.http.get('/v1/integrity/inclusion').query({ eventId: recorded.body.eventId, treeSize: String(before) }).expect(200);
    const stored = await t.store.readEventById(recorded.body.eventId);
    const leaf = eventLeafHash(stored as unknown as CanonicalEvent);
    expect(inclusion.body).toMatchObject({ position: stored?.position, leafIndex: stored!.position - 1, treeSize: before, leafHash: leaf.toString('hex'), rootHash: signed.body.rootHash });
    expect(verifyInclusion(leaf, stored!.position - 1, before, inclusion.body.proof.map(hex), hex(signed.body.rootHash))).toBe(true);
    // Exactly the members the README lists, no more.
    expect(Object.keys(inclusion.body).sort()).toEqual(['eventId', 'leafHash', 'leafIndex', 'position', 'proof', 'rootHash', 'treeSize']);
  });

  it('proves that a later head extends an earlier one, and answers an unchanged log with the last head', async () => {
    await t.http.post('/v1/processing-records').send(aRecord()).expect(201);
    const first = (await t.http.post('/v1/integrity/tree-heads').send({}).expect(201)).body;
    for (let i = 0; i < 5; i++) await t.http.post('/v1/processing-records').send(aRecord({ operation: 'access', source: undefined })).expect(201);
    const second = (await t.http.post('/v1/integrity/tree-heads').send({}).expect(201)).body;
    expect(second.treeSize).toBe(first.treeSize + 6); // five records and the first head
    const proof = await t.http.get('/v1/integrity/consistency').query({ from: String(first.treeSize), to: String(second.treeSize) }).expect(200);
    expect(proof.body).toMatchObject({ fromRoot: first.rootHash, toRoot: second.rootHash });
    expect(proof.body).toEqual({ from: first.treeSize, to: second.treeSize, fromRoot: first.rootHash, toRoot: second.rootHash, proof: expect.any(Array) });
    expect(verifyConsistency(first.treeSize, second.treeSize, proof.body.proof.map(hex), hex(first.rootHash), hex(second.rootHash))).toBe(true);
    // Nothing appended since but the second head itself: signing again answers that head, and appends nothing.
    const positionAfter = await t.store.lastPosition();
    const again = await t.http.post('/v1/integrity/tree-heads').send({}).expect(200);
    expect(again.body).toEqual(second);
    expect(await t.store.lastPosition()).toBe(positionAfter);
  });

  it('refuses malformed or impossible questions with the field and the reason', async () => {
    const recorded = await t.http.post('/v1/processing-records').send(aRecord()).expect(201);
    await t.http.post('/v1/processing-records').send(aRecord()).expect(201);
    const last = await t.store.lastPosition();
    const cases: [Record<string, string>, number, string, string][] = [
      [{ eventId: 'nope', treeSize: '1' }, 400, 'eventId', 'UUID'],
      [{ eventId: recorded.body.eventId, treeSize: 'x' }, 400, 'treeSize', 'whole number'],
      [{ eventId: recorded.body.eventId, treeSize: String(recorded.body.position - 1) }, 400, 'treeSize', 'does not hold it'],
      [{ eventId: recorded.body.eventId, treeSize: String(last + 5) }, 400, 'treeSize', `holds ${last} events`],
    ];
    for (const [query, status, field, reason] of cases) {
      const res = await t.http.get('/v1/integrity/inclusion').query(query).expect(status);
      expect(res.body.errors).toEqual([expect.objectContaining({ field, reason: expect.stringContaining(reason) })]);
    }
    const upper = await t.http.get('/v1/integrity/inclusion').query({ eventId: recorded.body.eventId.toUpperCase(), treeSize: String(last) }).expect(200);
    expect(upper.body).toMatchObject({ eventId: recorded.body.eventId, position: recorded.body.position });
    const unknown = await t.http.get('/v1/integrity/inclusion').query({ eventId: '00000000-0000-4000-8000-000000000000', treeSize: String(last) }).expect(404);
    expect(unknown.body.code).toBe('event_not_found');
    const reversed = await t.http.get('/v1/integrity/consistency').query({ from: String(last), to: '1' }).expect(400);
    expect(reversed.body.errors).toEqual([{ field: 'from', reason: 'must not exceed to (1)' }]);
    const beyond = await t.http.get('/v1/integrity/consistency').query({ from: '1', to: String(last + 100) }).expect(400);
    expect(beyond.body.errors).toEqual([{ field: 'to', reason: `the log holds ${last} events, not ${last + 100}` }]);
    expect((await t.http.get('/v1/integrity/tree-heads/latest').expect(404)).body.code).toBe('tree_head_not_found');
    expect((await t.http.get('/v1/integrity/tree-heads/7').expect(404)).body.code).toBe('tree_head_not_found');
    expect((await t.http.get('/v1/integrity/tree-heads/seven').expect(400)).body.errors[0].field).toBe('size');
  });
});

describe('signed tree heads on an interval', () => {
  it('are signed by the process that keeps the read models, without being asked', async () => {
    const t = await startTestApp({ DERBES_TREE_HEAD_INTERVAL: '1s' });
    try {
      await t.http.post('/v1/processing-records').send(aRecord()).expect(201);
      let head: { treeSize: number } | undefined;
      for (let i = 0; i < 100 && !head; i++) {
        const res = await t.http.get('/v1/integrity/tree-heads/latest');
        if (res.status === 200) head = res.body;
        else await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(head?.treeSize).toBeGreaterThanOrEqual(1);
    } finally {
      await t.close();
    }
  });
});

describe('a head just signed, with the read models on their own thread (a file store)', () => {
  it('is the latest and the head of its size at once, every time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-heads-'));
    const t = await startTestApp({ DERBES_DATA_DIR: dir, DERBES_EVENT_STORE: join(dir, 'events.db'), DERBES_TREE_HEAD_INTERVAL: 'off' });
    try {
      for (let i = 0; i < 10; i++) {
        await t.http.post('/v1/processing-records').send(aRecord()).expect(201);
        const signed = (await t.http.post('/v1/integrity/tree-heads').send({}).expect(201)).body;
        expect((await t.http.get(`/v1/integrity/tree-heads/${signed.treeSize}`).expect(200)).body).toEqual(signed);
        expect((await t.http.get('/v1/integrity/tree-heads/latest').expect(200)).body).toEqual(signed);
      }
    } finally {
      await t.close();
    }
  });
});

describe('the signing keys at start', () => {
  it('stop the start, naming the file, when a key file is readable by others or damaged; a ledger without keys starts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'derbes-keys-'));
    const env = { DERBES_DATA_DIR: dataDir, DERBES_EVENT_STORE: join(dataDir, 'events.db') };
    // No key yet: the first is made when the ledger first signs, as before.
    const first = await startTestApp(env);
    expect(existsSync(join(dataDir, 'integrity-keys'))).toBe(false);
    await first.http.post('/v1/integrity/tree-heads').expect(201);
    await first.close();
    const key = join(dataDir, 'integrity-keys', 'key-1.json');
    chmodSync(key, 0o644);
    await expect(startTestApp(env)).rejects.toThrow(`signing key ${key}: readable by others than its owner; chmod 600 it`);
    chmodSync(key, 0o600);
    writeFileSync(key, '{"version": 1');
    await expect(startTestApp(env)).rejects.toThrow(`signing key ${key}: not JSON`);
  });
});

describe('derbes signing-keys rotate', () => {
  it('adds a version that a running ledger signs heads and reports with at once; the older still verifies what it signed', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'derbes-rotate-'));
    const t = await startTestApp({ DERBES_DATA_DIR: dataDir, DERBES_EVENT_STORE: join(dataDir, 'events.db'), DERBES_TREE_HEAD_INTERVAL: 'off' });
    try {
      const env = childEnv(dataDir);
      expect((await runCli(['signing-keys', 'list'], env)).stdout).toBe('no signing key yet: the first tree head makes one\n');
      const recorded = await t.http.post('/v1/processing-records').send(aRecord()).expect(201);
      const first = (await t.http.post('/v1/integrity/tree-heads').send({}).expect(201)).body;

      const rotated = await runCli(['signing-keys', 'rotate'], env);
      expect(rotated.code).toBe(0);
      // A new key file that cannot be read as a key (here: readable by others) leaves the running ledger signing with
      // the keys it read before, never failing its heads and reports; once mended, it is read.
      const newKeyFile = join(dataDir, 'integrity-keys', 'key-2.json');
      chmodSync(newKeyFile, 0o644);
      await t.http.post('/v1/processing-records').send(aRecord({ operation: 'access', source: undefined })).expect(201);
      expect((await t.http.post('/v1/integrity/tree-heads').send({}).expect(201)).body.keyId).toBe(first.keyId);
      expect(((await request(t.server).get('/v1/integrity/keys').expect(200)).body as unknown[]).length).toBe(1);
      chmodSync(newKeyFile, 0o600);
      // Nor does a key directory that cannot be listed (a file in its place): the keys read before go on signing.
      const keyDir = join(dataDir, 'integrity-keys');
      renameSync(keyDir, `${keyDir}.moved`);
      writeFileSync(keyDir, 'not a directory');
      await t.http.post('/v1/processing-records').send(aRecord({ operation: 'access', source: undefined, occurredAt: '2026-11-20T09:31:00Z' })).expect(201);
      expect((await t.http.post('/v1/integrity/tree-heads').send({}).expect(201)).body.keyId).toBe(first.keyId);
      rmSync(keyDir);
      renameSync(`${keyDir}.moved`, keyDir);
      expect(rotated.stdout).toMatch(/^signing key version 2 \(key id [0-9a-f]{16}\) made in .*integrity-keys: it signs tree heads and access reports from now on\n/);
      expect(rotated.stdout).toContain(`version 1 (key id ${first.keyId}) and any older stay`);

      // The running ledger serves both and signs with the new one, without a restart.
      const keys = (await request(t.server).get('/v1/integrity/keys').expect(200)).body as Array<{ keyId: string; version: number; publicKeyPem: string }>;
      expect(keys.map((k) => k.version)).toEqual([1, 2]);
      expect(keys[0]!.keyId).toBe(first.keyId);
      await t.http.post('/v1/processing-records').send(aRecord({ subject: { iin: OTHER_IIN } })).expect(201);
      const second = (await t.http.post('/v1/integrity/tree-heads').send({}).expect(201)).body;
      expect(second.keyId).toBe(keys[1]!.keyId);
      expect(verifyTreeHead(first, keys[0]!.publicKeyPem)).toBe(true);
      expect(verifyTreeHead(second, keys[1]!.publicKeyPem)).toBe(true);
      expect(verifyTreeHead(second, keys[0]!.publicKeyPem)).toBe(false);

      const report = (await t.http.get(`/v1/subjects/${recorded.body.subjectId}/access-report`).set(READER).expect(200)).body;
      expect(report.signature.keyId).toBe(keys[1]!.keyId);
      expect(verifyReport(report, keys.map((k) => k.publicKeyPem))).toMatchObject({ ok: true });
      expect((await runCli(['signing-keys', 'list'], env)).stdout.split('\n')).toEqual([
        expect.stringMatching(new RegExp(`^version 1  key id ${first.keyId}  created \\S+$`)),
        expect.stringMatching(new RegExp(`^version 2  key id ${keys[1]!.keyId}  created \\S+  \\(signs now\\)$`)),
        '',
      ]);
    } finally {
      await t.close();
    }
  });
});
