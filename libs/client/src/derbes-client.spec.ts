import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DerbesClientError, RecordRejectedError } from './client-errors';
import type { DerbesClientOptions } from './client-options';
import { DerbesClient } from './derbes-client';
import { FileSequenceStore, InMemorySequenceStore, type SequenceStore } from './sequence-store';
import { aRecord, FakeLedger, TOKEN } from './spec-helpers';

describe('DerbesClient against a ledger over HTTP', () => {
  let ledger: FakeLedger;
  let errors: DerbesClientError[];
  const clients: DerbesClient[] = [];

  beforeEach(async () => {
    ledger = await new FakeLedger().start();
    errors = [];
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await ledger.stop();
  });

  function client(options: Partial<DerbesClientOptions> = {}): DerbesClient {
    const made = new DerbesClient({
      baseUrl: ledger.url, token: TOKEN, system: 'hr-portal', heartbeatIntervalMs: 0, retryBaseMs: 10,
      onError: (e) => errors.push(e), ...options,
    });
    clients.push(made);
    return made;
  }

  it('sends full batches without waiting for the flush interval, in order, numbered 1, 2, 3...', async () => {
    const derbes = client({ batchSize: 3, flushIntervalMs: 60_000 });
    const results = await Promise.all(Array.from({ length: 7 }, (_, i) => derbes.record(aRecord({ note: `n${i}` }))));

    expect(ledger.requests.map((r) => r.length).every((n) => n <= 3)).toBe(true);
    expect(ledger.requests[0]).toHaveLength(3);
    expect(ledger.sequences()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(ledger.recorded.map((r) => r.note)).toEqual(['n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6']);
    expect(ledger.recorded.every((r) => r.system === 'hr-portal')).toBe(true);
    expect(results.map((r) => [r.status, r.sourceSequence])).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => ['created', n]));
    expect(results.map((r) => r.recordId)).toEqual(ledger.recorded.map((r) => r.recordId));
    // Random version-4 ids: never version 8, which the ledger keeps for its own events and refuses.
    expect(results.map((r) => r.recordId)).toEqual(results.map(() => expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)));
  });

  it('sends a partial batch after the flush interval, as one request', async () => {
    const derbes = client({ batchSize: 100, flushIntervalMs: 50 });
    const pending = [derbes.record(aRecord()), derbes.record(aRecord()), derbes.record(aRecord())];
    await new Promise((resolve) => setImmediate(resolve));
    expect(ledger.requests).toHaveLength(0);

    await Promise.all(pending);
    expect(ledger.requests.map((r) => r.length)).toEqual([3]);
  });

  it('keeps order and consecutive numbers over many batches and records handed in while one is in flight', async () => {
    const derbes = client({ batchSize: 10, flushIntervalMs: 5 });
    const pending = Array.from({ length: 25 }, (_, i) => derbes.record(aRecord({ note: String(i) })));
    await pending[0];
    pending.push(...Array.from({ length: 15 }, (_, i) => derbes.record(aRecord({ note: String(25 + i) }))));
    await Promise.all(pending);

    expect(ledger.sequences()).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(ledger.recorded.map((r) => Number(r.note))).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it('flush() and close() say how many of the records they waited for failed', async () => {
    const derbes = client({ maxRetries: 0 });
    const good = derbes.record(aRecord());
    expect(await derbes.flush()).toEqual({ acknowledged: 1, failed: 0 });
    await good;
    ledger.faults.push({ status: 503 });
    const refused = derbes.record(aRecord({ subject: { iin: 'bad' } }));
    const failed = derbes.record(aRecord());
    const [first, second] = await Promise.allSettled([refused, failed]);
    expect([first.status, second.status]).toEqual(['rejected', 'rejected']);
    ledger.faults.push({ status: 503 });
    const another = derbes.record(aRecord());
    expect(await derbes.close()).toEqual({ acknowledged: 0, failed: 1 });
    await expect(another).rejects.toMatchObject({ code: 'delivery_failed' });
  });

  it('sends a recordId in lower case, as the ledger keeps and answers it, so that its answer is matched', async () => {
    const derbes = client();
    const recordId = '4F7C0C1E-8A59-4D7E-9D0E-2B1F1F0F6A11';
    const result = await derbes.record(aRecord({ recordId }));
    expect([ledger.recorded[0]?.recordId, result.recordId, result.status]).toEqual([recordId.toLowerCase(), recordId.toLowerCase(), 'created']);
    await expect(derbes.record(aRecord({ recordId: recordId.toLowerCase() }))).resolves.toMatchObject({ status: 'duplicate', sourceSequence: 1 });
  });

  it('takes a recordId in any case in release(), and an upper-case id from a sequence file saved before back with its number', async () => {
    const upper = '4F7C0C1E-8A59-4D7E-9D0E-2B1F1F0F6A11';
    const store = new InMemorySequenceStore({ system: 'hr-portal', lastSequence: 2, unacknowledged: { [upper]: 1, 'AB0C3C2E-8A59-4D7E-9D0E-2B1F1F0F6A11': 2 } });
    const derbes = client({ sequenceStore: store });
    expect(await derbes.awaitingResend()).toEqual([{ recordId: upper.toLowerCase(), sourceSequence: 1 }, { recordId: 'ab0c3c2e-8a59-4d7e-9d0e-2b1f1f0f6a11', sourceSequence: 2 }]);
    await expect(derbes.record(aRecord({ recordId: upper }))).resolves.toMatchObject({ sourceSequence: 1 });
    expect(await derbes.release('AB0C3C2E-8A59-4D7E-9D0E-2B1F1F0F6A11')).toBe(true);
    expect(await derbes.awaitingResend()).toEqual([]);
  });

  it('refuses a record without a valid occurredAt by rejecting its promise, not by throwing, and numbers nothing', async () => {
    const derbes = client();
    const refused = derbes.record(aRecord({ occurredAt: new Date('not a date') }));
    await expect(refused).rejects.toMatchObject({ code: 'invalid_request', errors: [{ field: 'occurredAt' }] });
    await expect(derbes.record(aRecord({ occurredAt: undefined as never }))).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(derbes.record(aRecord())).resolves.toMatchObject({ sourceSequence: 1 });
  });

  it('keeps the recordId it is given and turns a Date occurredAt into ISO 8601', async () => {
    const derbes = client();
    const recordId = '4f7c0c1e-8a59-4d7e-9d0e-2b1f1f0f6a11';
    await derbes.record(aRecord({ recordId, occurredAt: new Date('2026-11-20T09:30:00+05:00') }));
    expect(ledger.recorded[0]).toMatchObject({ recordId, occurredAt: '2026-11-20T04:30:00.000Z', sourceSequence: 1 });
  });

  it('after a 503 with Retry-After, waits at least that long and resends the same records with the same numbers', async () => {
    ledger.faults.push({ status: 503, retryAfter: '1' });
    const derbes = client();
    const started = Date.now();
    const results = await Promise.all([derbes.record(aRecord()), derbes.record(aRecord())]);

    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(ledger.requests).toHaveLength(2);
    expect(ledger.requests[1]).toEqual(ledger.requests[0]);
    expect(results.map((r) => r.status)).toEqual(['created', 'created']);
    expect(errors.map((e) => e.code)).toEqual(['retrying']);
  });

  it('after a 429 with Retry-After, resends the same records', async () => {
    ledger.faults.push({ status: 429, retryAfter: '1' });
    const derbes = client();
    await Promise.all([derbes.record(aRecord()), derbes.record(aRecord())]);

    expect(ledger.requests).toHaveLength(2);
    expect(ledger.requests[1]).toEqual(ledger.requests[0]);
    expect(ledger.sequences()).toEqual([1, 2]);
  });

  it('after a 408 (the ledger timed out reading the request), resends the same records', async () => {
    ledger.faults.push({ status: 408 });
    const derbes = client();
    const results = await Promise.all([derbes.record(aRecord()), derbes.record(aRecord())]);

    expect(ledger.requests).toHaveLength(2);
    expect(ledger.requests[1]).toEqual(ledger.requests[0]);
    expect(results.map((r) => [r.status, r.sourceSequence])).toEqual([['created', 1], ['created', 2]]);
  });

  it('after a connection dropped once the batch was written, resends it and takes the ledger\'s duplicates as success', async () => {
    ledger.faults.push({ drop: 'after-writing' });
    const derbes = client();
    const results = await Promise.all([derbes.record(aRecord()), derbes.record(aRecord())]);

    expect(ledger.requests[1]).toEqual(ledger.requests[0]);
    expect(ledger.recorded).toHaveLength(2);
    expect(results.map((r) => [r.status, r.sourceSequence])).toEqual([['duplicate', 1], ['duplicate', 2]]);
  });

  it('after a connection dropped before anything was written, resends and records', async () => {
    ledger.faults.push({ drop: 'before-writing' }, { status: 500 });
    const derbes = client();
    const result = await derbes.record(aRecord());
    expect(ledger.requests).toHaveLength(3);
    expect(result).toMatchObject({ status: 'created', sourceSequence: 1 });
  });

  it('gives up after maxRetries with delivery_failed, and the number waits for a resend', async () => {
    ledger.faults.push({ status: 503 }, { status: 503 }, { status: 503 });
    const derbes = client({ maxRetries: 2 });
    const failure = derbes.record(aRecord({ recordId: '00000000-0000-4000-8000-000000000001' }));

    await expect(failure).rejects.toMatchObject({ code: 'delivery_failed' });
    expect(ledger.requests).toHaveLength(3);
    expect(await derbes.awaitingResend()).toEqual([{ recordId: '00000000-0000-4000-8000-000000000001', sourceSequence: 1 }]);
  });

  it('on 400 fails the records the ledger names, sends the others, and a corrected resend gets its number back', async () => {
    const derbes = client({ batchSize: 5, flushIntervalMs: 60_000 });
    const badId = '00000000-0000-4000-8000-000000000002';
    const pending = [0, 1, 2, 3, 4].map((i) => derbes.record(aRecord({ subject: { iin: i === 1 || i === 3 ? 'bad' : '791028302728' }, ...(i === 1 ? { recordId: badId } : {}) })));
    const outcomes = await Promise.allSettled(pending);

    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
    const refused = (outcomes[1] as PromiseRejectedResult).reason as RecordRejectedError;
    expect(refused).toBeInstanceOf(RecordRejectedError);
    expect(refused).toMatchObject({ code: 'invalid_request', recordId: badId, sourceSequence: 2, status: 400 });
    expect(refused.errors).toEqual([{ field: 'subject.iin', reason: 'must be 12 digits', index: 1 }]);
    expect(ledger.sequences()).toEqual([1, 3, 5]);
    expect((await derbes.awaitingResend()).map((p) => p.sourceSequence)).toEqual([2, 4]);

    const resend = derbes.record(aRecord({ recordId: badId }));
    await derbes.flush();
    const fixed = await resend;
    expect(fixed.sourceSequence).toBe(2);
    expect(ledger.sequences()).toEqual([1, 3, 5, 2]);
    expect((await derbes.awaitingResend()).map((p) => p.sourceSequence)).toEqual([4]);
  });

  it('on a 400 naming a record the batch does not hold, fails the whole batch once instead of resending it', async () => {
    ledger.faults.push({ status: 400, errors: [{ field: 'records[7].subject.iin', reason: 'must be 12 digits', index: 7 }] });
    const derbes = client({ batchSize: 2, flushIntervalMs: 60_000 });
    const outcomes = await Promise.allSettled([derbes.record(aRecord()), derbes.record(aRecord())]);

    expect(outcomes.map((o) => (o as PromiseRejectedResult).reason?.code)).toEqual(['invalid_request', 'invalid_request']);
    expect((outcomes[0] as PromiseRejectedResult).reason.message).toContain('refused the batch without naming a record');
    expect(ledger.requests).toHaveLength(1);
    expect((await derbes.awaitingResend()).map((p) => p.sourceSequence)).toEqual([1, 2]);
  });

  it('on 409 record_id_conflict fails that record and sends the others', async () => {
    const taken = '00000000-0000-4000-8000-000000000003';
    ledger.preload({ ...aRecord({ note: 'another body' }), recordId: taken, system: 'hr-portal', occurredAt: '2026-11-20T09:30:00Z', sourceSequence: 99 });
    const derbes = client({ batchSize: 3, flushIntervalMs: 60_000 });
    const outcomes = await Promise.allSettled([derbes.record(aRecord()), derbes.record(aRecord({ recordId: taken })), derbes.record(aRecord())]);

    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'record_id_conflict', recordId: taken, sourceSequence: 2 });
    expect(ledger.sequences()).toEqual([99, 1, 3]);
  });

  it('gives a record handed in again after its acknowledgement its own number: a duplicate, no 409, no number lost', async () => {
    const derbes = client({ heartbeatIntervalMs: 60_000 });
    const recordId = '00000000-0000-4000-8000-000000000010';
    const first = await derbes.record(aRecord({ recordId }));
    await derbes.record(aRecord());
    const again = await derbes.record(aRecord({ recordId }));
    const next = await derbes.record(aRecord());
    await derbes.close();

    expect([first.status, first.sourceSequence]).toEqual(['created', 1]);
    expect([again.status, again.sourceSequence, again.position]).toEqual(['duplicate', 1, first.position]);
    expect(next.sourceSequence).toBe(3);
    expect(errors).toEqual([]);
    expect(ledger.sequences()).toEqual([1, 2, 3]);
    // The heartbeat claims only numbers the ledger holds: no gap.
    expect(ledger.heartbeats.at(-1)?.lastSequence).toBe(3);
  });

  it('remembers the numbers of the last rememberAcknowledged records only; an older one gets a new number, which the ledger refuses', async () => {
    const derbes = client({ rememberAcknowledged: 2 });
    const ids = ['00000000-0000-4000-8000-000000000011', '00000000-0000-4000-8000-000000000012', '00000000-0000-4000-8000-000000000013'];
    for (const recordId of ids) await derbes.record(aRecord({ recordId }));
    await expect(derbes.record(aRecord({ recordId: ids[2] }))).resolves.toMatchObject({ status: 'duplicate', sourceSequence: 3 });
    await expect(derbes.record(aRecord({ recordId: ids[1] }))).resolves.toMatchObject({ status: 'duplicate', sourceSequence: 2 });
    await expect(derbes.record(aRecord({ recordId: ids[0] }))).rejects.toMatchObject({ code: 'record_id_conflict', sourceSequence: 4 });
    expect(() => client({ rememberAcknowledged: -1 })).toThrow('rememberAcknowledged must be a whole number >= 0');
  });

  it('refuses a recordId handed in again while the first is still queued', async () => {
    const derbes = client();
    const recordId = '00000000-0000-4000-8000-000000000004';
    const first = derbes.record(aRecord({ recordId }));
    await expect(derbes.record(aRecord({ recordId }))).rejects.toMatchObject({ code: 'record_in_progress' });
    await expect(first).resolves.toMatchObject({ sourceSequence: 1 });
  });

  it('on 401 fails every record with a typed error and stops', async () => {
    ledger.faults.push({ status: 401 });
    const derbes = client({ batchSize: 2, flushIntervalMs: 60_000 });
    const outcomes = await Promise.allSettled([derbes.record(aRecord()), derbes.record(aRecord()), derbes.record(aRecord())]);

    expect(outcomes.map((o) => (o as PromiseRejectedResult).reason?.code)).toEqual(['unauthenticated', 'unauthenticated', 'unauthenticated']);
    expect((outcomes[0] as PromiseRejectedResult).reason).toBeInstanceOf(DerbesClientError);
    await expect(derbes.record(aRecord())).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(ledger.requests).toHaveLength(1);
  });

  it('on 403 fails every record as forbidden, not unauthenticated, and stops', async () => {
    ledger.faults.push({ status: 403 });
    const derbes = client();
    await expect(derbes.record(aRecord())).rejects.toMatchObject({ code: 'forbidden', status: 403 });
    await expect(derbes.record(aRecord())).rejects.toMatchObject({ code: 'forbidden' });
    expect(ledger.requests).toHaveLength(1);
  });

  it('splits a batch the ledger finds too large', async () => {
    ledger.maxRecords = 2;
    const derbes = client({ batchSize: 5, flushIntervalMs: 60_000 });
    await Promise.all([1, 2, 3, 4, 5].map(() => derbes.record(aRecord())));
    expect(ledger.sequences()).toEqual([1, 2, 3, 4, 5]);
  });

  it('a record nobody awaits that fails does not crash the process; onError hears of it', async () => {
    const derbes = client();
    void derbes.record(aRecord({ subject: { iin: 'bad' } }));
    await derbes.flush();
    expect(errors.map((e) => e.code)).toEqual(['invalid_request']);
  });

  describe('numbering kept in a file', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'derbes-client-'));
    });
    afterEach(async () => {
      // A client's last write of its numbers may still be renaming its temporary file: retried, rm finds it gone.
      await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    });

    it('continues after a restart', async () => {
      const path = join(dir, 'hr-portal.sequence.json');
      const first = client({ sequenceStore: new FileSequenceStore(path) });
      await Promise.all([first.record(aRecord()), first.record(aRecord()), first.record(aRecord())]);
      await first.close();

      const second = client({ sequenceStore: new FileSequenceStore(path) });
      await Promise.all([second.record(aRecord()), second.record(aRecord())]);
      expect(ledger.sequences()).toEqual([1, 2, 3, 4, 5]);
      expect(await second.awaitingResend()).toEqual([]);
      expect(await readdir(dir)).toEqual(['hr-portal.sequence.json']);
    });

    it('after a run that died before its records were acknowledged, lists them, and a resend keeps their numbers', async () => {
      const path = join(dir, 'hr-portal.sequence.json');
      ledger.faults.push({ drop: 'before-writing' });
      const dying = client({ sequenceStore: new FileSequenceStore(path), maxRetries: 0 });
      const ids = ['00000000-0000-4000-8000-000000000005', '00000000-0000-4000-8000-000000000006'];
      await Promise.allSettled(ids.map((recordId) => dying.record(aRecord({ recordId }))));
      expect(ledger.recorded).toHaveLength(0);

      const restarted = client({ sequenceStore: new FileSequenceStore(path) });
      expect(await restarted.awaitingResend()).toEqual([{ recordId: ids[0], sourceSequence: 1 }, { recordId: ids[1], sourceSequence: 2 }]);
      const fresh = await restarted.record(aRecord());
      await Promise.all(ids.map((recordId) => restarted.record(aRecord({ recordId }))));
      expect(fresh.sourceSequence).toBe(3);
      expect(ledger.sequences()).toEqual([3, 1, 2]);
      expect(await restarted.awaitingResend()).toEqual([]);
      await Promise.all([dying.close(), restarted.close()]);
    });

    it('after a restart, gives records acknowledged before it their own numbers: duplicates, and the ledger sees no gap', async () => {
      const path = join(dir, 'hr-portal.sequence.json');
      const ids = ['00000000-0000-4000-8000-000000000020', '00000000-0000-4000-8000-000000000021'];
      const first = client({ sequenceStore: new FileSequenceStore(path) });
      const sent = await Promise.all(ids.map((recordId) => first.record(aRecord({ recordId }))));
      await first.flush();
      // The process dies here (no close): the emitter did not get to mark the two as sent, and hands them in again.

      const restarted = client({ sequenceStore: new FileSequenceStore(path), heartbeatIntervalMs: 60_000 });
      const resent = await Promise.all(ids.map((recordId) => restarted.record(aRecord({ recordId }))));
      const fresh = await restarted.record(aRecord());
      await restarted.close();

      expect(resent.map((r) => [r.status, r.sourceSequence, r.position])).toEqual(sent.map((r) => ['duplicate', r.sourceSequence, r.position]));
      expect(fresh.sourceSequence).toBe(3);
      expect(errors).toEqual([]);
      expect(ledger.sequences()).toEqual([1, 2, 3]);
      expect(ledger.heartbeats.map((h) => h.lastSequence)).toEqual([2, 3]);
      expect(await new FileSequenceStore(path).load()).toEqual({
        system: 'hr-portal', lastSequence: 3, unacknowledged: {}, acknowledged: { [ids[0] as string]: 1, [ids[1] as string]: 2, [fresh.recordId]: 3 },
      });
    });

    it('saves a number as soon as it is handed out, before its batch leaves', async () => {
      const store = new FileSequenceStore(join(dir, 'hr-portal.sequence.json'));
      const derbes = client({ sequenceStore: store, flushIntervalMs: 60_000 });
      const recordId = '00000000-0000-4000-8000-000000000007';
      const pending = derbes.record(aRecord({ recordId }));
      for (let i = 0; i < 500 && (await store.load())?.lastSequence !== 1; i++) await new Promise((resolve) => setTimeout(resolve, 10));

      expect(await store.load()).toEqual({ system: 'hr-portal', lastSequence: 1, unacknowledged: { [recordId]: 1 }, acknowledged: {} });
      expect(ledger.requests).toHaveLength(0);
      await derbes.flush();
      await expect(pending).resolves.toMatchObject({ sourceSequence: 1 });
      expect(await store.load()).toEqual({ system: 'hr-portal', lastSequence: 1, unacknowledged: {}, acknowledged: { [recordId]: 1 } });
    });

    it('refuses a file that holds another system\'s numbering', async () => {
      const path = join(dir, 'shared.json');
      await new FileSequenceStore(path).save({ system: 'payroll', lastSequence: 10, unacknowledged: {} });
      const derbes = client({ sequenceStore: new FileSequenceStore(path) });
      await expect(derbes.record(aRecord())).rejects.toMatchObject({ code: 'sequence_store_failed' });
      expect(ledger.requests).toHaveLength(0);
    });
  });

  describe('heartbeats', () => {
    it('are sent on start and on every interval with the last number acknowledged', async () => {
      const now = () => new Date('2026-11-20T10:00:00Z');
      const derbes = client({ heartbeatIntervalMs: 20, now });
      await until(() => ledger.heartbeats.length > 0);
      expect(ledger.heartbeats[0]).toEqual({ system: 'hr-portal', lastSequence: 0, sentAt: '2026-11-20T10:00:00.000Z' });

      await Promise.all([derbes.record(aRecord()), derbes.record(aRecord()), derbes.record(aRecord())]);
      await until(() => ledger.heartbeats.some((h) => h.lastSequence === 3));
      expect(ledger.heartbeats.map((h) => h.lastSequence)).toEqual([...ledger.heartbeats.map((h) => h.lastSequence)].sort((a, b) => a - b));
    });

    it('never claim a number the sequence store has not kept: a restart would give it to another record', async () => {
      const memory = new InMemorySequenceStore();
      let failing = false;
      const store: SequenceStore = {
        load: () => memory.load(),
        save: async (state) => {
          if (failing) throw new Error('EFBIG');
          await memory.save(state);
        },
      };
      const derbes = client({ sequenceStore: store, heartbeatIntervalMs: 20, maxRetries: 1 });
      await Promise.all([derbes.record(aRecord()), derbes.record(aRecord())]);
      await until(() => ledger.heartbeats.some((h) => h.lastSequence === 2));
      failing = true;
      const lost = await Promise.allSettled([3, 4, 5].map(() => derbes.record(aRecord())));
      expect(lost.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
      const after = ledger.heartbeats.length;
      await until(() => ledger.heartbeats.length >= after + 3);
      expect(Math.max(...ledger.heartbeats.map((h) => h.lastSequence))).toBe(2);
      // The restarted client hands those numbers out again, and the ledger was never told they were settled.
      failing = false;
      const restarted = client({ sequenceStore: store });
      expect((await restarted.record(aRecord())).sourceSequence).toBe(3);
    });

    it('do not count records still being retried', async () => {
      ledger.faults.push({ status: 503, retryAfter: '1' });
      const derbes = client({ heartbeatIntervalMs: 20 });
      const pending = derbes.record(aRecord());
      await until(() => ledger.requests.length === 1 && ledger.heartbeats.length >= 2);
      expect(ledger.heartbeats.every((h) => h.lastSequence === 0)).toBe(true);
      await pending;
      await until(() => ledger.heartbeats.some((h) => h.lastSequence === 1));
    });
  });

  it('close() sends what is queued, a last heartbeat, and refuses later records', async () => {
    const derbes = client({ batchSize: 100, flushIntervalMs: 60_000, heartbeatIntervalMs: 60_000 });
    const pending = [1, 2, 3, 4, 5].map(() => derbes.record(aRecord()));
    expect(await derbes.close()).toEqual({ acknowledged: 5, failed: 0 });

    expect(ledger.sequences()).toEqual([1, 2, 3, 4, 5]);
    await expect(Promise.all(pending)).resolves.toHaveLength(5);
    expect(ledger.heartbeats.at(-1)?.lastSequence).toBe(5);
    await expect(derbes.record(aRecord())).rejects.toMatchObject({ code: 'client_closed' });
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!condition()) throw new Error('condition not met within 5 s');
}
