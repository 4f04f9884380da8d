import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { SUBJECT_ID_PATTERN, SubjectPseudonymizer } from '@derbes/ledger';
import { Clock } from '../clock';

/** What a subject's link opens: their own access report, until it expires. */
export interface SubjectLink {
  readonly subjectId: string;
  readonly expiresAt: Date;
}

/** The longest a link may live. */
export const MAX_LINK_HOURS = 30 * 24;

/**
 * Signed, expiring, single-subject links to a data subject's own access report: `<payload>.<signature>`, both
 * base64url; the payload is 43 bytes (version 1, the 32-byte pseudonym, expiry in epoch seconds as uint32, a 6-byte
 * nonce) and the signature the first 16 bytes of HMAC-SHA-256 over it, with a key derived from the pseudonym key.
 * 81 characters: short enough for a path segment. The link names the subject only by pseudonym; nothing else opens
 * with it.
 */
@Injectable()
export class SubjectLinks {
  private readonly key: Buffer;

  constructor(pseudonymizer: SubjectPseudonymizer, private readonly clock: Clock) {
    this.key = pseudonymizer.derivedKey('subject links v1');
  }

  issue(subjectId: string, hours: number): { token: string; expiresAt: string } {
    if (!SUBJECT_ID_PATTERN.test(subjectId)) throw new Error('not a subject id');
    const expires = Math.floor(this.clock.now().getTime() / 1000) + Math.round(hours * 3600);
    const payload = Buffer.alloc(43);
    payload[0] = 1;
    Buffer.from(subjectId, 'hex').copy(payload, 1);
    payload.writeUInt32BE(expires, 33);
    randomBytes(6).copy(payload, 37);
    return { token: `${payload.toString('base64url')}.${this.sign(payload).toString('base64url')}`, expiresAt: new Date(expires * 1000).toISOString() };
  }

  /** The link's subject, or why it opens nothing. */
  verify(token: string): SubjectLink | 'invalid' | 'expired' {
    const m = /^([A-Za-z0-9_-]{58})\.([A-Za-z0-9_-]{22})$/.exec(token);
    if (!m) return 'invalid';
    const payload = Buffer.from(m[1] as string, 'base64url');
    const given = Buffer.from(m[2] as string, 'base64url');
    if (payload.length !== 43 || payload[0] !== 1 || given.length !== 16 || !timingSafeEqual(given, this.sign(payload))) return 'invalid';
    const expiresAt = new Date(payload.readUInt32BE(33) * 1000);
    if (expiresAt.getTime() <= this.clock.now().getTime()) return 'expired';
    return { subjectId: payload.subarray(1, 33).toString('hex'), expiresAt };
  }

  private sign(payload: Buffer): Buffer {
    return createHmac('sha256', this.key).update(payload).digest().subarray(0, 16);
  }
}
