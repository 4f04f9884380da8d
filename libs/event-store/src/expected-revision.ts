import { ANY, ExpectedRevision, NO_STREAM, STREAM_EXISTS } from './event-store.port';
import { WrongExpectedVersionError } from './errors';

/**
 * Throws WrongExpectedVersionError unless a stream whose last event has revision `head` (-1: no stream) satisfies
 * `expected`. A number n matches when the last event's revision is n; -1 matches a missing stream, so the
 * `nextExpectedRevision` of an empty append to a missing stream can be passed back as is (EventStoreDB's legacy
 * ExpectedVersion.NoStream is -1 too).
 */
export function checkExpectedRevision(streamId: string, expected: ExpectedRevision, head: number): void {
  const matches =
    expected === ANY ? true : expected === NO_STREAM ? head === -1 : expected === STREAM_EXISTS ? head >= 0 : head === expected;
  if (!matches) throw new WrongExpectedVersionError(streamId, expected, head === -1 ? 'no_stream' : head);
}

/** Rejects what no stream could ever match (a typo'd constant, a fraction), before it reaches a transaction. */
export function isValidExpectedRevision(expected: unknown): expected is ExpectedRevision {
  return expected === ANY || expected === NO_STREAM || expected === STREAM_EXISTS ||
    (typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= -1);
}
