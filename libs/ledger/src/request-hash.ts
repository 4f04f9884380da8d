import { createHash } from 'node:crypto';
import type { RecordProcessing } from './processing-record.command';

/**
 * A fingerprint of what a record says, over its normalised form so that `[1]` and `["full-name"]` are the same
 * record. Keys are written in a fixed order; a repeated recordId is the same record only if this matches.
 *
 * It is taken over the plain command, before the texts are sealed: idempotency is about content, and sealing
 * (with a fresh random IV each time) would make every repeat look different. The hash is stored beside the event;
 * it is SHA-256 over the whole normalised record including the subject's pseudonym and the recordId, so it reveals
 * no text by itself and is not a lookup table across subjects. It is not keyed, though: whoever holds the event
 * (all other fields are in clear) can test a guess of a short note or name against it, also after the subject's
 * key is destroyed. Making it an HMAC under a ledger secret would close that; see README, "Crypto-shredding".
 */
export function recordHash(c: RecordProcessing): string {
  const canonical = JSON.stringify([
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
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
