import type Database from 'better-sqlite3';
import { EMPTY_ROOT, HASH_SIZE, largestPowerOfTwoBelow, nodeHash } from './merkle';

export interface MerkleLogOptions {
  /** Prefix of the table's name (`<prefix>nodes`), so that the log can share a database file. Default `merkle_`. */
  readonly prefix?: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * An RFC 9162 Merkle tree kept incrementally in SQLite. Each leaf hash is stored, and each internal node as soon as
 * its subtree is complete (perfect), at (level, index): level 0 holds the leaves, node (l, i) covers leaves
 * [i * 2^l, (i + 1) * 2^l). About 2n rows for n leaves; nothing is ever updated. Every tree of a past size is a
 * sequence of such complete subtrees, so roots and proofs of any size take O(log n) reads.
 *
 * One writer per table: the instance keeps the tree's right edge (the complete subtrees of the current size) in
 * memory, so that appending a leaf costs one hash per completed subtree (one on average) and the rows, no reads.
 */
export class MerkleLog {
  private readonly insertNode: Database.Statement<[number, number, Buffer]>;
  private readonly selectNode: Database.Statement<[number, number], Buffer>;
  private readonly selectLastLeaf: Database.Statement<[], { idx: number; hash: Buffer }>;
  /** frontier[l]: the complete subtree of 2^l leaves on the right edge when bit l of `count` is set. */
  private frontier: Array<Buffer | undefined> = [];
  private count = 0;
  private lastLeaf: Buffer | undefined;

  constructor(private readonly db: Database.Database, options: MerkleLogOptions = {}) {
    const prefix = options.prefix ?? 'merkle_';
    if (!NAME.test(prefix)) throw new Error(`merkle log: table prefix ${JSON.stringify(prefix)} is not a plain SQL name`);
    const table = `${prefix}nodes`;
    db.exec(`CREATE TABLE IF NOT EXISTS ${table} (
      level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (level, idx)) WITHOUT ROWID`);
    this.insertNode = db.prepare(`INSERT INTO ${table} (level, idx, hash) VALUES (?, ?, ?)`);
    this.selectNode = db.prepare<[number, number], Buffer>(`SELECT hash FROM ${table} WHERE level = ? AND idx = ?`).pluck();
    this.selectLastLeaf = db.prepare(`SELECT idx, hash FROM ${table} WHERE level = 0 ORDER BY idx DESC LIMIT 1`);
    this.load(this.storedSize());
  }

  /**
   * Appends leaf hashes (RFC 9162 leaf hashes, 32 bytes each) in order and returns the new size. Inside the caller's
   * transaction if one is open (then its rollback removes them too, and the next call notices); else in its own.
   */
  append(leafHashes: readonly Uint8Array[]): number {
    for (const [i, leaf] of leafHashes.entries()) {
      if (leaf.length !== HASH_SIZE) throw new Error(`merkle log: leaf hash ${i} has ${leaf.length} bytes, not ${HASH_SIZE}`);
    }
    let next: { frontier: Array<Buffer | undefined>; count: number; lastLeaf: Buffer | undefined } | undefined;
    const write = (): void => {
      this.sync();
      const frontier = this.frontier.slice();
      let count = this.count;
      let lastLeaf = this.lastLeaf;
      for (const leaf of leafHashes) {
        let hash = Buffer.isBuffer(leaf) ? leaf : Buffer.from(leaf);
        lastLeaf = hash;
        let level = 0;
        let index = count;
        this.insertNode.run(0, index, hash);
        // An odd index completes its parent's subtree with the frontier's left sibling, maybe several levels up.
        while (index % 2 === 1) {
          hash = nodeHash(frontier[level]!, hash);
          frontier[level] = undefined;
          level++;
          index = (index - 1) / 2;
          this.insertNode.run(level, index, hash);
        }
        frontier[level] = hash;
        count++;
      }
      next = { frontier, count, lastLeaf };
    };
    if (this.db.inTransaction) write();
    else this.db.transaction(write)();
    // Only once the rows are in (or in the caller's open transaction): a failed write leaves the memory as it was.
    this.frontier = next!.frontier;
    this.count = next!.count;
    this.lastLeaf = next!.lastLeaf;
    return this.count;
  }

  /** The number of leaves stored (as the database says, so after a caller's rollback too). */
  size(): number {
    return this.storedSize();
  }

  /** MTH of the first `size` leaves (default: all); the empty tree's is SHA-256 of nothing. */
  root(size?: number): Buffer {
    this.sync();
    if (size === undefined || size === this.count) {
      let root: Buffer | undefined;
      for (const subtree of this.frontier) if (subtree) root = root ? nodeHash(subtree, root) : subtree;
      return root ?? EMPTY_ROOT;
    }
    this.checkSize(size, 'root');
    return size === 0 ? EMPTY_ROOT : this.rangeHash(0, size, new Map());
  }

  /** The leaf hash at `index` (0-based). */
  leafHash(index: number): Buffer {
    this.checkIndex(index, this.storedSize());
    return this.node(0, index);
  }

  /** RFC 9162 PATH(index, D[size]): as merkle.ts's `inclusionProof(index, leaves.slice(0, size))`. */
  inclusionProof(index: number, size: number): Buffer[] {
    this.checkSize(size, 'inclusion proof');
    this.checkIndex(index, size);
    const memo = new Map<string, Buffer>();
    const proof: Buffer[] = [];
    let start = 0;
    let end = size;
    while (end - start > 1) {
      const k = largestPowerOfTwoBelow(end - start);
      if (index < start + k) {
        proof.push(this.rangeHash(start + k, end, memo));
        end = start + k;
      } else {
        proof.push(this.rangeHash(start, start + k, memo));
        start += k;
      }
    }
    return proof.reverse();
  }

  /** RFC 9162 PROOF(size1, D[size2]): as merkle.ts's `consistencyProof(size1, leaves.slice(0, size2))`. */
  consistencyProof(size1: number, size2: number): Buffer[] {
    this.checkSize(size2, 'consistency proof');
    if (!Number.isSafeInteger(size1) || size1 < 0 || size1 > size2) {
      throw new RangeError(`merkle log: consistency proof from size ${size1} to ${size2}`);
    }
    if (size1 === 0 || size1 === size2) return [];
    const memo = new Map<string, Buffer>();
    const proof: Buffer[] = [];
    let start = 0;
    let end = size2;
    let whole = true;
    for (;;) {
      if (size1 === end) {
        if (!whole) proof.push(this.rangeHash(start, end, memo));
        break;
      }
      const k = largestPowerOfTwoBelow(end - start);
      if (size1 - start <= k) {
        proof.push(this.rangeHash(start + k, end, memo));
        end = start + k;
      } else {
        proof.push(this.rangeHash(start, start + k, memo));
        start += k;
        whole = false;
      }
    }
    return proof.reverse();
  }

  /**
   * MTH of leaves [start, end), where start is a multiple of the power of two at or above end - start (true of every
   * range RFC 9162's recursion visits): a perfect range is one stored node; another splits as MTH does. Ranges of a
   * proof share their right edge, so `memo` keeps a whole proof at O(log n) reads.
   */
  private rangeHash(start: number, end: number, memo: Map<string, Buffer>): Buffer {
    const key = `${start}:${end}`;
    const known = memo.get(key);
    if (known) return known;
    const width = end - start;
    let hash: Buffer;
    const level = exactLog2(width);
    if (level !== undefined) {
      hash = this.node(level, start / width);
    } else {
      const k = largestPowerOfTwoBelow(width);
      hash = nodeHash(this.rangeHash(start, start + k, memo), this.rangeHash(start + k, end, memo));
    }
    memo.set(key, hash);
    return hash;
  }

  private node(level: number, index: number): Buffer {
    const hash = this.selectNode.get(level, index);
    if (!hash) throw new Error(`merkle log: node (${level}, ${index}) is missing: the table is damaged`);
    return hash;
  }

  private storedSize(): number {
    const last = this.selectLastLeaf.get();
    return last ? last.idx + 1 : 0;
  }

  /** Reloads the right edge if the table is not what memory says (a caller's rollback, another writer). One read. */
  private sync(): void {
    const last = this.selectLastLeaf.get();
    const size = last ? last.idx + 1 : 0;
    const same = size === this.count && (last === undefined || (this.lastLeaf !== undefined && last.hash.equals(this.lastLeaf)));
    if (!same) this.load(size);
  }

  private load(size: number): void {
    const frontier: Array<Buffer | undefined> = [];
    for (let level = 0, width = 1; width <= size; level++, width *= 2) {
      if (Math.floor(size / width) % 2 === 1) {
        const start = Math.floor(size / (2 * width)) * 2 * width;
        frontier[level] = this.node(level, start / width);
      }
    }
    this.frontier = frontier;
    this.count = size;
    this.lastLeaf = size > 0 ? this.node(0, size - 1) : undefined;
  }

  private checkSize(size: number, what: string): void {
    const stored = this.storedSize();
    if (!Number.isSafeInteger(size) || size < 0 || size > stored) {
      throw new RangeError(`merkle log: ${what} at size ${size}, but the log has ${stored} leaves`);
    }
  }

  private checkIndex(index: number, size: number): void {
    if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
      throw new RangeError(`merkle log: leaf ${index} is not in a tree of ${size} leaves`);
    }
  }
}

/** l with 2^l = n, or undefined if n is not a power of two. */
function exactLog2(n: number): number | undefined {
  let level = 0;
  let width = 1;
  while (width < n) {
    width *= 2;
    level++;
  }
  return width === n ? level : undefined;
}
