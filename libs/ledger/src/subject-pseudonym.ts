import { HmacSha256 } from './hmac-sha256';

/** A subject's id: 64 lowercase hex characters. */
export const SUBJECT_ID_PATTERN = /^[0-9a-f]{64}$/;

/**
 * Turns an IIN into the subject's keyed pseudonym, HMAC-SHA-256(key, IIN). Without the key the IIN cannot be
 * recovered by trying all valid IINs (there are only about 10^10); with it, looking a subject up is hashing again.
 */
export class SubjectPseudonymizer {
  private readonly mac: HmacSha256;

  constructor(key: Buffer) {
    if (key.length < 32) throw new Error('the pseudonym key must be at least 32 bytes');
    this.mac = new HmacSha256(key);
  }

  subjectId(iin: string): string {
    return this.mac.hex(iin);
  }

  /** A key for another use (signing subjects' links), derived so that it can never be used as this one. */
  derivedKey(label: string): Buffer {
    return this.mac.bytes(`derbes derived key: ${label}`);
  }
}

/** The stream that holds one subject's events. */
export function subjectStreamId(subjectId: string): string {
  return `subject-${subjectId}`;
}
