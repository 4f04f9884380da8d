import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { NO_STREAM, type RecordedEvent } from '../event-store.port';
import { DuplicateEventIdError, ImportMismatchError, WrongExpectedVersionError } from '../errors';
import { type ContractContext, HAPPENED, NOTED, newEvent, rejection, streamName, take } from './contract-helpers';

/** An event as another store recorded it, years ago. */
function sourceEvent(streamId: string, revision: number, position: number, n: number): RecordedEvent {
  return {
    id: randomUUID(), type: n % 2 ? NOTED : HAPPENED, streamId, revision, position,
    data: { n, name: 'Әлия' }, metadata: { correlationId: `import-${n}` },
    created: `2021-0${1 + (n % 9)}-1${n % 10}T0${n % 10}:00:00.${String(100 + n).slice(-3)}Z`,
  };
}

/** A source log's next events after `last`: a new stream of two, another new stream of one. */
function nextSourceEvents(last: number): RecordedEvent[] {
  const [x, y] = [streamName('imported'), streamName('imported')];
  return [sourceEvent(x, 0, last + 1, 1), sourceEvent(y, 0, last + 2, 2), sourceEvent(x, 1, last + 3, 3)];
}

/** importEvents, for migration: another store's events at their own positions, revisions and commit times. */
export function importContract(ctx: ContractContext): void {
  describe('importEvents', () => {
    it('continues the log with the events as the source has them, created included; appends continue after them', async () => {
      const last = await ctx.store().lastPosition();
      const source = nextSourceEvents(last);
      await ctx.store().importEvents(source);
      expect(await ctx.store().readAll({ after: last })).toEqual(source);
      expect(await ctx.store().readEventById(source[2]!.id)).toEqual(source[2]);
      expect(await ctx.store().readStream(source[0]!.streamId)).toEqual([source[0], source[2]]);
      const next = await ctx.store().appendToStream(source[0]!.streamId, [newEvent()], 1);
      expect(next.events).toEqual([{ id: expect.any(String), revision: 2, position: last + 4 }]);
    });

    it('is seen by subscriptions', async () => {
      const last = await ctx.store().lastPosition();
      const subscription = ctx.store().subscribeToAll({ after: last });
      try {
        const pending = take(subscription[Symbol.asyncIterator](), 3);
        const source = nextSourceEvents(last);
        await ctx.store().importEvents(source);
        expect(await pending).toEqual(source);
      } finally {
        await subscription.unsubscribe();
      }
    });

    it('refuses a gap in positions, naming the event and both positions, and stores nothing', async () => {
      const last = await ctx.store().lastPosition();
      const early = sourceEvent(streamName('gap'), 0, last + 2, 4);
      const error = await rejection(ctx.store().importEvents([early]));
      expect(error).toBeInstanceOf(ImportMismatchError);
      expect(error).toMatchObject({ eventId: early.id, expectedPosition: last + 2, actualPosition: last + 1 });
      expect(await ctx.store().lastPosition()).toBe(last);
    });

    it('refuses a revision that does not follow its stream\'s', async () => {
      const last = await ctx.store().lastPosition();
      const s = streamName('revision');
      expect(await rejection(ctx.store().importEvents([sourceEvent(s, 1, last + 1, 5)])))
        .toMatchObject({ name: 'WrongExpectedVersionError', streamId: s, expected: 0, actual: 'no_stream' });
      await ctx.store().appendToStream(s, [newEvent()], NO_STREAM);
      const error = await rejection(ctx.store().importEvents([sourceEvent(s, 2, last + 2, 6)]));
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ streamId: s, expected: 1, actual: 0 });
      expect(await ctx.store().lastPosition()).toBe(last + 1);
    });

    it('refuses an id already stored', async () => {
      const last = await ctx.store().lastPosition();
      const stored = newEvent();
      await ctx.store().appendToStream(streamName('taken'), [stored], NO_STREAM);
      const again = { ...sourceEvent(streamName('again'), 0, last + 2, 7), id: stored.id };
      expect(await rejection(ctx.store().importEvents([again]))).toMatchObject({ name: 'DuplicateEventIdError', eventId: stored.id });
      expect(await ctx.store().lastPosition()).toBe(last + 1);
    });

    it('keeps all of a call or nothing on the embedded store, the events before the bad one otherwise; called again from lastPosition() + 1 it completes', async () => {
      const last = await ctx.store().lastPosition();
      const source = nextSourceEvents(last);
      const broken = [source[0]!, { ...source[1]!, revision: 3 }, source[2]!];
      expect(await rejection(ctx.store().importEvents(broken))).toBeInstanceOf(WrongExpectedVersionError);
      const kept = await ctx.store().lastPosition();
      expect(kept).toBe(ctx.atomicBatches ? last : last + 1);
      await ctx.store().importEvents(source.filter((e) => e.position > kept));
      expect(await ctx.store().readAll({ after: last })).toEqual(source);
    });

    it('refuses a malformed event before writing anything, naming the event and the field', async () => {
      const last = await ctx.store().lastPosition();
      const [good, bad] = nextSourceEvents(last);
      const error = await rejection(ctx.store().importEvents([good!, { ...bad!, created: 'yesterday' }]));
      expect(String((error as Error).message)).toContain(bad!.id);
      expect(String((error as Error).message)).toMatch(/created/);
      expect(error).not.toBeInstanceOf(DuplicateEventIdError);
      expect(await ctx.store().lastPosition()).toBe(last);
    });

    it('does nothing for no events', async () => {
      const last = await ctx.store().lastPosition();
      await ctx.store().importEvents([]);
      expect(await ctx.store().lastPosition()).toBe(last);
    });
  });
}
