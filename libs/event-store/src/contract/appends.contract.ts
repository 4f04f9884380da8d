import { describe, expect, it } from '@jest/globals';
import { ANY, NO_STREAM, type AppendOperation, type EventStore } from '../event-store.port';
import { DuplicateEventIdError, WrongExpectedVersionError } from '../errors';
import { type ContractContext, ISO_UTC, NOTED, newEvent, newEvents, rejection, streamName } from './contract-helpers';

/**
 * Appends each operation not stored yet, as the ledger retries a request: after DuplicateEventIdError it looks the
 * ids up (readEventById) and drops what is stored; after a conflict it reloads the stream's revision.
 */
async function appendAsTheLedgerRetries(store: EventStore, operations: readonly AppendOperation[]): Promise<number> {
  let pending = [...operations];
  let attempts = 0;
  while (pending.length > 0) {
    if (++attempts > 5) throw new Error(`still ${pending.length} operations to store after ${attempts - 1} attempts`);
    try {
      await store.appendMany(pending);
      return attempts;
    } catch (error) {
      if (!(error instanceof DuplicateEventIdError) && !(error instanceof WrongExpectedVersionError)) throw error;
      const left: AppendOperation[] = [];
      for (const operation of pending) {
        const stored = await Promise.all(operation.events.map((e) => store.readEventById(e.id)));
        if (stored.every((e) => e !== undefined)) continue;
        const head = (await store.readStream(operation.streamId)).length - 1;
        left.push({ ...operation, expectedRevision: head < 0 ? NO_STREAM : head });
      }
      pending = left;
    }
  }
  return attempts;
}

/** What an append stores, event ids, and appendMany. */
export function appendsContract(ctx: ContractContext): void {
  describe('appends', () => {
    it('stores type, data and metadata as given, with the stream, revision, position and commit time', async () => {
      const s = streamName('round-trip');
      const base = await ctx.store().lastPosition();
      const data = { name: 'Әлия Қасымқызы', amounts: [1, 2.5, -3], nested: { ok: true, none: null, empty: {} }, text: 'a "quoted" \\ line\n' };
      const event = { ...newEvent(data, NOTED), metadata: { correlationId: 'c-1', schemaVersion: 2, tags: ['x'] } };
      const result = await ctx.store().appendToStream(s, [event], NO_STREAM);
      expect(result).toEqual({ nextExpectedRevision: 0, events: [{ id: event.id, revision: 0, position: base + 1 }] });
      const stored = await ctx.store().readEventById(event.id);
      expect(stored).toEqual({
        id: event.id, type: NOTED, streamId: s, revision: 0, position: base + 1, data, metadata: event.metadata, created: expect.stringMatching(ISO_UTC),
      });
      expect(Math.abs(Date.parse(stored!.created) - Date.now())).toBeLessThan(10 * 60_000);
    });
  });

  describe('event ids', () => {
    it('refuses an id already stored, naming it, and writes nothing of that append', async () => {
      const [a, b] = [streamName('ids'), streamName('ids')];
      const taken = newEvent();
      const fresh = newEvent();
      await ctx.store().appendToStream(a, [taken], ANY);
      const error = await rejection(ctx.store().appendToStream(b, [fresh, taken], ANY));
      expect(error).toBeInstanceOf(DuplicateEventIdError);
      expect(error).toMatchObject({ eventId: taken.id });
      expect(await ctx.store().readEventById(fresh.id)).toBeUndefined();
      expect(await ctx.store().readStream(b)).toEqual([]);
      expect((await ctx.store().readEventById(taken.id))?.streamId).toBe(a);
    });

    it('makes a retry safe: a stale expectation conflicts, a fresh one meets the stored id, which reads back unchanged', async () => {
      const s = streamName('retry');
      const record = newEvent({ recordId: 'r-1' });
      const first = await ctx.store().appendToStream(s, [record], NO_STREAM);
      // The client did not hear the answer and sends the same record again: the ledger appends it again...
      expect(await rejection(ctx.store().appendToStream(s, [record], NO_STREAM))).toBeInstanceOf(WrongExpectedVersionError);
      // ...reloads the stream after the conflict and appends on its head: the id is what stops the second copy...
      expect(await rejection(ctx.store().appendToStream(s, [record], 0))).toMatchObject({ name: 'DuplicateEventIdError', eventId: record.id });
      expect(await rejection(ctx.store().appendToStream(s, [record], ANY))).toBeInstanceOf(DuplicateEventIdError);
      // ...and answers with the stored event.
      expect(await ctx.store().readEventById(record.id)).toMatchObject({ id: record.id, revision: 0, position: first.events[0]!.position, data: { recordId: 'r-1' } });
      expect((await ctx.store().readStream(s)).map((e) => e.id)).toEqual([record.id]);
    });
  });

  describe('appendMany', () => {
    it('commits every operation in order, a stream twice included', async () => {
      const [a, b] = [streamName('many'), streamName('many')];
      const base = await ctx.store().lastPosition();
      const results = await ctx.store().appendMany([
        { streamId: a, events: [newEvent()], expectedRevision: NO_STREAM },
        { streamId: b, events: newEvents(2), expectedRevision: NO_STREAM },
        { streamId: a, events: [newEvent()], expectedRevision: 0 },
      ]);
      expect(results.map((r) => r.nextExpectedRevision)).toEqual([0, 1, 1]);
      expect(results.flatMap((r) => r.events.map((e) => e.position))).toEqual([base + 1, base + 2, base + 3, base + 4]);
      expect((await ctx.store().readAll({ after: base })).map((e) => [e.streamId, e.revision])).toEqual([[a, 0], [b, 0], [b, 1], [a, 1]]);
    });

    it('throws the failing operation\'s conflict; all or nothing on the embedded store, the operations before it kept otherwise', async () => {
      const [a, b, c] = [streamName('many-a'), streamName('many-b'), streamName('many-c')];
      await ctx.store().appendToStream(c, [newEvent()], NO_STREAM);
      const base = await ctx.store().lastPosition();
      const error = await rejection(ctx.store().appendMany([
        { streamId: a, events: [newEvent()], expectedRevision: NO_STREAM },
        { streamId: b, events: [newEvent()], expectedRevision: ANY },
        { streamId: c, events: [newEvent()], expectedRevision: NO_STREAM },
      ]));
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ streamId: c, expected: NO_STREAM, actual: 0 });
      const kept = (await ctx.store().readAll({ after: base })).map((e) => e.streamId);
      expect(kept).toEqual(ctx.atomicBatches ? [] : [a, b]);
      expect((await ctx.store().readStream(c)).length).toBe(1);
    });

    it('refuses an id repeated within one call', async () => {
      const [a, b] = [streamName('same-id'), streamName('same-id')];
      const same = newEvent();
      const base = await ctx.store().lastPosition();
      const error = await rejection(ctx.store().appendMany([
        { streamId: a, events: [same], expectedRevision: ANY },
        { streamId: b, events: [same], expectedRevision: ANY },
      ]));
      expect(error).toMatchObject({ name: 'DuplicateEventIdError', eventId: same.id });
      expect(await ctx.store().lastPosition()).toBe(ctx.atomicBatches ? base : base + 1);
      expect(await ctx.store().readStream(b)).toEqual([]);
    });

    it('resolves to [] for no operations', async () => {
      expect(await ctx.store().appendMany([])).toEqual([]);
    });

    it('a batch refused half-way is stored exactly once when retried as the ledger retries', async () => {
      const [a, b, c] = [streamName('batch-a'), streamName('batch-b'), streamName('batch-c')];
      await ctx.store().appendToStream(b, [newEvent()], NO_STREAM);
      const base = await ctx.store().lastPosition();
      const operations: AppendOperation[] = [
        { streamId: a, events: newEvents(2), expectedRevision: NO_STREAM },
        { streamId: b, events: [newEvent()], expectedRevision: NO_STREAM }, // stale: b has an event
        { streamId: c, events: [newEvent()], expectedRevision: NO_STREAM },
      ];
      await rejection(ctx.store().appendMany(operations));
      expect(await appendAsTheLedgerRetries(ctx.store(), operations)).toBeGreaterThan(1);
      const stored = (await ctx.store().readAll({ after: base })).map((e) => e.id).sort();
      expect(stored).toEqual(operations.flatMap((o) => o.events.map((e) => e.id)).sort());
      expect((await ctx.store().readStream(b)).map((e) => e.revision)).toEqual([0, 1]);
    });
  });
}
