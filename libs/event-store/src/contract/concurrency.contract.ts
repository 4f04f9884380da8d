import { describe, expect, it } from '@jest/globals';
import { NO_STREAM, type EventData } from '../event-store.port';
import { WrongExpectedVersionError } from '../errors';
import { type ContractContext, newEvent, newEvents, range, streamName } from './contract-helpers';

const REVISIONS = 15;
const RIVALS = 3;
const WRITERS = 20;
const APPENDS = 10;

/** Writers at the same time: on one stream exactly one wins each revision; on many, nothing is lost. */
export function concurrencyContract(ctx: ContractContext): void {
  describe('concurrent writers', () => {
    it(`on one stream: of ${RIVALS} appends on the same revision exactly one wins, the others get the conflict`, async () => {
      const s = streamName('contended');
      const winners: string[] = [];
      for (let revision = 0; revision < REVISIONS; revision++) {
        const rivals = Array.from({ length: RIVALS }, () => newEvent({ revision }));
        const expected = revision === 0 ? NO_STREAM : revision - 1;
        const outcomes = await Promise.allSettled(rivals.map((e) => ctx.store().appendToStream(s, [e], expected)));
        const won = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [i] : []));
        expect(won).toHaveLength(1);
        winners.push(rivals[won[0]!]!.id);
        for (const outcome of outcomes) {
          if (outcome.status === 'fulfilled') {
            expect(outcome.value.nextExpectedRevision).toBe(revision);
            continue;
          }
          expect(outcome.reason).toBeInstanceOf(WrongExpectedVersionError);
          expect(outcome.reason).toMatchObject({ streamId: s, expected, actual: revision });
        }
      }
      const stream = await ctx.store().readStream(s);
      expect(stream.map((e) => e.id)).toEqual(winners);
      expect(stream.map((e) => e.revision)).toEqual(range(0, REVISIONS - 1));
    }, 60_000);

    it(`on ${WRITERS} streams at once: every event is stored once, the log stays dense, each stream in its writer's order`, async () => {
      const base = await ctx.store().lastPosition();
      const streams = Array.from({ length: WRITERS }, () => streamName('parallel'));
      const planned = new Map<string, EventData[]>(streams.map((s) => [s, newEvents(APPENDS * 2)]));
      await Promise.all(streams.map(async (s) => {
        const events = planned.get(s)!;
        for (let i = 0; i < APPENDS; i++) await ctx.store().appendToStream(s, events.slice(2 * i, 2 * i + 2), i === 0 ? NO_STREAM : 2 * i - 1);
      }));
      const total = WRITERS * APPENDS * 2;
      expect(await ctx.store().lastPosition()).toBe(base + total);
      const log = await ctx.store().readAll({ after: base });
      expect(log.map((e) => e.position)).toEqual(range(base + 1, base + total));
      expect(new Set(log.map((e) => e.id)).size).toBe(total);
      for (const s of streams) {
        expect(log.filter((e) => e.streamId === s).map((e) => e.id)).toEqual(planned.get(s)!.map((e) => e.id));
        expect((await ctx.store().readStream(s)).map((e) => e.revision)).toEqual(range(0, APPENDS * 2 - 1));
      }
    }, 60_000);
  });
}
