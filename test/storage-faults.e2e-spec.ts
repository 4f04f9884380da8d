import fs, { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { SqliteEventStore } from '@derbes/event-store';
import { TREE_HEADS_STREAM } from '@derbes/integrity';
import { DATA_KEY_STORE } from '../apps/ledger/src/data-keys/data-key-store';
import type { SqliteDataKeyStore } from '../apps/ledger/src/data-keys/sqlite-data-key-store';
import { projectionsRebuild } from '../apps/cli/src/projections.command';
import { SubjectRequestDesk } from '../apps/ledger/src/subject-requests/subject-request-desk';
import { loadConfig } from '../apps/ledger/src/config/ledger-config';
import {
  childEnv, createTestKeys, dataFiles, readModelSnapshot, startChildServer, waitForProjections, type ChildServer,
} from './support/child-server';
import { Rng, validIins } from './support/fuzz-generators';
import { aRecord, IIN, OTHER_IIN, READER, startTestApp, type TestApp } from './support/test-app';

/**
 * The one way this file speaks HTTP, to the in-process app or to a child server: records with the hr-portal
 * emitter's key, everything else as the official.
 */
async function api(target: TestApp | ChildServer, method: 'get' | 'post', path: string, body?: unknown, headers: Record<string, string> = {}) {
  const call = 'url' in target
    ? request(target.url)[method](path).set('authorization', `Bearer ${target.tokens[method === 'post' && path.startsWith('/v1/processing-records') ? 'emitter:hr-portal' : 'official']}`)
    : target.http[method](path);
  return body === undefined ? call.set(headers) : call.set(headers).send(body as object);
}

const STORE_UNAVAILABLE = {
  statusCode: 503, error: 'Service Unavailable', code: 'store_unavailable',
  message: 'the event store cannot take writes now; nothing was recorded', errors: [], correlationId: expect.any(String),
};

/** Reads that write nothing: they must go on answering from what is stored while writes are refused. */
async function expectReadsAnswer(target: TestApp | ChildServer, position: number): Promise<void> {
  const health = await api(target, 'get', '/health');
  expect(health.status).toBe(200);
  expect(health.body.store.lastPosition).toBe(position);
  const lookup = await api(target, 'post', '/v1/subjects/lookup', { iin: IIN });
  expect([lookup.status, lookup.body.known]).toEqual([200, true]);
  for (const path of [
    '/v1/register/current', '/v1/reports/violations', '/v1/reports/summary?from=2026-01-01&to=2026-12-31&groupBy=operation',
    '/v1/reports/transfers?from=2026-01-01&to=2026-12-31', '/v1/reports/actor-activity?from=2026-11-01&to=2026-11-30',
    '/v1/subject-requests', '/metrics',
  ]) {
    const res = await api(target, 'get', path);
    expect([path, res.status]).toEqual([path, 200]);
  }
}

async function lastPositionOf(dataDir: string): Promise<number> {
  const store = SqliteEventStore.open(dataFiles(dataDir).events);
  try {
    return await store.lastPosition();
  } finally {
    await store.close();
  }
}

/** Every file under a directory (the data keys' database sits in a folder of its own). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

/**
 * A pragma on the connection the store writes with (on its writer thread). SQLite's page limit is per connection,
 * so a full disk is simulated where the store writes: with `max_page_count` at the file's size, an append that needs
 * a new page fails with SQLITE_FULL, the code a write that meets ENOSPC gets.
 */
async function storePragma(t: TestApp, pragma: string): Promise<number | undefined> {
  const rows = await (t.store as SqliteEventStore).writerPragma(pragma) as Record<string, number>[];
  return rows[0] === undefined ? undefined : Object.values(rows[0])[0];
}

describe('a full disk (SQLITE_FULL on the store)', () => {
  it('refuses a write that needs room with 503 store_unavailable and stores nothing of it; reads go on; writes resume when room returns', async () => {
    const t = await startTestApp(fileStore());
    try {
      const base = await t.store.lastPosition();
      const transfer = aRecord({ operation: 'transfer', source: undefined, categories: [1], recipient: { name: 'Partner University', country: 'DE' } });
      expect((await api(t, 'post', '/v1/processing-records', transfer)).status).toBe(201);
      const unlimited = await storePragma(t, 'max_page_count');
      await storePragma(t, `max_page_count = ${await storePragma(t, 'page_count')}`);

      // The last pages still have some room; the first record that needs a new page is refused.
      const big = (i: number) => aRecord({ note: `record ${i} `.repeat(180).slice(0, 1800) });
      let lastPosition = base + 1;
      let refused: Record<string, unknown> | undefined;
      for (let i = 0; i < 200 && !refused; i++) {
        const record = big(i);
        const res = await api(t, 'post', '/v1/processing-records', record);
        if (res.status === 503) {
          expect(res.body).toEqual(STORE_UNAVAILABLE);
          expect(res.headers['retry-after']).toBe('1');
          refused = record;
        } else {
          expect(res.status).toBe(201);
          lastPosition++;
        }
      }
      expect(refused).toBeDefined();
      // Records as large need room as much: refused again, alone or in a batch, and nothing of the batch is kept.
      expect((await api(t, 'post', '/v1/processing-records', refused)).body).toEqual(STORE_UNAVAILABLE);
      const batch = [big(1000), { ...big(1001), subject: { iin: OTHER_IIN } }];
      expect((await api(t, 'post', '/v1/processing-records/batch', { records: batch })).body).toEqual(STORE_UNAVAILABLE);
      await expectReadsAnswer(t, lastPosition);
      for (const record of [refused!, ...batch]) expect(await t.store.readEventById(record.recordId as string)).toBeUndefined();

      // Room again, no restart: the refused records are new to the ledger (201, not 200), so nothing of them was kept.
      await storePragma(t, `max_page_count = ${unlimited}`);
      const again = await api(t, 'post', '/v1/processing-records', refused);
      expect([again.status, again.body.status]).toEqual([201, 'created']);
      const batchAgain = await api(t, 'post', '/v1/processing-records/batch', { records: batch });
      expect([batchAgain.status, batchAgain.body.created]).toEqual([201, 2]);
    } finally {
      await t.close();
    }
  });
});

describe('a full disk where the ledger keeps keys', () => {
  it('answers a record about a new subject 503 when its data key cannot be written (SQLITE_FULL in the key file), and 201 once it can', async () => {
    const t = await startTestApp(fileStore());
    try {
      expect((await api(t, 'post', '/v1/processing-records', aRecord({ note: 'first' }))).status).toBe(201);
      const keys = t.app.get<SqliteDataKeyStore>(DATA_KEY_STORE);
      const unlimited = (await keys.writerPragma('max_page_count') as [{ max_page_count: number }])[0].max_page_count;
      const [{ page_count: pages }] = await keys.writerPragma('page_count') as [{ page_count: number }];
      await keys.writerPragma(`max_page_count = ${pages}`);
      // New subjects in one batch: their keys are made in one transaction, which needs a new page.
      const base = await t.store.lastPosition();
      const records = validIins(new Rng(20), 200).map((iin, i) => aRecord({ subject: { iin }, note: `new subject ${i}` }));
      expect((await api(t, 'post', '/v1/processing-records/batch', { records })).body).toEqual(STORE_UNAVAILABLE);
      expect(await t.store.lastPosition()).toBe(base);
      await keys.writerPragma(`max_page_count = ${unlimited}`);
      const again = await api(t, 'post', '/v1/processing-records/batch', { records });
      expect([again.status, again.body.created]).toEqual([201, 200]);
    } finally {
      await t.close();
    }
  });

  it('answers an information request 503 naming the read its report recorded when the note\'s new data key cannot be written', async () => {
    const t = await startTestApp(fileStore());
    try {
      expect((await api(t, 'post', '/v1/processing-records', aRecord())).status).toBe(201); // the key file exists
      // A person the ledger holds no key for: the request carries no text to seal.
      const received = await api(t, 'post', '/v1/subject-requests', {
        subject: { iin: OTHER_IIN }, kind: 'information', channel: 'in-person', receivedAt: '2026-11-24T10:00:00+05:00',
      });
      expect(received.status).toBe(201);
      const { requestId, subjectId } = received.body;
      // The key file refuses every write, as a disk remounted read-only would.
      await t.app.get<SqliteDataKeyStore>(DATA_KEY_STORE).writerPragma('query_only = ON');
      // The answer makes the report (its read recorded first), then needs a key for its note: the disk refuses it.
      const res = await api(t, 'post', `/v1/subject-requests/${requestId}/answer`, { note: 'sent by post' });
      const reads = (await t.store.readStream(`subject-${subjectId}`)).filter((e) => e.type === 'SubjectFileRead');
      expect(reads).toHaveLength(1);
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('store_unavailable');
      expect(res.body.message).toContain(`the read of the subject's file was recorded (event ${reads[0]!.id}`);
      // It names the request it did not answer: the console's page says that, not that a page could not be made.
      const official = { id: 'hr-director', role: 'official', unit: 'personnel-management' };
      await expect(t.app.get(SubjectRequestDesk).answer(requestId, official, 'en', 'sent by post', 'again'))
        .rejects.toMatchObject({ name: 'ReadRecordedError', requestId });
    } finally {
      await t.close();
    }
  });

  it('answers the first signed tree head 503 when its signing key cannot be written (ENOSPC), leaving no file of it, and 201 once it can', async () => {
    const env = fileStore();
    const t = await startTestApp(env);
    try {
      expect((await api(t, 'post', '/v1/processing-records', aRecord())).status).toBe(201);
      // The disk refuses the key file's bytes (written whole by writeFileSync, or not at all).
      const write = fs.writeFileSync;
      jest.spyOn(fs, 'writeFileSync').mockImplementation((file, data, ...rest) => {
        if (String(data).includes('privateKeyPem')) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        return write(file, data, ...rest);
      });
      const refused = await api(t, 'post', '/v1/integrity/tree-heads', {});
      jest.restoreAllMocks();
      expect([refused.status, refused.body]).toEqual([503, STORE_UNAVAILABLE]);
      expect(readdirSync(join(env.DERBES_DATA_DIR!, 'integrity-keys'))).toEqual([]);
      const signed = await api(t, 'post', '/v1/integrity/tree-heads', {});
      expect(signed.status).toBe(201);
      expect(readdirSync(join(env.DERBES_DATA_DIR!, 'integrity-keys'))).toEqual(['key-1.json']);
    } finally {
      jest.restoreAllMocks();
      await t.close();
    }
  });
});

describe('a store that refuses every write (SQLITE_READONLY, as a read-only database file gives)', () => {
  it('answers every write with 503, also a read of a person\'s file, which is recorded first; other reads go on; all works again after', async () => {
    const t = await startTestApp(fileStore());
    try {
      expect((await api(t, 'post', '/v1/processing-records', aRecord())).status).toBe(201);
      const lastPosition = await t.store.lastPosition();
      const { subjectId } = (await api(t, 'post', '/v1/subjects/lookup', { iin: IIN })).body;
      await storePragma(t, 'query_only = ON');

      const record = aRecord();
      const batch = [aRecord(), aRecord({ subject: { iin: OTHER_IIN } })];
      const subjectRequest = { requestId: '4f7c0c1e-8a59-4d7e-9d0e-ffff00000001', subject: { iin: IIN }, kind: 'information', channel: 'egov', receivedAt: '2026-11-24T10:00:00+05:00' };
      for (const [path, body] of [
        ['/v1/processing-records', record], ['/v1/processing-records/batch', { records: batch }], ['/v1/subject-requests', subjectRequest],
      ] as const) {
        const res = await api(t, 'post', path, body);
        expect([path, res.status, res.body]).toEqual([path, 503, STORE_UNAVAILABLE]);
      }
      // Reading a person's file is recorded before anything is shown: with nowhere to record it, nothing is shown.
      // (At the position of the first record: on a file store, the read models follow on their own thread.)
      const history = await api(t, 'get', `/v1/subjects/${subjectId}/history?position=${lastPosition}`, undefined, READER);
      expect([history.status, history.body]).toEqual([503, STORE_UNAVAILABLE]);
      await expectReadsAnswer(t, lastPosition);
      expect(await t.store.lastPosition()).toBe(lastPosition);

      await storePragma(t, 'query_only = OFF');
      expect((await api(t, 'post', '/v1/processing-records', record)).status).toBe(201);
      expect((await api(t, 'post', '/v1/processing-records/batch', { records: batch })).body.created).toBe(2);
      expect((await api(t, 'post', '/v1/subject-requests', subjectRequest)).status).toBe(201);
      expect((await api(t, 'get', `/v1/subjects/${subjectId}/history`, undefined, READER)).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});

describe('a store that fills up after a read of a person\'s file was recorded (the access report\'s head refused)', () => {
  it('answers 503 store_unavailable naming the recorded read, never "nothing was recorded"; the read is in the log once', async () => {
    const t = await startTestApp(fileStore());
    try {
      expect((await api(t, 'post', '/v1/processing-records', aRecord())).status).toBe(201);
      const { subjectId } = (await api(t, 'post', '/v1/subjects/lookup', { iin: IIN })).body;
      // The report's read is appended; then the store refuses the head signed for it, as a disk filled meanwhile would.
      const append = t.store.appendToStream.bind(t.store);
      t.store.appendToStream = async (streamId, ...rest) => {
        if (streamId === TREE_HEADS_STREAM) await storePragma(t, 'query_only = ON');
        return append(streamId, ...rest);
      };
      const res = await api(t, 'get', `/v1/subjects/${subjectId}/access-report`, undefined, READER);
      const reads = (await t.store.readStream(`subject-${subjectId}`)).filter((e) => e.type === 'SubjectFileRead');
      expect(reads).toHaveLength(1);
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.body).toEqual({
        statusCode: 503, error: 'Service Unavailable', code: 'store_unavailable', errors: [], correlationId: expect.any(String),
        message: `the read of the subject's file was recorded (event ${reads[0]!.id}, which their access report lists), but the access report could not be made: `
          + 'the event store cannot take writes now; ask again (that records another read)',
      });

      // Room again: the next report lists the first read, which showed nothing, and its own.
      t.store.appendToStream = append;
      await storePragma(t, 'query_only = OFF');
      const again = await api(t, 'get', `/v1/subjects/${subjectId}/access-report`, undefined, READER);
      expect(again.status).toBe(200);
      const after = (await t.store.readStream(`subject-${subjectId}`)).filter((e) => e.type === 'SubjectFileRead');
      expect(after.map((e) => e.id)).toEqual([reads[0]!.id, again.body.integrity.readEventId]);
    } finally {
      await t.close();
    }
  });
});

/** An in-process app on a store file of its own. */
function fileStore(): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'derbes-faults-'));
  return { DERBES_DATA_DIR: dir, DERBES_EVENT_STORE: join(dir, 'events.db') };
}

describe('a disk that refuses to grow the files (write() fails in the kernel)', () => {
  it('refuses writes with 503 and keeps serving reads; after a restart everything acknowledged is there once and nothing refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-efbig-'));
    // Lay the files down at their start-up size first, so that the limit leaves only room to grow a little.
    const tokens = await createTestKeys(childEnv(dir));
    const base = await lastPositionOf(dir);
    const largest = Math.max(...filesUnder(dir).map((f) => statSync(f).size));
    const limited = await startChildServer(childEnv(dir), { tokens, fileSizeLimitBytes: largest + 256 * 1024 });
    const acknowledged: string[] = [];
    let refused: Record<string, unknown>[] | undefined;
    try {
      for (let i = 0; i < 300 && !refused; i++) {
        const records = Array.from({ length: 10 }, (_, k) => aRecord({
          subject: { iin: k % 2 === 0 ? IIN : OTHER_IIN }, note: `batch ${i} `.repeat(30), occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
        }));
        const res = await api(limited, 'post', '/v1/processing-records/batch', { records });
        if (res.status === 503) {
          expect(res.body).toEqual(STORE_UNAVAILABLE);
          refused = records;
        } else {
          expect(res.status).toBe(201);
          acknowledged.push(...records.map((r) => r.recordId as string));
        }
      }
      expect(refused).toBeDefined();
      // Nothing of it was written, so the same batch needs the same room again: refused again.
      expect((await api(limited, 'post', '/v1/processing-records/batch', { records: refused })).body).toEqual(STORE_UNAVAILABLE);
      await expectReadsAnswer(limited, base + acknowledged.length);
      expect(limited.alive()).toBe(true);
      // The refusal came from the kernel (EFBIG), through SQLite's write path, as EROFS or EIO would.
      expect(limited.output()).toContain('SQLITE_IOERR_WRITE');
      // The read models' file cannot grow either: a projection that could not commit says so; none lags silently.
      const { projections } = (await api(limited, 'get', '/health')).body as { projections: { lag: number; error: string | null }[] };
      for (const p of projections) expect(p.lag === 0 || p.error !== null).toBe(true);
    } finally {
      await limited.kill('SIGKILL');
    }

    const restarted = await startChildServer(childEnv(dir), { tokens });
    try {
      const again = await api(restarted, 'post', '/v1/processing-records/batch', { records: refused });
      expect([again.status, again.body.created]).toEqual([201, 10]);
      // The read models stopped when their own file could not grow; they resume from their checkpoint.
      await waitForProjections(restarted);
    } finally {
      await restarted.kill('SIGTERM');
    }
    const store = SqliteEventStore.open(dataFiles(dir).events);
    try {
      const ids = (await store.readAll()).filter((e) => e.streamId.startsWith('subject-')).map((e) => e.id);
      expect(ids).toEqual([...acknowledged, ...refused!.map((r) => r.recordId as string)]);
    } finally {
      await store.close();
    }
    const kept = readModelSnapshot(dataFiles(dir).readModels);
    await projectionsRebuild(loadConfig(childEnv(dir)), undefined);
    expect(kept).toEqual(readModelSnapshot(dataFiles(dir).readModels));
  });
});
