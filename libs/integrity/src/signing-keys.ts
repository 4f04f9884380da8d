import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import {
  chmodSync, closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, readdirSync, statSync, unlinkSync, writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { codeContainsIin } from '@derbes/ledger';
import { keyIdOf } from './tree-head';

/** One version of the tree-head signing key. */
export interface SigningKey {
  readonly version: number;
  readonly keyId: string;
  readonly createdAt: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly publicKeyPem: string;
}

/** What a verifier needs about a key: publishable. */
export interface PublicKeyInfo {
  readonly keyId: string;
  readonly version: number;
  readonly publicKeyPem: string;
  readonly createdAt: string;
}

export interface SigningKeys {
  /** The newest version: signs new tree heads. */
  readonly current: SigningKey;
  /** Every version, oldest first: heads signed before a rotation still verify. */
  readonly all: readonly SigningKey[];
  readonly publicKeys: readonly PublicKeyInfo[];
}

/** The content of `<dir>/key-<version>.json`. */
interface KeyFile {
  readonly version: number;
  readonly keyId: string;
  readonly createdAt: string;
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
}

/** Where a data directory keeps its tree-head signing keys. */
export const SIGNING_KEYS_DIR = 'integrity-keys';

const KEY_FILE = /^key-([1-9][0-9]*)\.json$/;

/** Whether `name` is a key file's name (`key-<version>.json`). */
export function isSigningKeyFileName(name: string): boolean {
  return KEY_FILE.test(name);
}

/** The names of the key files in `dir` (`key-1.json`, `key-2.json`...), oldest version first; none without the directory. */
export function signingKeyFileNames(dir: string): string[] {
  return keyDirectoryNames(dir)
    .flatMap((name) => {
      const version = KEY_FILE.exec(name)?.[1];
      return version === undefined ? [] : [{ name, version: Number(version) }];
    })
    .sort((a, b) => a.version - b.version)
    .map(({ name }) => name);
}

/**
 * The signing keys in `dir` (`key-1.json`, `key-2.json`...: PKCS#8 private and SPKI public key PEM, mode 0600, in a
 * directory of mode 0700), creating the directory and version 1 if there is none. A key file that others than its
 * owner may read, or whose keys do not match, stops it with the file named.
 */
export function loadOrCreateSigningKeys(dir: string, options: { readonly now?: Date } = {}): SigningKeys {
  const existing = readKeys(dir);
  if (existing.length > 0) return keysOf(existing);
  writeNewKey(dir, 1, options.now ?? new Date()); // false if another process made it first: then theirs is read
  return keysOf(readKeys(dir));
}

/**
 * Reads every key in `dir` as signing would, and throws naming the first file that is readable by others than its
 * owner or damaged: for a start to stop on, rather than each signature and report failing later. None is fine.
 */
export function checkSigningKeys(dir: string): void {
  readKeys(dir);
}

/** The signing keys in `dir` without making one: null when there is none yet. Throws as loadOrCreateSigningKeys does. */
export function readSigningKeys(dir: string): SigningKeys | null {
  const keys = readKeys(dir);
  return keys.length > 0 ? keysOf(keys) : null;
}

/** Adds version n + 1 to `dir`, which then signs; older versions stay for verifying the heads they signed. */
export function rotate(dir: string, options: { readonly now?: Date } = {}): SigningKeys {
  const existing = readKeys(dir);
  const next = (existing.at(-1)?.version ?? 0) + 1;
  if (!writeNewKey(dir, next, options.now ?? new Date())) {
    throw new Error(`signing key version ${next} in ${dir} was made by another process meanwhile: not rotated twice`);
  }
  return keysOf(readKeys(dir));
}

function keysOf(keys: readonly SigningKey[]): SigningKeys {
  return {
    current: keys[keys.length - 1]!,
    all: keys,
    publicKeys: keys.map(({ keyId, version, publicKeyPem, createdAt }) => ({ keyId, version, publicKeyPem, createdAt })),
  };
}

function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if ((statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

/** The names in a key directory; none when it does not exist. */
export function keyDirectoryNames(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * Throws, naming the file and the fix, when a key file (a private key, whichever half is read) is readable or
 * writable by others than its owner: the server, `derbes verify`, `migrate` and `backup` refuse it alike.
 */
export function checkKeyFileMode(path: string): void {
  if ((statSync(path).mode & 0o077) !== 0) throw new Error(`signing key ${path}: readable by others than its owner; chmod 600 it`);
}

function readKeys(dir: string): SigningKey[] {
  return signingKeyFileNames(dir).map((name) => readKey(join(dir, name), Number(KEY_FILE.exec(name)?.[1])));
}

function readKey(path: string, version: number): SigningKey {
  const fail = (why: string): never => {
    throw new Error(`signing key ${path}: ${why}`);
  };
  checkKeyFileMode(path);
  let file: KeyFile;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as KeyFile;
  } catch (error) {
    return fail(`not JSON (${(error as Error).message})`);
  }
  if (file.version !== version) fail(`holds version ${file.version}, its name says ${version}`);
  let privateKey: KeyObject;
  let publicKey: KeyObject;
  try {
    privateKey = createPrivateKey(file.privateKeyPem);
    publicKey = createPublicKey(file.publicKeyPem);
  } catch (error) {
    return fail(`unreadable key (${(error as Error).message})`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519' || publicKey.asymmetricKeyType !== 'ed25519') fail('not an Ed25519 key');
  const keyId = keyIdOf(publicKey);
  if (keyIdOf(createPublicKey(privateKey)) !== keyId) fail('the private key does not belong to the public key');
  if (file.keyId !== keyId) fail(`keyId ${file.keyId} is not the public key's (${keyId})`);
  if (typeof file.createdAt !== 'string') fail('no createdAt');
  return { version, keyId, createdAt: file.createdAt, privateKey, publicKey, publicKeyPem: file.publicKeyPem };
}

interface KeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/**
 * A new Ed25519 key pair whose key id holds no twelve digits that read as an IIN, drawn again until it does not.
 * About one id in 24,000 would (16 hexadecimal digits with a run of twelve decimal ones passing the IIN checks):
 * the CLI masks every IIN it prints, and cannot tell a key id it made from a word typed or read from a file that it
 * echoes, so `derbes signing-keys list`, `verify` and `verify-report` would show such an id masked, not as the key's;
 * and a scan of the logs for IINs would find it. A key drawn again is as good as the first. (A key made before keeps
 * its id.) `generate` is for tests.
 */
export function newSigningKeyPair(generate: () => KeyPair = () => generateKeyPairSync('ed25519')): KeyPair {
  for (;;) {
    const pair = generate();
    if (!codeContainsIin(keyIdOf(pair.publicKey))) return pair;
  }
}

/**
 * Writes key-<version>.json whole, durably, or not at all; never over an existing version. False when another
 * process wrote that version first.
 */
function writeNewKey(dir: string, version: number, now: Date): boolean {
  ensureDir(dir);
  const { privateKey, publicKey } = newSigningKeyPair();
  const file: KeyFile = {
    version,
    keyId: keyIdOf(publicKey),
    createdAt: now.toISOString(),
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }) as string,
  };
  const target = join(dir, `key-${version}.json`);
  const temporary = join(dir, `.key-${version}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    // The temporary file goes whatever happens: a write the disk refuses (full) has created it already.
    try {
      writeFileSync(fd, JSON.stringify(file, null, 2) + '\n'); // every byte or a throw: writeSync may write fewer
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    linkSync(temporary, target); // EEXIST rather than replace a version another process wrote
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temporary);
  }
  const dirFd = openSync(dir, 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
  return true;
}
