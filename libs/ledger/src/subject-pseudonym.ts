import { createHmac } from 'node:crypto';

/** A subject's id: 64 lowercase hex characters. */
export const SUBJECT_ID_PATTERN = /^[0-9a-f]{64}$/;

/**
 * Turns an IIN into the subject's keyed pseudonym, HMAC-SHA-256(key, IIN). Without the key the IIN cannot be
 * recovered by trying all valid IINs (there are only about 10^10); with it, looking a subject up is hashing again.
 */
export class SubjectPseudonymizer {
  constructor(private readonly key: Buffer) {
    if (key.length < 32) throw new Error('the pseudonym key must be at least 32 bytes');
  }

  subjectId(iin: string): string {
    return createHmac('sha256', this.key).update(iin, 'utf8').digest('hex');
  }

  /** A key for another use (signing subjects' links), derived so that it can never be used as this one. */
  derivedKey(label: string): Buffer {
    return createHmac('sha256', this.key).update(`derbes derived key: ${label}`, 'utf8').digest();
  }
}

/** The stream that holds one subject's events. */
export function subjectStreamId(subjectId: string): string {
  return `subject-${subjectId}`;
}
