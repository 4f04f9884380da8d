import { createHash } from 'node:crypto';
import type { HmacSha256 } from './hmac-sha256';
import type { RecordProcessing } from './processing-record.command';

/**
 * A fingerprint of what a record says, over its normalised form so that `[1]` and `["full-name"]` are the same
 * record. Keys are written in a fixed order; a repeated recordId is the same record only if this matches.
 *
 * It is taken over the plain command, before the texts are sealed: idempotency is about content, and sealing
 * (with a fresh random IV each time) would make every repeat look different. What is stored beside the event is
 * `recordFingerprint`, keyed: an unkeyed hash would let whoever holds the events (all other fields are in clear) test
 * a guess of a short note or name against it, also after the subject's data key is destroyed. `recordHash` is the
 * unkeyed SHA-256 that events stored before the fingerprint was keyed carry; it is only compared with those.
 */
export function recordHash(c: RecordProcessing): string {
  return createHash('sha256').update(canonicalRecord(c), 'utf8').digest('hex');
}

/** `hmac:` and HMAC-SHA-256 of the canonical record under a ledger secret (derived from the pseudonym key). */
export function recordFingerprint(c: RecordProcessing, key: HmacSha256): string {
  return keyedFingerprint(canonicalRecord(c), key);
}

/** A keyed fingerprint of any canonical text: what idempotency compares, without exposing the text to guessing. */
export function keyedFingerprint(canonical: string, key: HmacSha256): string {
  return `hmac:${key.hex(canonical)}`;
}

/** Whether a stored fingerprint (keyed, or an older unkeyed hash) is that of this record. */
export function sameRecord(stored: unknown, c: RecordProcessing, key: HmacSha256): boolean {
  if (typeof stored !== 'string') return false;
  return stored.startsWith('hmac:') ? stored === recordFingerprint(c, key) : stored === recordHash(c);
}

function canonicalRecord(c: RecordProcessing): string {
  return JSON.stringify([
    c.recordId,
    c.subjectId,
    c.operation,
    c.categories.map((x) => x.number),
    c.purpose.code,
    [c.actor.id, c.actor.role, c.actor.unit],
    c.system,
    c.occurredAt,
    c.source ? [c.source.kind, c.source.name ?? null] : null,
    // A person's kind came with v3; an organization's record keeps the fingerprint it had before.
    c.recipient ? [c.recipient.name, c.recipient.country, ...(c.recipient.kind === 'person' ? ['person'] : [])] : null,
    c.transferGround ? [c.transferGround.kind, c.transferGround.reference] : null,
    c.note,
    // Added with v2; left out when empty so that records stored before keep their fingerprint.
    ...(c.embargoUntil === null ? [] : [c.embargoUntil]),
    ...(c.requestId === null ? [] : [c.requestId]),
    // Added with v4, left out when absent likewise; an object, so it is never taken for one of the texts above.
    ...(c.sourceSequence === null ? [] : [{ sourceSequence: c.sourceSequence }]),
  ]);
}
