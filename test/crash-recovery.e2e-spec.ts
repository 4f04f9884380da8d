import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore, type RecordedEvent } from '@derbes/event-store';
import { buildIin } from '@derbes/ledger';
import { projectionsRebuild } from '../apps/cli/src/projections.command';
import { loadConfig } from '../apps/ledger/src/config/ledger-config';
import {
  childEnv, createTestKeys, dataFiles, readModelSnapshot, startChildServer, waitForProjections, type ChildServer,
  serverApi as api,
} from './support/child-server';

/** Valid IINs of a few people, so that concurrent writers meet on the same subjects. */
const IINS = ['850101', '900215', '770630', '011122', '660909'].map((date, i) => {
  for (let serial = 1; ; serial++) {
    const iin = buildIin(date, i % 2 === 0 ? 3 : 4, String(serial).padStart(4, '0'));
    if (iin) return iin;
  }
});

/** A request of a writer: its ids are fixed before it is sent, so the store can be checked for each afterwards. */
interface Sent {
  readonly path: string;
  readonly body: unknown;
  /** The record ids (or the request id) it carries. */
  readonly ids: readonly string[];
  /** ack: a 2xx answer came back; lost: the connection failed (the server died), so the client does not know. */
  outcome?: 'ack' | 'lost' | number;
  answer?: any;
}

function anId(prefix: string, n: number): string {
  return `${prefix}-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

function aRecord(id: string, n: number, iin = IINS[n % IINS.length]): Record<string, unknown> {
  const kinds = [
    { operation: 'collect', categories: [1, 2, 28], source: { kind: 'subject' } },
    { operation: 'access', categories: [1, 28] },
    { operation: 'change', categories: [2] },
    { operation: 'transfer', categories: [1], recipient: { name: 'Partner University', country: 'DE' } },
    { operation: 'destroy', categories: [28] },
  ];
  return {
    recordId: id, subject: { iin }, purpose: 'P01',
    actor: { id: `hr-${n % 3}`, role: 'hr-specialist', unit: n % 2 === 0 ? 'personnel-management' : 'legal' },
    system: 'hr-portal', occurredAt: new Date(Date.now() - (n % 200) * 3_600_000).toISOString(),
    ...kinds[n % kinds.length],
  };
}

/**
 * The requests writer `w` sends, in order: single records and batches of four, across subjects or all about `iin`,
 * and (writer 7) subject requests.
 */
function requestsOf(prefix: string, w: number, count: number, iin?: string): Sent[] {
  return Array.from({ length: count }, (_, j) => {
    const n = w * 1000 + j * 6;
    if (w === 7 && j % 2 === 0) {
      const requestId = anId(prefix, n);
      const body = { requestId, subject: { iin: IINS[j % IINS.length] }, kind: 'information', channel: 'egov', receivedAt: new Date(Date.now() - 3_600_000).toISOString() };
      return { path: '/v1/subject-requests', body, ids: [requestId] };
    }
    if (j % 3 === 2) {
      const records = [0, 1, 2, 3].map((k) => aRecord(anId(prefix, n + k), n + k, iin));
      return { path: '/v1/processing-records/batch', body: { records }, ids: records.map((r) => r.recordId as string) };
    }
    const record = aRecord(anId(prefix, n), n, iin);
    return { path: '/v1/processing-records', body: record, ids: [record.recordId as string] };
  });
}

/** Sends the writer's requests one after another until they are done or the server is gone. */
async function write(server: ChildServer, requests: Sent[], afterEach: () => void): Promise<void> {
  for (const sent of requests) {
    try {
      const res = await api(server, 'POST', sent.path, sent.body);
      sent.outcome = res.status < 300 ? 'ack' : res.status;
      sent.answer = res.body;
    } catch {
      sent.outcome = 'lost';
      return;
    }
    afterEach();
  }
}

/** What an acknowledgement says was stored: event id -> (stream, revision, position). */
function acknowledged(sent: Sent): { id: string; streamId: string; revision: number; position: number }[] {
  if (sent.path === '/v1/subject-requests') {
    return [{ id: sent.answer.requestId, streamId: `subject-${sent.answer.subjectId}`, revision: -1, position: sent.answer.position }];
  }
  const results: any[] = sent.path.endsWith('/batch') ? sent.answer.results : [sent.answer];
  return results.map((r) => ({ id: r.eventId, streamId: `subject-${r.subjectId}`, revision: r.streamRevision, position: r.position }));
}

/** The whole log of a stopped ledger, after checking that it has no gap and that every stream counts 0, 1, 2... */
async function readLog(dataDir: string): Promise<{ events: RecordedEvent[]; byId: Map<string, RecordedEvent[]> }> {
  const file = dataFiles(dataDir).events;
  const check = new Database(file, { readonly: true });
  expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
  check.close();
  const store = SqliteEventStore.open(file);
  try {
    const events = await store.readAll();
    expect(events.map((e) => e.position)).toEqual(events.map((_, i) => i + 1));
    const revisions = new Map<string, number[]>();
    for (const e of events) revisions.set(e.streamId, [...(revisions.get(e.streamId) ?? []), e.revision]);
    for (const [, list] of revisions) expect(list).toEqual(list.map((_, i) => i));
    const byId = new Map<string, RecordedEvent[]>();
    for (const e of events) byId.set(e.id, [...(byId.get(e.id) ?? []), e]);
    return { events, byId };
  } finally {
    await store.close();
  }
}

/**
 * Each record was decided on its stream as it stood just before it, not on a stale copy: category 28 is destroyed at
 * a record's occurredAt when, among the destroys and collects of it earlier in the same stream and dated at or before
 * the record (in time order, ties in stream order), a destroy comes after the last collect (a collect after a
 * destruction is new data). A lost update (two writers deciding on the same revision) would break this.
 */
function expectDecidedInStreamOrder(events: readonly RecordedEvent[]): number {
  const marks = new Map<string, { at: number; operation: string }[]>();
  let flaggedCount = 0;
  for (const e of events) {
    if (e.type !== 'ProcessingRecorded') continue;
    const data = e.data as { operation: string; occurredAt: string; categories: { number: number }[]; violations: { code: string; category?: number }[] };
    if (!data.categories.some((c) => c.number === 28)) continue;
    const at = Date.parse(data.occurredAt);
    const flagged = data.violations.some((v) => v.code === 'category-destroyed' && v.category === 28);
    const earlier = (marks.get(e.streamId) ?? []).filter((m) => m.at <= at).sort((a, b) => a.at - b.at);
    const destroyed = earlier.reduce((was, m) => (m.operation === 'destroy' ? true : m.operation === 'collect' ? false : was), false);
    expect({ event: e.id, flagged }).toEqual({ event: e.id, flagged: destroyed });
    if (data.operation === 'destroy' || data.operation === 'collect') marks.set(e.streamId, [...(marks.get(e.streamId) ?? []), { at, operation: data.operation }]);
    if (flagged) flaggedCount++;
  }
  return flaggedCount;
}

/** The read models of a stopped ledger equal those that `derbes projections rebuild` makes from its log. */
async function expectReadModelsAsRebuilt(dataDir: string): Promise<void> {
  const kept = readModelSnapshot(dataFiles(dataDir).readModels);
  await projectionsRebuild(loadConfig(childEnv(dataDir)), undefined);
  const rebuilt = readModelSnapshot(dataFiles(dataDir).readModels);
  expect(Object.keys(kept).length).toBeGreaterThan(7);
  expect(kept).toEqual(rebuilt);
}

describe('a ledger killed with SIGKILL in the middle of concurrent writes', () => {
  it('keeps every acknowledged write once, no half of a batch, and read models that converge to a rebuild', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-crash-'));
    const tokens = await createTestKeys(childEnv(dir));
    const first = await startChildServer(childEnv(dir), { tokens });
    const writers = Array.from({ length: 8 }, (_, w) => requestsOf('c0000000', w, 60));
    let acks = 0;
    // Killed once the writers have had 80 answers: all eight have a request in flight at that moment. Each writer
    // then stops at its first failed request.
    await Promise.all(writers.map((requests) => write(first, requests, () => {
      if (++acks === 80) void first.kill('SIGKILL');
    })));
    await first.kill('SIGKILL');
    const sent = writers.flat().filter((s) => s.outcome !== undefined);
    expect(sent.filter((s) => typeof s.outcome === 'number').map((s) => [s.outcome, s.answer])).toEqual([]);
    const acked = sent.filter((s) => s.outcome === 'ack');
    const lost = sent.filter((s) => s.outcome === 'lost');
    expect(acked.length).toBeGreaterThanOrEqual(80);
    expect(lost.length).toBe(8);
    // The killed process left its lock behind; the next one takes it over.
    expect(readFileSync(join(dir, 'ledger.pid'), 'utf8').split('\n')[0]).toBe(String(first.pid));

    const second = await startChildServer(childEnv(dir), { tokens });
    try {
      expect(readFileSync(join(dir, 'ledger.pid'), 'utf8').split('\n')[0]).toBe(String(second.pid));
      const { events, byId: before } = await readLog(dir);
      expect(expectDecidedInStreamOrder(events)).toBeGreaterThan(0);
      for (const s of acked) {
        for (const ack of acknowledged(s)) {
          expect(before.get(ack.id)).toHaveLength(1);
          const [stored] = before.get(ack.id)!;
          expect({ streamId: stored!.streamId, position: stored!.position }).toEqual({ streamId: ack.streamId, position: ack.position });
          if (ack.revision >= 0) expect(stored!.revision).toBe(ack.revision);
        }
      }
      // What was in flight is all there (committed, the answer lost) or not at all.
      const inFlight = lost.map((s) => s.ids.filter((id) => before.has(id)).length);
      inFlight.forEach((present, i) => expect([0, lost[i]!.ids.length]).toContain(present));

      // A client that lost its answer sends the same request again: stored once, whatever had happened.
      for (const [i, s] of lost.entries()) {
        const again = await api(second, 'POST', s.path, s.body);
        expect(again.status).toBe(inFlight[i] === 0 ? 201 : 200);
        if (s.path.endsWith('/batch')) expect(again.body.created).toBe(inFlight[i] === 0 ? s.ids.length : 0);
      }
      await waitForProjections(second);
    } finally {
      await second.kill('SIGTERM');
    }
    const { byId: after } = await readLog(dir);
    for (const s of [...acked, ...lost]) for (const id of s.ids) expect(after.get(id)).toHaveLength(1);
    await expectReadModelsAsRebuilt(dir);
  });
});

describe('two ledger processes writing to the same subject', () => {
  it('lose no record and double none; each record is decided on the stream as it stands before it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'derbes-two-'));
    const tokens = await createTestKeys(childEnv(dir));
    const keeper = await startChildServer(childEnv(dir), { tokens });
    const writerOnly = await startChildServer(childEnv(dir, { DERBES_PROJECTIONS: 'off' }), { tokens });
    // Eight writers, half through each process, every record about the same person: each append races the
    // other process's on one stream.
    const writers = Array.from({ length: 8 }, (_, w) => requestsOf(`d000000${w}`, w % 7, 12, IINS[0]));
    const all = writers.flat();
    try {
      await Promise.all(writers.map((requests, w) => write(w % 2 === 0 ? keeper : writerOnly, requests, () => undefined)));
      // Bounded retry may give up under this contention: 503 concurrency_exhausted, and nothing written.
      const refused = all.filter((s) => s.outcome !== 'ack');
      for (const s of refused) expect([s.outcome, s.answer?.code]).toEqual([503, 'concurrency_exhausted']);
      const stored = await storedIds(dir);
      for (const s of refused) for (const id of s.ids) expect(stored.has(id)).toBe(false);
      for (const s of refused) {
        for (let attempt = 0; s.outcome !== 'ack' && attempt < 10; attempt++) await write(writerOnly, [s], () => undefined);
        expect(s.outcome).toBe('ack');
      }
      await waitForProjections(keeper);
    } finally {
      await writerOnly.kill('SIGTERM');
      await keeper.kill('SIGTERM');
    }
    const { events, byId: log } = await readLog(dir);
    // Each record rests on the stream as stored before it, also where the other process's appends won.
    expect(expectDecidedInStreamOrder(events)).toBeGreaterThan(0);
    const subjects = events.filter((e) => e.streamId.startsWith('subject-'));
    expect(new Set(subjects.map((e) => e.id))).toEqual(new Set(all.flatMap((s) => s.ids)));
    for (const [id, stored] of log) expect([id, stored.length]).toEqual([id, 1]);
    for (const s of all) for (const ack of acknowledged(s)) expect(log.get(ack.id)?.[0]).toMatchObject({ revision: ack.revision, position: ack.position });
    await expectReadModelsAsRebuilt(dir);
  });
});

/** The ids in the log, read through a connection of this process while the servers still run. */
async function storedIds(dataDir: string): Promise<Set<string>> {
  const store = SqliteEventStore.open(dataFiles(dataDir).events);
  try {
    return new Set((await store.readAll()).map((e) => e.id));
  } finally {
    await store.close();
  }
}
