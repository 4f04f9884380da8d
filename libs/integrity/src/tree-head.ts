import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '@derbes/canonical-json';

/** What a tree head states: the log had `treeSize` events with root `rootHash` at `timestamp`, signed by `keyId`. */
export interface TreeHead {
  readonly treeSize: number;
  /** The RFC 9162 root hash (MTH) of the first `treeSize` events, 64 lowercase hex digits. */
  readonly rootHash: string;
  /** ISO 8601 UTC with milliseconds, as Date.prototype.toISOString writes it: `2026-11-20T09:30:00.123Z`. */
  readonly timestamp: string;
  /** `keyIdOf` the signing key's public half: 16 lowercase hex digits. */
  readonly keyId: string;
}

export interface SignedTreeHead extends TreeHead {
  /** Ed25519 signature of `treeHeadSignedBytes(head)`, 128 lowercase hex digits. */
  readonly signature: string;
}

/** A private key with what identifies it; `SigningKeys.current` is one. */
export interface TreeHeadSigner {
  readonly keyId: string;
  readonly privateKey: KeyObject;
}

const HEX64 = /^[0-9a-f]{64}$/;
const KEY_ID = /^[0-9a-f]{16}$/;
const SIGNATURE = /^[0-9a-f]{128}$/;
const ISO_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The raw 32-byte Ed25519 public key (RFC 8032 encoding), from any form node:crypto accepts (KeyObject or PEM). */
export function rawPublicKey(publicKey: KeyObject | string): Buffer {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`tree heads are signed with Ed25519, not ${key.asymmetricKeyType}`);
  const jwk = key.export({ format: 'jwk' });
  return Buffer.from(jwk.x as string, 'base64url');
}

/** First 16 hex digits of SHA-256 of the raw 32-byte Ed25519 public key. */
export function keyIdOf(publicKey: KeyObject | string): string {
  return createHash('sha256').update(rawPublicKey(publicKey)).digest('hex').slice(0, 16);
}

function isExactInstant(text: string): boolean {
  const time = Date.parse(text);
  return !Number.isNaN(time) && new Date(time).toISOString() === text;
}

/** Why `head` is not a well-formed tree head, or undefined if it is. */
function malformation(head: TreeHead): string | undefined {
  if (!Number.isSafeInteger(head.treeSize) || head.treeSize < 0) return `treeSize ${shown(head.treeSize)} is not a non-negative integer`;
  if (typeof head.rootHash !== 'string' || !HEX64.test(head.rootHash)) return 'rootHash is not 64 lowercase hex digits';
  if (typeof head.timestamp !== 'string' || !ISO_UTC_MS.test(head.timestamp) || !isExactInstant(head.timestamp)) {
    return `timestamp ${shown(head.timestamp)} is not an ISO 8601 UTC instant with milliseconds`;
  }
  if (typeof head.keyId !== 'string' || !KEY_ID.test(head.keyId)) return 'keyId is not 16 lowercase hex digits';
  return undefined;
}

// A value as JSON writes it, so that "5" and 5 read differently; anything else (undefined, a bigint) as String does.
const shown = (value: unknown): string => (typeof value === 'number' ? String(value) : JSON.stringify(value) ?? String(value));

const kindOf = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`);

/**
 * A signed tree head from outside (a parsed file an auditor kept), checked member by member before anything reads it;
 * throws naming the first member that is missing or malformed, and why. Members besides the five are ignored. The
 * signature itself is checked by verifyTreeHead.
 */
export function signedTreeHeadOf(value: unknown): SignedTreeHead {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`not a signed tree head (a JSON object) but ${kindOf(value)}`);
  const v = value as Record<string, unknown>;
  for (const member of ['treeSize', 'rootHash', 'timestamp', 'keyId', 'signature']) {
    if (v[member] === undefined) throw new Error(`${member} is missing`);
  }
  const head = { treeSize: v.treeSize, rootHash: v.rootHash, timestamp: v.timestamp, keyId: v.keyId, signature: v.signature } as SignedTreeHead;
  const problem = malformation(head);
  if (problem) throw new Error(problem);
  if (typeof head.signature !== 'string' || !SIGNATURE.test(head.signature)) throw new Error('signature is not 128 lowercase hex digits');
  return head;
}

/** The bytes signed: UTF-8 of the canonical JSON of exactly the four fields (CANONICAL.md, "Signed tree heads"). */
export function treeHeadSignedBytes(head: TreeHead): Buffer {
  const problem = malformation(head);
  if (problem) throw new Error(`tree head: ${problem}`);
  const { keyId, rootHash, timestamp, treeSize } = head;
  return Buffer.from(canonicalJson({ keyId, rootHash, timestamp, treeSize }), 'utf8');
}

/** Signs the head of a tree of `treeSize` leaves with root `rootHash` at `at` (passed in: no clock is read here). */
export function signTreeHead(
  tree: { readonly treeSize: number; readonly rootHash: Buffer | string },
  at: Date,
  signer: TreeHeadSigner,
): SignedTreeHead {
  const head: TreeHead = {
    treeSize: tree.treeSize,
    rootHash: typeof tree.rootHash === 'string' ? tree.rootHash : tree.rootHash.toString('hex'),
    timestamp: at.toISOString(),
    keyId: signer.keyId,
  };
  const signature = sign(null, treeHeadSignedBytes(head), signer.privateKey).toString('hex');
  return { ...head, signature };
}

/**
 * Whether `head` is well formed, names `publicKey` by its keyId and carries its valid signature. With several keys
 * (after rotations), pick the one whose `keyIdOf` is `head.keyId`.
 */
export function verifyTreeHead(head: SignedTreeHead, publicKey: KeyObject | string): boolean {
  if (malformation(head) !== undefined) return false;
  if (typeof head.signature !== 'string' || !SIGNATURE.test(head.signature)) return false;
  if (keyIdOf(publicKey) !== head.keyId) return false;
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  return verify(null, treeHeadSignedBytes(head), key, Buffer.from(head.signature, 'hex'));
}
