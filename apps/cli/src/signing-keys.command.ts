import { join } from 'node:path';
import { SIGNING_KEYS_DIR, readSigningKeys, rotate } from '@derbes/integrity';
import type { LedgerConfig } from '../../ledger/src/config/ledger-config';

/**
 * `derbes signing-keys rotate`: adds the next version of the tree-head signing key, which signs heads and reports
 * from then on; the older versions stay, to verify what they signed. A running server takes the new key at its
 * next signature (it looks at the key directory each time), and serves it at GET /v1/integrity/keys.
 */
export function rotateSigningKey(config: LedgerConfig, now = new Date()): string[] {
  const dir = join(config.dataDir, SIGNING_KEYS_DIR);
  const before = readSigningKeys(dir)?.current;
  const key = rotate(dir, { now }).current;
  return [
    `signing key version ${key.version} (key id ${key.keyId}) made in ${dir}: it signs tree heads and access reports from now on`,
    before
      ? `version ${before.version} (key id ${before.keyId}) and any older stay, to verify what they signed; give the keys again (GET /v1/integrity/keys) to whoever checks heads or reports`
      : 'it is the first: the ledger had signed nothing yet',
  ];
}

/** `derbes signing-keys list`: every version, the one that signs now last; public parts only. */
export function listSigningKeys(config: LedgerConfig): string[] {
  const keys = readSigningKeys(join(config.dataDir, SIGNING_KEYS_DIR));
  if (!keys) return ['no signing key yet: the first tree head makes one'];
  return keys.publicKeys.map((k, i) => `version ${k.version}  key id ${k.keyId}  created ${k.createdAt}${i === keys.publicKeys.length - 1 ? '  (signs now)' : ''}`);
}
