import { hash } from 'node:crypto';
import { EMPTY_ROOT, HASH_SIZE, largestPowerOfTwoBelow, nodeHash } from './merkle';

/** A complete subtree: 2^level leaves from leaf index * 2^level. */
interface Subtree {
  readonly level: number;
  readonly index: number;
}

const keyOf = (level: number, index: number): number => index * 64 + level;

/**
 * The RFC 9162 tree recomputed while the log streams by, keeping only its right edge (one hash per set bit of the
 * size: O(log n)). Roots at past sizes are taken as the size is reached; a consistency proof between two sizes is
 * made from the complete subtrees it needs, captured as they complete (asked for beforehand with `want`).
 */
export class StreamingTree {
  /**
   * slots[l]: the complete subtree of 2^l leaves on the right edge, when bit l of `size` is set (else stale). Kept
   * in place, and nodes hashed from one reused input (0x01, left, right): no object per leaf or node.
   */
  private readonly slots: Buffer[] = Array.from({ length: 64 }, () => Buffer.alloc(HASH_SIZE));
  private readonly input = Buffer.alloc(1 + 2 * HASH_SIZE, 0x01);
  private readonly wanted = new Map<number, Buffer | null>();
  size = 0;

  /** Appends the leaf hash at `offset` of `leaves` (32 bytes). */
  append(leaves: Buffer, offset = 0): void {
    const input = this.input;
    let level = 0;
    let index = this.size;
    leaves.copy(input, 1 + HASH_SIZE, offset, offset + HASH_SIZE);
    if (this.wanted.size > 0) this.capture(0, index);
    while (index % 2 === 1) {
      this.slots[level]!.copy(input, 1);
      input.write(hash('sha256', input, 'binary'), 1 + HASH_SIZE, HASH_SIZE, 'latin1');
      level++;
      index = (index - 1) / 2;
      if (this.wanted.size > 0) this.capture(level, index);
    }
    input.copy(this.slots[level]!, 0, 1 + HASH_SIZE);
    this.size++;
  }

  /** MTH of the leaves so far. */
  root(): Buffer {
    return this.rightRange(0);
  }

  /**
   * Asks for the complete subtrees that PROOF(size1, D[size2]) holds, to be kept as they complete. Call before the
   * first leaf: some of them complete long before size1.
   */
  want(size1: number, size2: number): void {
    for (const part of proofParts(size1, size2)) {
      if ('level' in part) {
        const key = keyOf(part.level, part.index);
        if (!this.wanted.has(key)) this.wanted.set(key, null);
      }
    }
  }

  /** PROOF(size1, D[size2]) from the captured subtrees and the right edge; call when the tree's size is size2. */
  consistencyProof(size1: number): Buffer[] {
    const proof: Buffer[] = [];
    for (const part of proofParts(size1, this.size)) {
      if ('level' in part) {
        const hash = this.wanted.get(keyOf(part.level, part.index));
        if (!hash) throw new Error(`log verifier: subtree ${part.level}/${part.index} was not captured`);
        proof.push(hash);
      } else {
        proof.push(this.rightRange(part.from));
      }
    }
    return proof;
  }

  /** Keeps the node just made (in the input's right half) if it was asked for. */
  private capture(level: number, index: number): void {
    const key = keyOf(level, index);
    if (this.wanted.has(key)) this.wanted.set(key, Buffer.from(this.input.subarray(1 + HASH_SIZE)));
  }

  /** MTH(D[from:size]) for a `from` that starts a subtree of the right edge (0, or a boundary of it). */
  private rightRange(from: number): Buffer {
    let root: Buffer | undefined;
    let end = this.size;
    for (let level = 0; level < this.slots.length && end > from; level++) {
      if (Math.floor(this.size / 2 ** level) % 2 === 0) continue;
      const subtree = this.slots[level]!;
      root = root ? nodeHash(subtree, root) : Buffer.from(subtree); // a copy: the slot changes as leaves come
      end -= 2 ** level;
    }
    if (end !== from && this.size > 0) throw new Error(`log verifier: ${from} is not a boundary of the right edge at ${this.size}`);
    return root ?? EMPTY_ROOT;
  }
}

/**
 * The parts of PROOF(m, D[n]) (RFC 9162 2.1.4.1) in order, each a complete subtree or a range [from, n) on the right
 * spine of the tree of n leaves (which its right edge gives).
 */
function proofParts(m: number, n: number): Array<Subtree | { readonly from: number }> {
  if (m <= 0 || m >= n) return [];
  const parts: Array<Subtree | { from: number }> = [];
  const range = (start: number, end: number) => {
    const length = end - start;
    if (end === n && (length & (length - 1)) !== 0) return { from: start };
    if (end === n && start % length !== 0) return { from: start };
    return { level: Math.log2(length), index: start / length };
  };
  const sub = (m1: number, start: number, end: number, whole: boolean): void => {
    if (m1 === end - start) {
      if (!whole) parts.push(range(start, end));
      return;
    }
    const k = largestPowerOfTwoBelow(end - start);
    if (m1 <= k) {
      sub(m1, start, start + k, whole);
      parts.push(range(start + k, end));
    } else {
      sub(m1 - k, start + k, end, false);
      parts.push(range(start, start + k));
    }
  };
  sub(m, 0, n, true);
  return parts;
}
