import { createHash } from 'node:crypto';

/**
 * A UUID that a name always gives (version 8, from SHA-256): for events the ledger makes itself, such as the record
 * that carries out a request, so that retrying makes the same id and the store refuses a second copy.
 */
export function derivedUuid(name: string): string {
  const hex = createHash('sha256').update(name, 'utf8').digest('hex');
  const variant = ((parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
