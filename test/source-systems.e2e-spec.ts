import type { AddressInfo } from 'node:net';
import { DerbesClient, InMemorySequenceStore, RecordRejectedError } from '@derbes/client';
import { RecordHeartbeatCommand } from '../apps/ledger/src/source-systems/record-heartbeat.command';
import { aRecord, recordPastTheApi, startTestApp, uuid, type TestApp } from './support/test-app';

const HR = 'emitter:hr-portal';
const heartbeat = (lastSequence: unknown, sentAt: unknown = '2026-11-25T11:59:00Z') => ({ lastSequence, sentAt });

describe('source systems: numbered records and heartbeats', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ DERBES_SOURCE_SYSTEMS: 'hr-portal=15m,erp=1h' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses a sourceSequence that is not a whole number from 1 to 2^53-1, naming the field (and the record in a batch)', async () => {
    const before = await t.written();
    for (const bad of [0, -1, 1.5, '3', 2 ** 53, true]) {
      const res = await t.as(HR).post('/v1/processing-records').send(aRecord({ sourceSequence: bad })).expect(400);
      expect(res.body.errors).toEqual([{ field: 'sourceSequence', reason: 'must be a whole number from 1 to 9007199254740991' }]);
    }
    const batch = await t.as(HR).post('/v1/processing-records/batch')
      .send({ records: [aRecord({ sourceSequence: 1 }), aRecord({ sourceSequence: 0 })] }).expect(400);
    expect(batch.body.errors).toEqual([{ field: 'records[1].sourceSequence', reason: 'must be a whole number from 1 to 9007199254740991', index: 1 }]);
    expect(await t.written()).toBe(before);
  });

  it('stores the number with the record; the same recordId with another number is another content (409)', async () => {
    const record = aRecord({ system: 'payroll', sourceSequence: 1 });
    const created = await t.as('emitter:payroll').post('/v1/processing-records').send(record).expect(201);
    const [event] = await t.store.readStream(`subject-${created.body.subjectId}`, { fromRevision: created.body.streamRevision });
    expect(event).toMatchObject({ id: record.recordId, data: { sourceSequence: 1 }, metadata: { schemaVersion: 5 } });
    await t.as('emitter:payroll').post('/v1/processing-records').send(record).expect(200);
    const conflict = await t.as('emitter:payroll').post('/v1/processing-records').send({ ...record, sourceSequence: 2 }).expect(409);
    expect(conflict.body.code).toBe('record_id_conflict');
    const { sourceSequence: _n, ...unnumbered } = record;
    await t.as('emitter:payroll').post('/v1/processing-records').send(unnumbered).expect(409);
  });

  it('takes a heartbeat for the key’s own system (202, stored in source-system-<system>)', async () => {
    const res = await t.as(HR).post('/v1/systems/hr-portal/heartbeats').send(heartbeat(0, '2026-11-25T16:59:00+05:00')).expect(202);
    expect(res.body).toEqual({
      system: 'hr-portal', lastSequence: 0, sentAt: '2026-11-25T11:59:00.000Z', receivedAt: '2026-11-25T12:00:00.000Z',
      eventId: expect.stringMatching(/^[0-9a-f-]{36}$/), position: expect.any(Number),
    });
    const [stored] = await t.store.readStream('source-system-hr-portal');
    expect(stored).toMatchObject({
      id: res.body.eventId, type: 'SourceSystemHeartbeat', position: res.body.position,
      data: { system: 'hr-portal', lastSequence: 0, sentAt: '2026-11-25T11:59:00.000Z', receivedAt: '2026-11-25T12:00:00.000Z' },
      metadata: { schemaVersion: 1, recordedAt: '2026-11-25T12:00:00.000Z', correlationId: res.headers['x-correlation-id'] },
    });
  });

  it("takes a heartbeat from a clock up to the allowed skew (300 s) ahead of the ledger's", async () => {
    const res = await t.as(HR).post('/v1/systems/hr-portal/heartbeats').send(heartbeat(0, '2026-11-25T12:05:00Z')).expect(202);
    expect(res.body).toMatchObject({ sentAt: '2026-11-25T12:05:00.000Z', receivedAt: '2026-11-25T12:00:00.000Z' });
  });

  it('stores a heartbeat sent again (a retry: same lastSequence and sentAt, however written) once, answering with the first', async () => {
    const first = await t.as(HR).post('/v1/systems/hr-portal/heartbeats').send(heartbeat(3, '2026-11-25T11:58:00Z')).expect(202);
    t.clock.at = new Date('2026-11-25T12:00:05Z');
    try {
      const again = await t.as(HR).post('/v1/systems/hr-portal/heartbeats').send(heartbeat(3, '2026-11-25T16:58:00.000+05:00')).expect(202);
      expect(again.body).toEqual(first.body);
      // Another sentAt is another heartbeat, though it names the same number.
      const later = await t.as(HR).post('/v1/systems/hr-portal/heartbeats').send(heartbeat(3, '2026-11-25T11:59:30Z')).expect(202);
      expect(later.body).toMatchObject({ lastSequence: 3, receivedAt: '2026-11-25T12:00:05.000Z' });
      expect(later.body.eventId).not.toBe(first.body.eventId);
    } finally {
      t.clock.at = new Date('2026-11-25T12:00:00Z');
    }
    const stored = (await t.store.readStream('source-system-hr-portal')).filter((e) => (e.data as { lastSequence: number }).lastSequence === 3);
    expect(stored.map((e) => e.data.sentAt)).toEqual(['2026-11-25T11:58:00.000Z', '2026-11-25T11:59:30.000Z']);
  });

  it('refuses a malformed heartbeat (400 naming the field), another system’s (403), other roles (403) and no key (401)', async () => {
    const before = await t.written();
    const post = (body: unknown, key = HR, system = 'hr-portal') => t.as(key).post(`/v1/systems/${system}/heartbeats`).send(body as object);
    const field = async (body: unknown) => [...new Set((await post(body).expect(400)).body.errors.map((e: { field: string }) => e.field))];
    expect(await field(heartbeat(-1))).toEqual(['lastSequence']);
    expect(await field(heartbeat('5'))).toEqual(['lastSequence']);
    expect(await field(heartbeat(2 ** 53))).toEqual(['lastSequence']);
    expect(await field({ lastSequence: 1 })).toEqual(['sentAt']);
    expect(await field(heartbeat(1, 'yesterday'))).toEqual(['sentAt']);
    expect(await field(heartbeat(1, '2026-11-25T13:00:00Z'))).toEqual(['sentAt']);
    expect(await field(heartbeat(1, '2026-11-25T12:05:01Z'))).toEqual(['sentAt']);
    expect(await field(heartbeat(1, '1990-01-01T00:00:00Z'))).toEqual(['sentAt']);
    expect(await field({ ...heartbeat(1), extra: true })).toEqual(['extra']);
    const other = await post(heartbeat(1), 'emitter:payroll').expect(403);
    expect(other.body).toMatchObject({ code: 'forbidden', errors: [{ field: 'system', reason: 'this key sends heartbeats only for system payroll' }] });
    await post(heartbeat(1), 'official').expect(403);
    await t.http.post('/v1/systems/hr-portal/heartbeats').unset('authorization').send(heartbeat(1)).expect(401);
    expect(await t.written()).toBe(before);
  });

  it('reports gaps, a heartbeat beyond the highest, repeats and silence, reading its own writes', async () => {
    // hr-portal: 1 and 2 in one batch out of order, 5, then a heartbeat saying everything up to 7 was sent.
    const first = aRecord({ sourceSequence: 2 });
    await t.as(HR).post('/v1/processing-records/batch').send({ records: [first, aRecord({ sourceSequence: 1 })] }).expect(201);
    await t.as(HR).post('/v1/processing-records').send(aRecord({ sourceSequence: 5 })).expect(201);
    const repeat = await t.as(HR).post('/v1/processing-records').send(aRecord({ sourceSequence: 2 })).expect(201);
    await t.as(HR).post('/v1/processing-records').send(aRecord()).expect(201);
    const hb = await t.as(HR).post('/v1/systems/hr-portal/heartbeats').send(heartbeat(7)).expect(202);

    const report = await t.as('auditor').get(`/v1/reports/source-systems?position=${hb.body.position}&lang=en`).expect(200);
    expect(report.body.position).toBeGreaterThanOrEqual(hb.body.position);
    const hr = report.body.systems.find((s: { system: string }) => s.system === 'hr-portal');
    expect(hr).toMatchObject({
      expected: true, maxSilenceSeconds: 900, lastSeenAt: '2026-11-25T12:00:00.000Z',
      state: {
        records: 5, unsequenced: 1, highestSequence: 5, missing: [{ from: 3, to: 4 }, { from: 6, to: 7 }], missingNumbers: 4,
        duplicateCount: 1, lastHeartbeat: { lastSequence: 7, receivedAt: '2026-11-25T12:00:00.000Z', sentAt: '2026-11-25T11:59:00.000Z' },
      },
    });
    expect(hr.alerts.map((a: { kind: string }) => a.kind)).toEqual(['gap', 'gap', 'duplicate']);
    expect(hr.alerts[2]).toMatchObject({ sequence: 2, recordIds: [first.recordId, repeat.body.recordId] });
    expect(hr.alerts[2].detail).toContain(`number 2 was used by two records: ${first.recordId} first, then ${repeat.body.recordId}`);
    expect(hr.alerts[1].detail).toContain('numbers 6 to 7 (2) were never received, though a heartbeat said every number up to 7 had been sent');
    // erp is expected and never heard from; payroll (seen, not named) may be silent a day, the default.
    expect(report.body.systems.find((s: { system: string }) => s.system === 'erp')).toMatchObject({ state: null, alerts: [{ kind: 'never-reported' }] });
    expect(report.body.systems.find((s: { system: string }) => s.system === 'payroll')).toMatchObject({ expected: false, maxSilenceSeconds: 86400, alerts: [] });

    // A late number fills its gap.
    const late = await t.as(HR).post('/v1/processing-records').send(aRecord({ sourceSequence: 4 })).expect(201);
    const after = await t.http.get(`/v1/reports/source-systems?system=hr-portal&position=${late.body.position}`).expect(200);
    expect(after.body.systems.map((s: { system: string }) => s.system)).toEqual(['hr-portal']);
    expect(after.body.systems[0].state.missing).toEqual([{ from: 3, to: 3 }, { from: 6, to: 7 }]);
    // Words in Kazakh by default, the order's language; Russian on request; the facts are the same fields in any.
    expect(after.body.systems[0].alerts[0]).toMatchObject({ kind: 'gap', missing: { from: 3, to: 3 }, highest: 5, detail: 'нөмір алынбады: 3; алынған ең үлкен нөмір — 5' });
    const ru = await t.http.get(`/v1/reports/source-systems?system=hr-portal&lang=ru&position=${late.body.position}`).expect(200);
    expect(ru.body.systems[0].alerts[0].detail).toBe('номер 3 не получен; наибольший полученный номер — 5');

    // Silence is judged when asked: 20 minutes later hr-portal is silent, payroll not yet.
    t.clock.at = new Date('2026-11-25T12:20:00Z');
    try {
      const later = await t.http.get('/v1/reports/source-systems?lang=en').expect(200);
      const kinds = Object.fromEntries(later.body.systems.map((s: { system: string; alerts: { kind: string }[] }) => [s.system, s.alerts.map((a) => a.kind)]));
      expect(kinds).toMatchObject({ 'hr-portal': ['gap', 'gap', 'duplicate', 'silent'], payroll: [], erp: ['never-reported'] });
      expect(later.body.at).toBe('2026-11-25T12:20:00.000Z');
      expect(later.body.systems.find((s: { system: string }) => s.system === 'hr-portal').alerts[3]).toMatchObject({ since: '2026-11-25T12:00:00.000Z', silentSeconds: 1200 });
      expect(later.body.systems.find((s: { system: string }) => s.system === 'hr-portal').alerts[3].detail).toBe(
        'nothing received from hr-portal since 2026-11-25T12:00:00.000Z (last record 2026-11-25T12:00:00.000Z, last heartbeat 2026-11-25T12:00:00.000Z): silent for 20 min at 2026-11-25T12:20:00.000Z, longer than the 15 min allowed');
    } finally {
      t.clock.at = new Date('2026-11-25T12:00:00Z');
    }
  });

  it('answers 400 for a position the log has not reached, and for a malformed filter', async () => {
    const ahead = (await t.store.lastPosition()) + 100;
    const res = await t.http.get(`/v1/reports/source-systems?position=${ahead}`).expect(400);
    expect(res.body.errors[0].field).toBe('position');
    const bad = await t.http.get('/v1/reports/source-systems?system=HR%20Portal').expect(400);
    expect(bad.body.errors[0].field).toBe('system');
    const badLang = await t.http.get('/v1/reports/source-systems?lang=de').expect(400);
    expect(badLang.body.errors[0].field).toBe('lang');
  });
});

describe('source systems: a heartbeat whose id another event holds', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 409 event_id_conflict and stores nothing, never 202 with the other event (a record sent under that id before such ids were refused)', async () => {
    const sent = { system: 'hr-portal', lastSequence: 5, sentAt: '2026-11-25T11:59:00.000Z', receivedAt: '2026-11-25T12:00:00.000Z' };
    const taken = new RecordHeartbeatCommand(sent, 'test').eventId;
    await recordPastTheApi(t, { recordId: taken });
    const before = await t.written();
    const res = await t.as(HR).post('/v1/systems/hr-portal/heartbeats').send(heartbeat(5)).expect(409);
    expect(res.body).toMatchObject({ code: 'event_id_conflict', errors: [{ field: 'sentAt', reason: expect.stringContaining(taken) }] });
    expect(await t.written()).toBe(before);
    expect(await t.store.readStream('source-system-hr-portal')).toEqual([]);
    // Another sentAt is another id: that heartbeat is stored.
    await t.as(HR).post('/v1/systems/hr-portal/heartbeats').send(heartbeat(5, '2026-11-25T11:59:01Z')).expect(202);
  });
});

describe('source systems: the real client against a listening ledger', () => {
  let t: TestApp;
  let baseUrl: string;
  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await t.close();
  });

  const client = () => new DerbesClient({
    baseUrl, token: t.tokens[HR] as string, system: 'hr-portal', sequenceStore: new InMemorySequenceStore(),
    flushIntervalMs: 5, heartbeatIntervalMs: 60_000, now: () => t.clock.now(),
  });
  const input = (overrides: Record<string, unknown> = {}) => {
    const { system: _system, ...record } = aRecord({ recordId: uuid(), ...overrides });
    return record as unknown as Parameters<DerbesClient['record']>[0];
  };
  const report = async () => {
    const res = await t.http.get(`/v1/reports/source-systems?system=hr-portal&lang=en&position=${await t.store.lastPosition()}`).expect(200);
    return res.body.systems[0];
  };

  it('shows the number of a refused record as missing, and a restarted in-memory numbering as repeats naming both records', async () => {
    const a = client();
    const sent = [a.record(input()), a.record(input({ subject: { iin: '791028302729' } })), a.record(input())];
    const [one, refused, three] = await Promise.allSettled(sent);
    expect(one).toMatchObject({ status: 'fulfilled', value: { status: 'created', sourceSequence: 1 } });
    expect(refused).toMatchObject({ status: 'rejected', reason: expect.any(RecordRejectedError) });
    expect(three).toMatchObject({ status: 'fulfilled', value: { sourceSequence: 3 } });
    await a.close();
    const first = await report();
    expect(first.state).toMatchObject({ records: 2, highestSequence: 3, missing: [{ from: 2, to: 2 }], duplicates: [], lastHeartbeat: { lastSequence: 3 } });
    expect(first.alerts).toEqual([expect.objectContaining({ kind: 'gap', detail: 'number 2 was never received; the highest number received is 3' })]);

    // Another process with a fresh in-memory store starts again at 1.
    const b = client();
    const again = await Promise.all([b.record(input()), b.record(input())]);
    await b.close();
    const second = await report();
    expect(second.state).toMatchObject({ records: 4, duplicateCount: 1, missing: [] });
    const originalOne = (one as PromiseFulfilledResult<{ recordId: string }>).value.recordId;
    expect(second.alerts.map((x: { kind: string }) => x.kind)).toEqual(['duplicate']);
    expect(second.alerts[0]).toMatchObject({ sequence: 1, recordIds: [originalOne, again[0]!.recordId] });
    // Number 2 came at last (from the second client), filling the gap the refused record left.
    expect(again[1]).toMatchObject({ sourceSequence: 2 });
  });

  it('answers a record handed in again after its acknowledgement (a restarted client, its numbering kept) as a duplicate, with no gap', async () => {
    const system = 'payroll';
    const store = new InMemorySequenceStore();
    const payroll = () => new DerbesClient({
      baseUrl, token: t.tokens['emitter:payroll'] as string, system, sequenceStore: store, flushIntervalMs: 5, heartbeatIntervalMs: 60_000, now: () => t.clock.now(),
    });
    const records = [input(), input()];
    const a = payroll();
    const first = await Promise.all(records.map((r) => a.record(r)));
    await a.close();
    // The emitter restarts before it marked the two as sent, and hands them in again with a new one.
    const b = payroll();
    const again = await Promise.all(records.map((r) => b.record(r)));
    const fresh = await b.record(input());
    await b.close();

    expect(again.map((r) => [r.status, r.sourceSequence, r.eventId])).toEqual(first.map((r) => ['duplicate', r.sourceSequence, r.eventId]));
    expect(fresh).toMatchObject({ status: 'created', sourceSequence: 3 });
    const res = await t.http.get(`/v1/reports/source-systems?system=${system}&lang=en&position=${await t.store.lastPosition()}`).expect(200);
    expect(res.body.systems[0].state).toMatchObject({ records: 3, highestSequence: 3, missing: [], duplicates: [], lastHeartbeat: { lastSequence: 3 } });
    expect(res.body.systems[0].alerts).toEqual([]);
  });
});
