import type Database from 'better-sqlite3';
import { EMPTY_ROOT, HASH_SIZE, largestPowerOfTwoBelow, nodeHash } from './merkle';

export interface MerkleLogOptions {
  /** Prefix of the table's name (`<prefix>tiles`), so that the log can share a database file. Default `merkle_`. */
  readonly prefix?: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Levels of the tree per tile: a tile holds 2^TILE_HEIGHT hashes of one level. */
const TILE_HEIGHT = 4;
const TILE_WIDTH = 1 << TILE_HEIGHT;
/** How many hashed nodes MerkleLog keeps for proofs (32 bytes and a map entry each: a few MB). */
const HASHED_NODES = 50_000;

/**
 * An RFC 9162 Merkle tree kept incrementally in SQLite, in tiles (as Go's transparency logs keep theirs,
 * research.swtch.com/tlog): node (l, i) covers leaves [i * 2^l, (i + 1) * 2^l) and exists once that subtree is
 * complete; only the levels 0, 4, 8, ... are stored, 16 consecutive nodes of one level to a row (tile (t, j) holds
 * nodes (4t, 16j) to (4t, 16j + 15), fewer in the rightmost tile of a level, which grows). A node of the levels
 * between is hashed from at most 8 nodes of the tile below it. About n/15 rows of up to 512 bytes for n leaves,
 * where one row per node (2n rows) made an append 5.9 µs a leaf against 3.5 (libs/integrity/perf, batches of
 * 1,000). Every tree of a past size is a sequence of complete subtrees, so roots and proofs of any size take
 * O(log n) reads.
 *
 * One writer per table: the instance keeps the tree's right edge (the complete subtrees of the current size, and
 * the rightmost tile of each stored level) in memory, so that appending costs one hash per completed subtree (one
 * on average), no reads, and one row per tile touched.
 *
 * Tables of the layout before tiles (`<prefix>nodes`, one row per node) are read as they are, and not appended to:
 * a generation of the read model built by the version before serves until its rebuild replaces it.
 */
export class MerkleLog {
  private readonly writeTile: Database.Statement<[number, number, Buffer]> | undefined;
  private readonly selectTile: Database.Statement<[number, number], Buffer>;
  private readonly selectLastTile: Database.Statement<[], { idx: number; hashes: Buffer }>;
  /** frontier[l]: the complete subtree of 2^l leaves on the right edge when bit l of `count` is set. */
  private frontier: Array<Buffer | undefined> = [];
  /** edge[t]: the nodes of the rightmost, incomplete tile of tile level t (empty when the last one is full). */
  private edge: Buffer[][] = [];
  private count = 0;
  private lastLeaf: Buffer | undefined;
  /** Nodes of the levels between tiles, hashed for proofs, by index * 64 + level: the upper ones serve every proof. */
  private readonly hashed = new Map<number, Buffer>();
  /** Levels per stored tile level: TILE_HEIGHT, or 0 for the layout before tiles (every level stored). */
  private readonly height: number = TILE_HEIGHT;

  constructor(private readonly db: Database.Database, options: MerkleLogOptions = {}) {
    const prefix = options.prefix ?? 'merkle_';
    if (!NAME.test(prefix)) throw new Error(`merkle log: table prefix ${JSON.stringify(prefix)} is not a plain SQL name`);
    const legacy = `${prefix}nodes`;
    if (tableExists(db, legacy) && !tableExists(db, `${prefix}tiles`)) {
      // One row per node: a node is a tile of one hash, the levels being all stored (height 0).
      this.selectTile = db.prepare<[number, number], Buffer>(`SELECT hash FROM ${legacy} WHERE level = ? AND idx = ?`).pluck();
      this.selectLastTile = db.prepare(`SELECT idx, hash AS hashes FROM ${legacy} WHERE level = 0 ORDER BY idx DESC LIMIT 1`);
      this.height = 0;
    } else {
      const table = `${prefix}tiles`;
      db.exec(`CREATE TABLE IF NOT EXISTS ${table} (
        level INTEGER NOT NULL, idx INTEGER NOT NULL, hashes BLOB NOT NULL, PRIMARY KEY (level, idx)) WITHOUT ROWID`);
      this.writeTile = db.prepare(`INSERT OR REPLACE INTO ${table} (level, idx, hashes) VALUES (?, ?, ?)`);
      this.selectTile = db.prepare<[number, number], Buffer>(`SELECT hashes FROM ${table} WHERE level = ? AND idx = ?`).pluck();
      this.selectLastTile = db.prepare(`SELECT idx, hashes FROM ${table} WHERE level = 0 ORDER BY idx DESC LIMIT 1`);
    }
    this.load(this.storedSize());
  }

  /**
   * Appends leaf hashes (RFC 9162 leaf hashes, 32 bytes each) in order and returns the new size. Inside the caller's
   * transaction if one is open (then its rollback removes them too, and the next call notices); else in its own.
   */
  append(leafHashes: readonly Uint8Array[]): number {
    const writeTile = this.writeTile;
    if (!writeTile) throw new Error('merkle log: a table of the layout before tiles is only read; rebuild it to append');
    for (const [i, leaf] of leafHashes.entries()) {
      if (leaf.length !== HASH_SIZE) throw new Error(`merkle log: leaf hash ${i} has ${leaf.length} bytes, not ${HASH_SIZE}`);
    }
    let next: { frontier: Array<Buffer | undefined>; edge: Buffer[][]; count: number; lastLeaf: Buffer | undefined } | undefined;
    const write = (): void => {
      this.sync();
      const frontier = this.frontier.slice();
      const edge = this.edge.map((tile) => tile.slice());
      const touched = new Set<number>();
      let count = this.count;
      let lastLeaf = this.lastLeaf;
      const keep = (level: number, index: number, hash: Buffer): void => {
        if (level % TILE_HEIGHT !== 0) return;
        const t = level / TILE_HEIGHT;
        const tile = (edge[t] ??= []);
        tile.push(hash);
        if (tile.length === TILE_WIDTH) {
          writeTile.run(t, Math.floor(index / TILE_WIDTH), Buffer.concat(tile));
          edge[t] = [];
          touched.delete(t);
        } else {
          touched.add(t);
        }
      };
      for (const leaf of leafHashes) {
        let hash = Buffer.isBuffer(leaf) ? leaf : Buffer.from(leaf);
        lastLeaf = hash;
        let level = 0;
        let index = count;
        keep(0, index, hash);
        // An odd index completes its parent's subtree with the frontier's left sibling, maybe several levels up.
        while (index % 2 === 1) {
          hash = nodeHash(frontier[level]!, hash);
          frontier[level] = undefined;
          level++;
          index = (index - 1) / 2;
          keep(level, index, hash);
        }
        frontier[level] = hash;
        count++;
      }
      // The rightmost tiles as they now stand, once each.
      for (const t of touched) {
        const nodes = Math.floor(count / 2 ** (t * TILE_HEIGHT));
        writeTile.run(t, Math.floor(nodes / TILE_WIDTH), Buffer.concat(edge[t]!));
      }
      next = { frontier, edge, count, lastLeaf };
    };
    if (this.db.inTransaction) write();
    else this.db.transaction(write)();
    // Only once the rows are in (or in the caller's open transaction): a failed write leaves the memory as it was.
    this.frontier = next!.frontier;
    this.edge = next!.edge;
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

  /** The leaf hashes at `first` to `first + count - 1` (fewer where the tree ends); undefined where a tile is missing. */
  leafHashes(first: number, count: number): Array<Buffer | undefined> {
    const end = Math.min(first + count, this.storedSize());
    const leaves = new Array<Buffer | undefined>(Math.max(0, end - first));
    const width = this.height === 0 ? 1 : TILE_WIDTH;
    for (let t = Math.floor(first / width); t * width < end; t++) {
      const tile = this.selectTile.get(0, t);
      for (let index = Math.max(first, t * width); index < Math.min(end, (t + 1) * width); index++) {
        const at = (index - t * width) * HASH_SIZE;
        if (tile && at + HASH_SIZE <= tile.length) leaves[index - first] = tile.subarray(at, at + HASH_SIZE);
      }
    }
    return leaves;
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
   * range RFC 9162's recursion visits): a perfect range is one node; another splits as MTH does. Ranges of a proof
   * share their right edge, so `memo` keeps a whole proof at O(log n) reads.
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

  /** Node (level, index) of a complete subtree: read from its tile, or hashed from the nodes of the tile below it. */
  private node(level: number, index: number): Buffer {
    const height = this.height;
    const below = height === 0 ? 0 : level % height; // levels above the stored one
    const key = index * 64 + level;
    const known = below === 0 ? undefined : this.hashed.get(key);
    if (known) return known;
    const t = height === 0 ? level : (level - below) / height;
    const first = index * 2 ** below; // the first node it covers on the stored level
    const width = height === 0 ? 1 : TILE_WIDTH;
    const tile = this.selectTile.get(t, Math.floor(first / width));
    const offset = (first % width) * HASH_SIZE;
    const span = 2 ** below * HASH_SIZE;
    if (!tile || tile.length < offset + span) throw new Error(`merkle log: node (${level}, ${index}) is missing: the table is damaged`);
    let nodes: Buffer[] = [];
    for (let at = offset; at < offset + span; at += HASH_SIZE) nodes.push(tile.subarray(at, at + HASH_SIZE));
    while (nodes.length > 1) {
      const up: Buffer[] = [];
      for (let k = 0; k < nodes.length; k += 2) up.push(nodeHash(nodes[k]!, nodes[k + 1]!));
      nodes = up;
    }
    if (below === 0) return Buffer.from(nodes[0]!);
    // A complete subtree's hash never changes (load() clears this when the table is not what memory says).
    if (this.hashed.size >= HASHED_NODES) this.hashed.clear();
    this.hashed.set(key, nodes[0]!);
    return nodes[0]!;
  }

  private storedSize(): number {
    return this.sizeOf(this.selectLastTile.get());
  }

  /** The number of leaves, from the last tile of level 0. */
  private sizeOf(last: { idx: number; hashes: Buffer } | undefined): number {
    if (!last) return 0;
    return this.height === 0 ? last.idx + 1 : last.idx * TILE_WIDTH + last.hashes.length / HASH_SIZE;
  }

  /** Reloads the right edge if the table is not what memory says (a caller's rollback, another writer). One read. */
  private sync(): void {
    const last = this.selectLastTile.get();
    const size = this.sizeOf(last);
    const same = size === this.count
      && (last === undefined || (this.lastLeaf !== undefined && last.hashes.subarray(last.hashes.length - HASH_SIZE).equals(this.lastLeaf)));
    if (!same) this.load(size);
  }

  private load(size: number): void {
    this.hashed.clear();
    const frontier: Array<Buffer | undefined> = [];
    for (let level = 0, width = 1; width <= size; level++, width *= 2) {
      if (Math.floor(size / width) % 2 === 1) {
        const start = Math.floor(size / (2 * width)) * 2 * width;
        frontier[level] = this.node(level, start / width);
      }
    }
    const edge: Buffer[][] = [];
    if (this.height !== 0) {
      for (let t = 0; 2 ** (t * TILE_HEIGHT) <= size; t++) {
        const nodes = Math.floor(size / 2 ** (t * TILE_HEIGHT));
        const tile = nodes % TILE_WIDTH === 0 ? undefined : this.selectTile.get(t, Math.floor(nodes / TILE_WIDTH));
        edge[t] = [];
        for (let k = 0; k < nodes % TILE_WIDTH; k++) {
          if (!tile || tile.length < (k + 1) * HASH_SIZE) throw new Error(`merkle log: tile (${t}, ${Math.floor(nodes / TILE_WIDTH)}) is missing nodes: the table is damaged`);
          edge[t]!.push(Buffer.from(tile.subarray(k * HASH_SIZE, (k + 1) * HASH_SIZE)));
        }
      }
    }
    this.frontier = frontier;
    this.edge = edge;
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

function tableExists(db: Database.Database, name: string): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;
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
