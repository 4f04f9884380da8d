import { describe, expect, it } from '@jest/globals';
import { ANY, NO_STREAM } from '../event-store.port';
import { type ContractContext, newEvent, newEvents, range, streamName, take } from './contract-helpers';

/** Catch-up subscriptions to the global log: stored events, then live ones, from a checkpoint. */
export function subscriptionsContract(ctx: ContractContext): void {
  describe('subscribeToAll', () => {
    it('delivers the stored events after a checkpoint, then live ones, without a gap or a repeat', async () => {
      const base = await ctx.store().lastPosition();
      const s = streamName('caught-up');
      for (let i = 0; i < 1500; i += 500) await ctx.store().appendToStream(s, newEvents(500), i === 0 ? NO_STREAM : i - 1);
      const subscription = ctx.store().subscribeToAll({ after: base });
      const iterator = subscription[Symbol.asyncIterator]();
      try {
        const caughtUp = await take(iterator, 1500);
        const live = take(iterator, 3);
        await ctx.store().appendToStream(streamName('live'), [newEvent()], NO_STREAM);
        await ctx.store().appendToStream(streamName('live'), newEvents(2), NO_STREAM);
        const all = [...caughtUp, ...(await live)];
        expect(all.map((e) => e.position)).toEqual(range(base + 1, base + 1503));
      } finally {
        await subscription.unsubscribe();
      }
    }, 60_000);

    it('without a checkpoint starts at position 1, as readAll does', async () => {
      await ctx.store().appendToStream(streamName('first'), [newEvent()], ANY);
      const subscription = ctx.store().subscribeToAll();
      try {
        const [first] = await take(subscription[Symbol.asyncIterator](), 1);
        expect(first).toEqual((await ctx.store().readAll({ maxCount: 1 }))[0]);
        expect(first?.position).toBe(1);
      } finally {
        await subscription.unsubscribe();
      }
    });

    it('resumes from a checkpoint without a repeat or a gap', async () => {
      const base = await ctx.store().lastPosition();
      const s = streamName('resume');
      const written = newEvents(7);
      await ctx.store().appendToStream(s, written.slice(0, 5), NO_STREAM);
      const first = ctx.store().subscribeToAll({ after: base });
      const seen = await take(first[Symbol.asyncIterator](), 3);
      await first.unsubscribe();
      // What a projection keeps with its read model: the position of the last event it applied.
      const checkpoint = seen[seen.length - 1]!.position;
      await ctx.store().appendToStream(s, written.slice(5), 4);
      const second = ctx.store().subscribeToAll({ after: checkpoint });
      try {
        seen.push(...(await take(second[Symbol.asyncIterator](), 4)));
        expect(seen.map((e) => e.id)).toEqual(written.map((e) => e.id));
        expect(seen.map((e) => e.position)).toEqual(range(base + 1, base + 7));
      } finally {
        await second.unsubscribe();
      }
    });

    it('keeps events for a consumer that pulls late', async () => {
      const base = await ctx.store().lastPosition();
      const subscription = ctx.store().subscribeToAll({ after: base });
      const iterator = subscription[Symbol.asyncIterator]();
      try {
        const first = take(iterator, 1);
        await ctx.store().appendToStream(streamName('late'), [newEvent()], ANY);
        await first;
        // The consumer is busy while three more appends commit.
        for (let i = 0; i < 3; i++) await ctx.store().appendToStream(streamName('late'), [newEvent()], ANY);
        expect((await take(iterator, 3)).map((e) => e.position)).toEqual(range(base + 2, base + 4));
      } finally {
        await subscription.unsubscribe();
      }
    });

    it('unsubscribe ends a pending wait and the iteration', async () => {
      const subscription = ctx.store().subscribeToAll({ after: await ctx.store().lastPosition() });
      const iterator = subscription[Symbol.asyncIterator]();
      const pending = iterator.next();
      await subscription.unsubscribe();
      expect(await pending).toEqual({ done: true, value: undefined });
      expect(await iterator.next()).toEqual({ done: true, value: undefined });
    });

    it('ends a for-await loop that unsubscribes inside it', async () => {
      const base = await ctx.store().lastPosition();
      await ctx.store().appendToStream(streamName('loop'), newEvents(3), ANY);
      const subscription = ctx.store().subscribeToAll({ after: base });
      const seen: number[] = [];
      for await (const recorded of subscription) {
        seen.push(recorded.position);
        if (recorded.position === base + 2) await subscription.unsubscribe();
      }
      expect(seen).toEqual([base + 1, base + 2]);
    });
  });
}
