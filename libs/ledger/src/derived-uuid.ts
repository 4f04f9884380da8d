import { createHash } from 'node:crypto';

/** The UUID version of derivedUuid's ids. Clients may not choose ids of it (see isDerivedUuidVersion). */
export const DERIVED_UUID_VERSION = 8;

/** Why a client's id of that version is refused: worded for the API's errors. */
export const RESERVED_UUID_REASON = `UUID version ${DERIVED_UUID_VERSION} is reserved for the ledger's own events`;

/**
 * A UUID that a name always gives (version 8, from SHA-256): for events the ledger makes itself, such as the record
 * that carries out a request, so that retrying makes the same id and the store refuses a second copy.
 */
export function derivedUuid(name: string): string {
  const hex = createHash('sha256').update(name, 'utf8').digest('hex');
  const variant = ((parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${DERIVED_UUID_VERSION}${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const DERIVED_VERSION_UUID = new RegExp(`^[0-9a-f]{8}-[0-9a-f]{4}-${DERIVED_UUID_VERSION}[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$`, 'i');

/**
 * Whether a UUID has derivedUuid's version. Event ids are unique across the store, and the ids the ledger derives
 * are predictable: an id a client chooses (a recordId, a requestId) of this version could take one the ledger
 * needs later, so such ids are refused.
 */
export function isDerivedUuidVersion(id: string): boolean {
  return DERIVED_VERSION_UUID.test(id);
}
