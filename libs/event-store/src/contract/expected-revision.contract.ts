import { describe, expect, it } from '@jest/globals';
import { ANY, NO_STREAM, STREAM_EXISTS } from '../event-store.port';
import { WrongExpectedVersionError } from '../errors';
import { type ContractContext, newEvent, newEvents, rejection, streamName } from './contract-helpers';

/** Appends guarded by an expected revision, and the conflict a stale one meets. */
export function expectedRevisionContract(ctx: ContractContext): void {
  describe('expected revision', () => {
    it('ANY appends to a missing and to an existing stream', async () => {
      const s = streamName('any');
      expect((await ctx.store().appendToStream(s, [newEvent()], ANY)).nextExpectedRevision).toBe(0);
      expect((await ctx.store().appendToStream(s, newEvents(2), ANY)).nextExpectedRevision).toBe(2);
    });

    it('NO_STREAM appends only to a missing stream; the conflict names the stream, the expectation and the revision', async () => {
      const s = streamName('no-stream');
      await ctx.store().appendToStream(s, [newEvent()], NO_STREAM);
      const error = await rejection(ctx.store().appendToStream(s, [newEvent()], NO_STREAM));
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ streamId: s, expected: NO_STREAM, actual: 0 });
    });

    it('STREAM_EXISTS appends only to a stream with events', async () => {
      const s = streamName('exists');
      expect(await rejection(ctx.store().appendToStream(s, [newEvent()], STREAM_EXISTS)))
        .toMatchObject({ name: 'WrongExpectedVersionError', streamId: s, expected: STREAM_EXISTS, actual: 'no_stream' });
      await ctx.store().appendToStream(s, [newEvent()], ANY);
      expect((await ctx.store().appendToStream(s, [newEvent()], STREAM_EXISTS)).nextExpectedRevision).toBe(1);
    });

    it('a number must be the revision of the last event', async () => {
      const s = streamName('exact');
      const missing = streamName('missing');
      await ctx.store().appendToStream(s, newEvents(2), NO_STREAM);
      expect(await rejection(ctx.store().appendToStream(s, [newEvent()], 0))).toMatchObject({ streamId: s, expected: 0, actual: 1 });
      expect(await rejection(ctx.store().appendToStream(missing, [newEvent()], 0))).toMatchObject({ streamId: missing, expected: 0, actual: 'no_stream' });
      const result = await ctx.store().appendToStream(s, [newEvent()], 1);
      expect(result.nextExpectedRevision).toBe(2);
      expect(result.events.map((e) => e.revision)).toEqual([2]);
    });

    it('a refused append leaves the stream as it was', async () => {
      const s = streamName('refused');
      const first = newEvent();
      await ctx.store().appendToStream(s, [first], NO_STREAM);
      await rejection(ctx.store().appendToStream(s, newEvents(3), 5));
      expect((await ctx.store().readStream(s)).map((e) => e.id)).toEqual([first.id]);
    });

    it('an empty append checks the expectation, stores nothing and returns the current revision (-1: no stream)', async () => {
      const s = streamName('empty');
      const base = await ctx.store().lastPosition();
      expect(await ctx.store().appendToStream(s, [], NO_STREAM)).toEqual({ nextExpectedRevision: -1, events: [] });
      // -1 round-trips: it stands for "no stream", so a caller may pass back what an empty append returned.
      await ctx.store().appendToStream(s, [newEvent()], -1);
      expect(await ctx.store().appendToStream(s, [], 0)).toEqual({ nextExpectedRevision: 0, events: [] });
      expect(await rejection(ctx.store().appendToStream(s, [], NO_STREAM))).toBeInstanceOf(WrongExpectedVersionError);
      expect(await ctx.store().lastPosition()).toBe(base + 1);
    });

    it('bad input fails its own request only, with an error naming the stream and what is wrong', async () => {
      const [a, b, c, d] = [streamName('fine'), streamName('bad-expectation'), streamName('bad-data'), streamName('fine')];
      const base = await ctx.store().lastPosition();
      const outcomes = await Promise.allSettled([
        ctx.store().appendToStream(a, [newEvent()], ANY),
        ctx.store().appendToStream(b, [newEvent()], 'nope' as never),
        ctx.store().appendToStream(c, [{ ...newEvent(), data: undefined as never }], ANY),
        ctx.store().appendToStream(d, [newEvent()], ANY),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
      const reason = (i: number) => String(((outcomes[i] as PromiseRejectedResult).reason as Error).message);
      expect(reason(1)).toContain(b);
      expect(reason(1)).toMatch(/expected revision/);
      expect(reason(2)).toContain(c);
      expect(reason(2)).toMatch(/data/);
      expect((await ctx.store().readAll({ after: base })).map((e) => e.streamId).sort()).toEqual([a, d].sort());
    });
  });
}
