import { createHash } from 'node:crypto';
import type { RecordProcessing } from './processing-record.command';

/**
 * A fingerprint of what a record says, over its normalised form so that `[1]` and `["full-name"]` are the same
 * record. Keys are written in a fixed order; a repeated recordId is the same record only if this matches.
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
    c.recipient ? [c.recipient.name, c.recipient.country] : null,
    c.transferGround ? [c.transferGround.kind, c.transferGround.reference] : null,
    c.note,
    // Added with v2; left out when empty so that records stored before keep their fingerprint.
    ...(c.embargoUntil === null ? [] : [c.embargoUntil]),
    ...(c.requestId === null ? [] : [c.requestId]),
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
