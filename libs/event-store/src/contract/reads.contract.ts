import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { NO_STREAM, type RecordedEvent } from '../event-store.port';
import { type ContractContext, newEvent, newEvents, range, rejection, streamName } from './contract-helpers';

const LARGE = 3000;

/** The global log's order and numbering, and every read of the port. */
export function readsContract(ctx: ContractContext): void {
  describe('reads', () => {
    // Written once: a0 a1 to a, a refused event, b0 to b, a2 a3 to a.
    const [a, b] = [streamName('read-a'), streamName('read-b')];
    const e = { a0: newEvent(), a1: newEvent(), lost: newEvent(), b0: newEvent(), a2: newEvent(), a3: newEvent() };
    const label = new Map(Object.entries(e).map(([name, event]) => [event.id, name]));
    const names = (events: readonly RecordedEvent[]) => events.map((event) => label.get(event.id) ?? event.id);
    let base = 0;

    beforeAll(async () => {
      base = await ctx.store().lastPosition();
      await ctx.store().appendToStream(a, [e.a0, e.a1], NO_STREAM);
      await rejection(ctx.store().appendToStream(a, [e.lost], NO_STREAM));
      await ctx.store().appendToStream(b, [e.b0], NO_STREAM);
      await ctx.store().appendToStream(a, [e.a2, e.a3], 1);
    });

    it('numbers the global log densely in commit order across streams, without a gap for a refused append', async () => {
      const all = await ctx.store().readAll({ after: base });
      expect(all.map((event) => [label.get(event.id), event.position])).toEqual([
        ['a0', base + 1], ['a1', base + 2], ['b0', base + 3], ['a2', base + 4], ['a3', base + 5],
      ]);
      expect(await ctx.store().lastPosition()).toBe(base + 5);
    });

    it('readAll starts after a position and returns at most maxCount', async () => {
      expect(names(await ctx.store().readAll({ after: base + 2, maxCount: 2 }))).toEqual(['b0', 'a2']);
      expect(await ctx.store().readAll({ after: base + 5 })).toEqual([]);
      expect(await ctx.store().readAll({ after: base, maxCount: 0 })).toEqual([]);
    });

    it('readAll without a position starts at position 1', async () => {
      expect((await ctx.store().readAll({ maxCount: 2 })).map((event) => event.position)).toEqual([1, 2]);
    });

    it('readStream returns a stream in revision order from a revision, at most maxCount, or [] when missing', async () => {
      expect((await ctx.store().readStream(a)).map((event) => [label.get(event.id), event.revision])).toEqual([['a0', 0], ['a1', 1], ['a2', 2], ['a3', 3]]);
      expect(names(await ctx.store().readStream(a, { fromRevision: 1, maxCount: 2 }))).toEqual(['a1', 'a2']);
      expect(await ctx.store().readStream(a, { fromRevision: 4 })).toEqual([]);
      expect(await ctx.store().readStream(streamName('never-written'))).toEqual([]);
    });

    it('readEventById finds an event wherever it is, and nothing for a refused or unknown id', async () => {
      expect(await ctx.store().readEventById(e.b0.id)).toMatchObject({ streamId: b, revision: 0, position: base + 3 });
      expect(await ctx.store().readEventById(e.lost.id)).toBeUndefined();
      expect(await ctx.store().readEventById(randomUUID())).toBeUndefined();
    });

    it('every read gives an event the same way', async () => {
      const [fromAll] = await ctx.store().readAll({ after: base + 3, maxCount: 1 });
      expect(await ctx.store().readEventById(e.a2.id)).toEqual(fromAll);
      expect((await ctx.store().readStream(a, { fromRevision: 2, maxCount: 1 }))[0]).toEqual(fromAll);
    });
  });

  describe(`a large stream (${LARGE.toLocaleString('en-US')} events)`, () => {
    const s = streamName('large');
    const written = newEvents(LARGE);
    let base = 0;

    beforeAll(async () => {
      base = await ctx.store().lastPosition();
      for (let i = 0; i < LARGE; i += 500) await ctx.store().appendToStream(s, written.slice(i, i + 500), i === 0 ? NO_STREAM : i - 1);
    }, 120_000);

    it('reads back whole, in revision order', async () => {
      const stream = await ctx.store().readStream(s);
      expect(stream.map((event) => event.id)).toEqual(written.map((event) => event.id));
      expect(stream.map((event) => event.revision)).toEqual(range(0, LARGE - 1));
    }, 60_000);

    it('reads back in pages of the stream and of the global log', async () => {
      const byRevision: string[] = [];
      for (let from = 0; from < LARGE; from += 700) byRevision.push(...(await ctx.store().readStream(s, { fromRevision: from, maxCount: 700 })).map((event) => event.id));
      expect(byRevision).toEqual(written.map((event) => event.id));
      const positions: number[] = [];
      for (let after = base; after < base + LARGE;) {
        const page = await ctx.store().readAll({ after, maxCount: 1000 });
        expect(page.length).toBeGreaterThan(0);
        positions.push(...page.map((event) => event.position));
        after = page[page.length - 1]!.position;
      }
      expect(positions).toEqual(range(base + 1, base + LARGE));
    }, 60_000);
  });
}
