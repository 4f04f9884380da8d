import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';
import { SEALED_TEXT_PREFIX } from '@derbes/ledger';
import type { DataKey } from './data-key-store';

/**
 * A text sealed with a subject's data key: `sealed:v1:<keyVersion>:<base64url(iv | ciphertext | tag)>`, AES-256-GCM
 * with a random 96-bit IV. The additional authenticated data binds the subject, the field and the key version, so a
 * sealed value moved to another subject or another field does not open.
 */
const FORMAT = 'v1';
const PREFIX = `${SEALED_TEXT_PREFIX}${FORMAT}:`;
const SEALED = /^sealed:v1:([1-9]\d{0,8}):([A-Za-z0-9_-]+)$/;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The event fields that may hold a sealed text, named by their path in the event's data. */
export type SealedField = 'note' | 'source.name' | 'recipient.name' | 'transferGround.reference' | 'detail' | 'reasons';

export class SealedTextError extends Error {
  override readonly name = 'SealedTextError';
}

/**
 * Random IVs, drawn from the system's CSPRNG 4,096 at a time: one call to it costs ~25 µs on these virtual machines,
 * as much as the rest of sealing a record. Each IV is used once (the pool's position only moves forward).
 */
const IV_POOL = Buffer.alloc(IV_BYTES * 4096);
let ivOffset = IV_POOL.length;

function nextIv(): Buffer {
  if (ivOffset === IV_POOL.length) {
    randomFillSync(IV_POOL);
    ivOffset = 0;
  }
  const iv = Buffer.from(IV_POOL.subarray(ivOffset, ivOffset + IV_BYTES));
  ivOffset += IV_BYTES;
  return iv;
}

export function seal(key: DataKey, subjectId: string, field: SealedField, text: string): string {
  const iv = nextIv();
  const cipher = createCipheriv('aes-256-gcm', key.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(subjectId, field, key.version));
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return `${PREFIX}${key.version}:${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
}

/** The key version a sealed text needs; null for plain text (any string not in the sealed format). */
export function sealedKeyVersion(text: string): number | null {
  const m = SEALED.exec(text);
  return m ? Number(m[1]) : null;
}

/** Opens a sealed text with its key. Throws SealedTextError when it is not sealed, or does not open (wrong key, subject or field, or altered). */
export function unseal(key: Buffer, subjectId: string, field: SealedField, sealed: string): string {
  const m = SEALED.exec(sealed);
  if (!m) throw new SealedTextError('not a sealed text');
  const bytes = Buffer.from(m[2] as string, 'base64url');
  if (bytes.length < IV_BYTES + TAG_BYTES) throw new SealedTextError('sealed text too short');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
  decipher.setAAD(aad(subjectId, field, Number(m[1])));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new SealedTextError('sealed text does not open with this key, subject and field');
  }
}

function aad(subjectId: string, field: SealedField, version: number): Buffer {
  return Buffer.from(`derbes-sealed-${FORMAT}\n${subjectId}\n${field}\n${version}`, 'utf8');
}
