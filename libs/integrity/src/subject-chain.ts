import { chainHash, type ChainedEvent } from './canonical-event';

export type ChainBreak =
  | 'revision-gap'
  | 'other-stream'
  | 'malformed-previous-hash'
  | 'first-link-not-null'
  | 'previous-hash-mismatch'
  | 'unchained-after-chained';

export type ChainVerdict =
  | {
    readonly ok: true;
    /** What the stream's next event must carry as `metadata.previousHash`: null while no event is chained yet. */
    readonly lastHash: string | null;
    /** How many events at the start predate the chain (no `previousHash` member). */
    readonly unchained: number;
  }
  | { readonly ok: false; readonly revision: number; readonly code: ChainBreak; readonly reason: string };

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Checks one subject's stream, all of it in revision order from 0 (CANONICAL.md, "The per-subject chain"): an
 * unchained prefix, then events whose `metadata.previousHash` is null for the first and the previous event's
 * chain hash for each later one. Names the first break.
 */
export function verifyChain(events: readonly ChainedEvent[]): ChainVerdict {
  let previous: string | null = null; // chain hash of the previous chained event
  let unchained = 0;
  const fail = (revision: number, code: ChainBreak, reason: string): ChainVerdict => ({ ok: false, revision, code, reason });
  for (const [i, event] of events.entries()) {
    const revision = event.revision;
    if (revision !== i) return fail(revision, 'revision-gap', `event ${i} of the stream has revision ${revision}, expected ${i}`);
    if (event.streamId !== events[0]!.streamId) {
      return fail(revision, 'other-stream', `belongs to stream ${event.streamId}, not ${events[0]!.streamId}`);
    }
    const metadata = event.metadata;
    if (!Object.prototype.hasOwnProperty.call(metadata, 'previousHash')) {
      if (unchained < i) return fail(revision, 'unchained-after-chained', 'has no previousHash after chained events');
      unchained++;
      continue;
    }
    const link = metadata.previousHash;
    if (link !== null && (typeof link !== 'string' || !HEX64.test(link))) {
      return fail(revision, 'malformed-previous-hash', 'previousHash is neither null nor 64 lowercase hex digits');
    }
    if (previous === null && link !== null) {
      return fail(revision, 'first-link-not-null', `the first chained event carries previousHash ${link}, expected null`);
    }
    if (previous !== null && link !== previous) {
      return fail(revision, 'previous-hash-mismatch', `previousHash ${String(link)} is not the previous event's chain hash ${previous}`);
    }
    previous = chainHash(event);
  }
  return { ok: true, lastHash: previous, unchained };
}
