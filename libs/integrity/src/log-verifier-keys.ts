import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkKeyFileMode, signingKeyFileNames, type PublicKeyInfo } from './signing-keys';
import { keyIdOf } from './tree-head';

/**
 * The public halves of the signing keys in `dir` (the `key-<n>.json` files of loadOrCreateSigningKeys), oldest
 * first, for a verifier: nothing is created, the private keys are not used. Each keyId is checked against its key,
 * and a file readable by others than its owner is refused (checkKeyFileMode). An empty list when the directory does
 * not exist.
 */
export function loadPublicKeys(dir: string): PublicKeyInfo[] {
  const keys = signingKeyFileNames(dir).map((name) => {
    const path = join(dir, name);
    // Only the public half is used, but the file holds the private key too: one open to others is refused here as
    // the server refuses it, rather than verified with and left so.
    checkKeyFileMode(path);
    let file: unknown;
    try {
      file = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new Error(`signing key ${path}: not JSON (${(error as Error).message})`);
    }
    return checkedPublicKey(file, path);
  });
  return keys.sort((a, b) => a.version - b.version);
}

/** A JSON array of public keys as GET /v1/integrity/keys serves it (`SigningKeys.publicKeys`), checked. */
export function parsePublicKeys(text: string, source: string): PublicKeyInfo[] {
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source}: not JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(list)) throw new Error(`${source}: expected a JSON array of { keyId, version, publicKeyPem, createdAt }`);
  return list.map((item, i) => checkedPublicKey(item, `${source}[${i}]`));
}

function checkedPublicKey(value: unknown, where: string): PublicKeyInfo {
  const v = (value ?? {}) as Record<string, unknown>;
  if (typeof v.publicKeyPem !== 'string') throw new Error(`${where}: no publicKeyPem`);
  let keyId: string;
  try {
    keyId = keyIdOf(v.publicKeyPem);
  } catch (error) {
    throw new Error(`${where}: unreadable public key (${(error as Error).message})`);
  }
  if (v.keyId !== keyId) throw new Error(`${where}: keyId ${String(v.keyId)} is not the public key's (${keyId})`);
  return {
    keyId,
    version: typeof v.version === 'number' ? v.version : 0,
    publicKeyPem: v.publicKeyPem,
    createdAt: typeof v.createdAt === 'string' ? v.createdAt : '',
  };
}
