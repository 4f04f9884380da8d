import { createPublicKey, type KeyObject } from 'node:crypto';
import { verifyConsistency } from './merkle';
import { columnsOf, type HashedColumns } from './hashed-columns';
import type { HashedEvent } from './log-verifier-hashing';
import { StreamTable } from './log-verifier-streams';
import { StreamingTree } from './log-verifier-tree';
import { verifyTreeHead, type SignedTreeHead } from './tree-head';

export type FindingKind =
  | 'position-gap' | 'position-disorder' | 'malformed-event' | 'chain-break' | 'revision-gap'
  | 'head-malformed' | 'head-unknown-key' | 'head-signature' | 'head-size-order' | 'head-ahead-of-position'
  | 'root-mismatch' | 'heads-inconsistent' | 'truncated' | 'stored-leaf-mismatch';

/** One disagreement, at the log position it names (for a head's own faults: where the head is in the log). */
export interface Finding {
  readonly kind: FindingKind;
  readonly position: number;
  /** The tree size concerned, for findings about tree heads. */
  readonly treeSize?: number;
  /** verifyChain's code, for a chain break. */
  readonly code?: string;
  /** For a root that differs where no exact position is known: the first and last position the change may be at. */
  readonly range?: readonly [number, number];
  readonly message: string;
}

/** A signed tree head to check: from the log (its position) or given from outside (position null). */
export interface LoggedHead {
  readonly position: number | null;
  readonly head?: SignedTreeHead;
  /** Why the head event could not be read, if it could not. */
  readonly malformed?: string;
}

export interface LogVerifierInput {
  /** Pages of the log's events in position order, hashed: one by one (hashEvent, hashStoredEvent) or as columns (addStoredEvent). */
  readonly events: AsyncIterable<readonly HashedEvent[] | HashedColumns>;
  /** The heads to check, read before the pass: the log's in position order, then any given from outside. */
  readonly heads: readonly LoggedHead[];
  readonly publicKeys: readonly { readonly keyId: string; readonly publicKeyPem: string }[];
  /**
   * The leaf hashes some copy of the tree holds (the server's read model), `count` from leaf `first`; undefined
   * beyond it. Used only to name the first leaf that differs from the recomputed one, never to accept anything.
   */
  readonly storedLeaves?: (first: number, count: number) => readonly (Uint8Array | undefined)[];
  /** How many leaves that copy holds. */
  readonly storedTreeSize?: number;
  /** The last revision of each stream as the store records it apart from the events (a shorter stream was cut). */
  readonly streamRevisions?: ReadonlyMap<string, number>;
  /** Called after each page with the number of events read so far. */
  readonly onProgress?: (events: number) => void;
}

export interface LogReport {
  readonly ok: boolean;
  readonly events: number;
  readonly lastPosition: number;
  readonly streams: number;
  /** Subject streams, whose chains were checked. */
  readonly subjects: number;
  /** Heads whose signature verified (their roots compared). */
  readonly headsChecked: number;
  /** The verified head of the largest size whose root agrees, if any. */
  readonly latestHead: (SignedTreeHead & { readonly position: number | null }) | null;
  /** The root of the whole log, recomputed (hex). */
  readonly rootHash: string;
  /** Sorted by position (a bracketed root mismatch by its last position); the first is where the log first disagrees. */
  readonly findings: readonly Finding[];
}

const fmt = (n: number) => n.toLocaleString('en-US');

interface TrustedHead {
  readonly position: number | null;
  readonly head: SignedTreeHead;
}

const where = (h: { position: number | null }) => (h.position === null ? 'given' : `at position ${fmt(h.position)}`);

/**
 * Recomputes the tree and every subject's chain from the log and checks the signed tree heads against them
 * (CANONICAL.md): positions gap-free from 1, each stream's revisions in order and each subject's chain (verifyChain's
 * rules), each head's signature by a known key, its root against the recomputed root at its size, head sizes never
 * going back, the consistency of consecutive heads (with a proof from the recomputed tree), and a log no shorter than
 * any head. Keeps O(log n) hashes of the tree and the last chain hash per subject.
 */
export async function verifyLog(input: LogVerifierInput): Promise<LogReport> {
  const findings: Finding[] = [];
  const trusted = checkHeads(input, findings);

  const tree = new StreamingTree();
  const bySize = [...trusted].sort((a, b) => a.head.treeSize - b.head.treeSize);
  const sizes = new Set(bySize.map((h) => h.head.treeSize));
  const pairs: Array<[number, number]> = [];
  for (let i = 1; i < bySize.length; i++) {
    const m = bySize[i - 1]!.head.treeSize;
    const n = bySize[i]!.head.treeSize;
    if (m < n) pairs.push([m, n]);
  }
  for (const [m, n] of pairs) tree.want(m, n);
  const pairsEndingAt = new Map<number, number[]>();
  for (const [m, n] of pairs) pairsEndingAt.set(n, [...(pairsEndingAt.get(n) ?? []), m]);
  const roots = new Map<number, Buffer>();
  const proofs = new Map<string, Buffer[]>();
  const snapshot = () => {
    roots.set(tree.size, tree.root());
    for (const m of pairsEndingAt.get(tree.size) ?? []) proofs.set(`${m}-${tree.size}`, tree.consistencyProof(m));
  };
  if (sizes.has(0)) snapshot();

  const streams = new StreamTable();
  const keys = new Map<string, number>();
  let lastPosition = 0;
  let firstStoredMismatch: number | undefined;
  const storedSize = input.storedTreeSize ?? 0;

  for await (const given of input.events) {
    const page = isColumns(given) ? given : columnsOf(given, keys);
    streams.learn(page.names);
    const leaves = Buffer.from(page.leaves.buffer, page.leaves.byteOffset, page.leaves.byteLength);
    const malformed = new Map(page.malformed);
    const firstIndex = tree.size;
    for (let i = 0; i < page.count; i++) {
      const position = page.positions[i]!;
      if (position !== lastPosition + 1) {
        findings.push(position > lastPosition
          ? { kind: 'position-gap', position: lastPosition + 1, message: position === lastPosition + 2
            ? `position ${fmt(lastPosition + 1)} is missing: the log goes from ${fmt(lastPosition)} to ${fmt(position)} (an event was removed)`
            : `positions ${fmt(lastPosition + 1)} to ${fmt(position - 1)} are missing: the log goes from ${fmt(lastPosition)} to ${fmt(position)} (events were removed)` }
          : { kind: 'position-disorder', position, message: `position ${fmt(position)} comes after ${fmt(lastPosition)}: the log is out of order` });
      }
      if (position > lastPosition) lastPosition = position;
      const why = malformed.size > 0 ? malformed.get(i) : undefined;
      if (why !== undefined) {
        findings.push({ kind: 'malformed-event', position, message: `the event at position ${fmt(position)} is not a valid event: ${why}` });
      }
      const s = streams.indexOf(page.streams[i]!);
      if (!streams.broken(s)) streams.follow(page, i, s, why !== undefined, findings);
      tree.append(leaves, i * 32);
      if (sizes.has(tree.size)) snapshot();
    }
    if (input.storedLeaves && firstStoredMismatch === undefined && firstIndex < storedSize) {
      const stored = input.storedLeaves(firstIndex, Math.min(page.count, storedSize - firstIndex));
      for (let i = 0; i < stored.length; i++) {
        const leaf = stored[i];
        if (leaf !== undefined && Buffer.compare(leaf, leaves.subarray(i * 32, i * 32 + 32)) !== 0) {
          firstStoredMismatch = firstIndex + i;
          break;
        }
      }
    }
    input.onProgress?.(tree.size);
  }

  const latestHead = compareHeads(bySize, roots, tree.size, firstStoredMismatch, findings);
  for (const [m, n] of pairs) {
    const proof = proofs.get(`${m}-${n}`);
    const rootM = roots.get(m);
    const rootN = roots.get(n);
    if (!proof || !rootM || !rootN) continue; // beyond the log: reported as truncated
    if (!verifyConsistency(m, n, proof, rootM, rootN)) throw new Error(`log verifier: the recomputed tree is not consistent between ${m} and ${n}`);
    const headM = bySize.find((h) => h.head.treeSize === m)!;
    const headN = bySize.find((h) => h.head.treeSize === n)!;
    if (!verifyConsistency(m, n, proof, Buffer.from(headM.head.rootHash, 'hex'), Buffer.from(headN.head.rootHash, 'hex'))) {
      findings.push({ kind: 'heads-inconsistent', position: headN.position ?? n, treeSize: n,
        message: `the head of size ${fmt(n)} (${where(headN)}) does not extend the head of size ${fmt(m)} (${where(headM)}) by the log's events: the consistency proof between them fails` });
    }
  }
  if (firstStoredMismatch !== undefined && !findings.some((f) => f.kind === 'root-mismatch' && f.position === firstStoredMismatch + 1)) {
    findings.push({ kind: 'stored-leaf-mismatch', position: firstStoredMismatch + 1,
      message: `the event at position ${fmt(firstStoredMismatch + 1)} does not hash to the leaf the server's tree holds for it: it was changed after the server added it (or the server's copy was)` });
  }
  if (storedSize > tree.size) {
    findings.push({ kind: 'truncated', position: lastPosition + 1,
      message: `the server's tree holds ${fmt(storedSize)} events, the log only ${fmt(tree.size)}: events after position ${fmt(lastPosition)} were removed` });
  }
  checkStreamLengths(input.streamRevisions, streams, lastPosition, findings);

  // A bracketed change sorts by its end, so that an exact position inside it comes first.
  const key = (f: Finding) => (f.range ? f.range[1] : f.position);
  findings.sort((a, b) => key(a) - key(b) || a.position - b.position);
  return {
    ok: findings.length === 0, events: tree.size, lastPosition, streams: streams.size, subjects: streams.subjects,
    headsChecked: trusted.length, latestHead, rootHash: tree.root().toString('hex'), findings,
  };
}

/** Signature, key and order of each head; returns those whose signature verifies, in the given order. */
function checkHeads(input: LogVerifierInput, findings: Finding[]): TrustedHead[] {
  const keys = new Map<string, KeyObject>();
  for (const key of input.publicKeys) keys.set(key.keyId, createPublicKey(key.publicKeyPem));
  const trusted: TrustedHead[] = [];
  let largest: TrustedHead | undefined;
  for (const { position, head, malformed } of input.heads) {
    const at = position ?? head?.treeSize ?? 0;
    const name = position === null ? 'the given tree head' : `the tree head at position ${fmt(position)}`;
    if (!head) {
      findings.push({ kind: 'head-malformed', position: at, message: `${name} cannot be read: ${malformed ?? 'no head'}` });
      continue;
    }
    const key = keys.get(head.keyId);
    if (!key) {
      findings.push({ kind: 'head-unknown-key', position: at, treeSize: head.treeSize,
        message: `${name} (size ${fmt(head.treeSize)}) is signed by key ${head.keyId}, which is not among the ledger's public keys (${[...keys.keys()].join(', ') || 'none'})` });
      continue;
    }
    if (!verifyTreeHead(head, key)) {
      findings.push({ kind: 'head-signature', position: at, treeSize: head.treeSize,
        message: `${name} (size ${fmt(head.treeSize)}, key ${head.keyId}) does not carry a valid signature: it was forged or altered` });
      continue;
    }
    if (position !== null && head.treeSize >= position) {
      findings.push({ kind: 'head-ahead-of-position', position, treeSize: head.treeSize,
        message: `${name} signs ${fmt(head.treeSize)} events, but a head covers only events before it` });
    }
    if (position !== null && largest && head.treeSize < largest.head.treeSize) {
      findings.push({ kind: 'head-size-order', position, treeSize: head.treeSize,
        message: `${name} signs ${fmt(head.treeSize)} events, fewer than the earlier head ${where(largest)} (${fmt(largest.head.treeSize)}): sizes went back` });
    }
    if (position !== null && (!largest || head.treeSize >= largest.head.treeSize)) largest = { position, head };
    trusted.push({ position, head });
  }
  return trusted;
}

/** Roots of the heads against the recomputed ones; the first disagreement is bracketed. Returns the latest agreeing head. */
function compareHeads(
  bySize: readonly TrustedHead[], roots: ReadonlyMap<number, Buffer>, size: number,
  firstStoredMismatch: number | undefined, findings: Finding[],
): LogReport['latestHead'] {
  let agreeing = 0;
  let latest: TrustedHead | undefined;
  let bracketed = false;
  for (const h of bySize) {
    const { treeSize, rootHash } = h.head;
    if (treeSize > size) {
      findings.push({ kind: 'truncated', position: size + 1, treeSize,
        message: `the log holds ${fmt(size)} events, but the head ${where(h)} (${h.head.timestamp}) signs ${fmt(treeSize)}: the last ${fmt(treeSize - size)} were removed` });
      continue;
    }
    const root = roots.get(treeSize)!;
    if (root.toString('hex') === rootHash) {
      if (!bracketed) agreeing = treeSize;
      latest = h;
      continue;
    }
    if (bracketed) {
      findings.push({ kind: 'root-mismatch', position: h.position ?? treeSize, treeSize,
        message: `the head ${where(h)} (size ${fmt(treeSize)}) does not match the recomputed root either` });
      continue;
    }
    if (h.position === null && latest?.head.treeSize === treeSize) {
      // The log's own head of this size agrees with it, the one given from outside does not, and both signatures
      // verify: the key signed two histories. Only the given head was kept where the key's holder could not
      // rewrite it, so it is the reference; heads of smaller sizes in the log bound nothing, having been signable again.
      const other = latest;
      const signers = other.head.keyId === h.head.keyId ? `the holder of key ${h.head.keyId}` : `the holders of keys ${h.head.keyId} and ${other.head.keyId}`;
      const exact = firstStoredMismatch !== undefined && firstStoredMismatch < treeSize ? firstStoredMismatch + 1 : undefined;
      findings.push({ kind: 'root-mismatch', position: exact ?? 1, treeSize, ...(exact === undefined && { range: [1, treeSize] as const }),
        message: `the head given signs root ${rootHash.slice(0, 16)}... for ${fmt(treeSize)} events, but the log and the head ${where(other)} give ${root.toString('hex').slice(0, 16)}...: ` +
          `two validly signed roots for one size mean that ${signers} signed two different histories. The head given is the reference: the log and the head ${where(other)} disagree with it: ` +
          (exact !== undefined
            ? `the event at position ${fmt(exact)} differs from the one the server added (its leaf hash in the server's tree)`
            : `an event between positions 1 and ${fmt(treeSize)} was changed, removed, reordered or inserted, and the heads signed again`) });
      continue;
    }
    if (agreeing === treeSize) {
      // Another head of this very size agrees with the log: this one's root is simply false.
      findings.push({ kind: 'root-mismatch', position: h.position ?? treeSize, treeSize,
        message: `the head ${where(h)} signs root ${rootHash.slice(0, 16)}... for ${fmt(treeSize)} events, but the log and another head of that size give ${root.toString('hex').slice(0, 16)}...: this head's root is false` });
      continue;
    }
    bracketed = true;
    const exact = firstStoredMismatch !== undefined && firstStoredMismatch >= agreeing && firstStoredMismatch < treeSize
      ? firstStoredMismatch + 1 : undefined;
    const range = `between positions ${fmt(agreeing + 1)} and ${fmt(treeSize)}` + (agreeing > 0 ? ` (the head of size ${fmt(agreeing)} still agrees)` : '');
    findings.push({ kind: 'root-mismatch', position: exact ?? agreeing + 1, treeSize, ...(exact === undefined && { range: [agreeing + 1, treeSize] as const }),
      message: `the head ${where(h)} signs root ${rootHash.slice(0, 16)}... for ${fmt(treeSize)} events, the log gives ${root.toString('hex').slice(0, 16)}...: ` +
        (exact !== undefined
          ? `the event at position ${fmt(exact)} differs from the one the server added (its leaf hash in the server's tree), ${range}`
          : `an event ${range} was changed, removed, reordered or inserted`) });
  }
  return latest ? { ...latest.head, position: latest.position } : null;
}

const isColumns = (page: readonly HashedEvent[] | HashedColumns): page is HashedColumns => !Array.isArray(page);

function checkStreamLengths(expected: ReadonlyMap<string, number> | undefined, streams: StreamTable, lastPosition: number, findings: Finding[]): void {
  if (!expected) return;
  const short: string[] = [];
  const byName = new Map(streams.names.map((name, s) => [name, s]));
  for (const [streamId, revision] of expected) {
    const s = byName.get(streamId);
    const seen = (s === undefined ? 0 : streams.seen(s)) - 1;
    if (seen < revision && !(s !== undefined && streams.broken(s))) short.push(`${streamId} (revision ${seen} of ${revision})`);
  }
  if (short.length === 0) return;
  findings.push({ kind: 'truncated', position: lastPosition + 1,
    message: `${fmt(short.length)} stream${short.length === 1 ? ' ends' : 's end'} before the revision the store records for ${short.length === 1 ? 'it' : 'them'}: ` +
      `${short.slice(0, 3).join(', ')}${short.length > 3 ? ', ...' : ''}: their last events were removed` });
}
