import type { SignedTreeHead } from './tree-head';

/** The stream that holds the ledger's signed tree heads: they are events of the log they sign, appended after it. */
export const TREE_HEADS_STREAM = 'integrity-tree-heads';
export const TREE_HEAD_SIGNED = 'TreeHeadSigned';
export const TREE_HEAD_SCHEMA_VERSION = 1;

const HEX64 = /^[0-9a-f]{64}$/;
const KEY_ID = /^[0-9a-f]{16}$/;
const SIGNATURE = /^[0-9a-f]{128}$/;
/** The members a head's data holds, and no other: the ledger writes exactly these (CANONICAL.md, "Signed tree heads"). */
const MEMBERS = new Set(['keyId', 'rootHash', 'signature', 'timestamp', 'treeSize']);

/** The signed tree head a `TreeHeadSigned` event carries; throws naming what is malformed (it does not check the signature). */
export function treeHeadOf(event: { readonly type: string; readonly data: object; readonly metadata: object }): SignedTreeHead {
  if (event.type !== TREE_HEAD_SIGNED) throw new Error(`${event.type} is not a ${TREE_HEAD_SIGNED} event`);
  const version = (event.metadata as { schemaVersion?: unknown }).schemaVersion;
  if (version !== TREE_HEAD_SCHEMA_VERSION) throw new Error(`${TREE_HEAD_SIGNED} schema version ${String(version)}: this build reads ${TREE_HEAD_SCHEMA_VERSION}`);
  const d = event.data as Record<string, unknown>;
  const bad = (field: string) => new Error(`${TREE_HEAD_SIGNED}: ${field} is malformed`);
  // A member the ledger never writes is an altered head, though its five signed fields still verify.
  const extra = Object.keys(d).find((member) => !MEMBERS.has(member));
  if (extra !== undefined) throw new Error(`${TREE_HEAD_SIGNED}: ${JSON.stringify(extra)} is not a member of a tree head`);
  if (typeof d.treeSize !== 'number' || !Number.isSafeInteger(d.treeSize) || d.treeSize < 0) throw bad('treeSize');
  if (typeof d.rootHash !== 'string' || !HEX64.test(d.rootHash)) throw bad('rootHash');
  if (typeof d.timestamp !== 'string' || Number.isNaN(Date.parse(d.timestamp))) throw bad('timestamp');
  if (typeof d.keyId !== 'string' || !KEY_ID.test(d.keyId)) throw bad('keyId');
  if (typeof d.signature !== 'string' || !SIGNATURE.test(d.signature)) throw bad('signature');
  return { treeSize: d.treeSize, rootHash: d.rootHash, timestamp: d.timestamp, keyId: d.keyId, signature: d.signature };
}
