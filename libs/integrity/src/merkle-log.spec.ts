import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { EMPTY_ROOT, consistencyProof, inclusionProof, leafHash, merkleRoot, verifyConsistency, verifyInclusion } from './merkle';
import { MerkleLog } from './merkle-log';

const leavesUpTo = (n: number, salt = ''): Buffer[] =>
  Array.from({ length: n }, (_, i) => leafHash(createHash('sha256').update(`${salt}event ${i}`).digest()));
const hex = (hashes: readonly Buffer[]): string[] => hashes.map((h) => h.toString('hex'));

/** A small deterministic generator, so that a failure names a reproducible case. */
function random(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return Math.floor((state / 2 ** 32) * below);
  };
}

describe('MerkleLog', () => {
  let db: Database.Database;
  beforeEach(() => { db = new Database(':memory:'); });
  afterEach(() => db.close());

  it('is empty at first: size 0, the empty root, nothing to prove', () => {
    const log = new MerkleLog(db);
    expect(log.size()).toBe(0);
    expect(log.root()).toEqual(EMPTY_ROOT);
    expect(log.root(0)).toEqual(EMPTY_ROOT);
    expect(log.consistencyProof(0, 0)).toEqual([]);
    expect(() => log.inclusionProof(0, 0)).toThrow(RangeError);
    expect(() => log.root(1)).toThrow(RangeError);
  });

  it('gives the reference root, leaves and proofs at every size after appends of uneven batches', () => {
    const leaves = leavesUpTo(140);
    const log = new MerkleLog(db);
    const next = random(7);
    let n = 0;
    while (n < leaves.length) {
      const batch = Math.min(1 + next(40), leaves.length - n);
      expect(log.append(leaves.slice(n, n + batch))).toBe(n + batch);
      n += batch;
      expect(log.root().toString('hex')).toBe(merkleRoot(leaves.slice(0, n)).toString('hex'));
    }
    for (let size = 0; size <= leaves.length; size++) {
      const tree = leaves.slice(0, size);
      expect(log.root(size)).toEqual(merkleRoot(tree));
      for (let i = next(4); i < size; i += 1 + next(16)) expect(hex(log.inclusionProof(i, size))).toEqual(hex(inclusionProof(i, tree)));
      for (let m = next(4); m <= size; m += 1 + next(16)) expect(hex(log.consistencyProof(m, size))).toEqual(hex(consistencyProof(m, tree)));
    }
    leaves.forEach((leaf, i) => expect(log.leafHash(i)).toEqual(leaf));
  });

  it('agrees with the reference on random sizes up to a few thousand, and its proofs verify', () => {
    const leaves = leavesUpTo(4100, 'big ');
    const log = new MerkleLog(db);
    for (let n = 0; n < leaves.length; n += 1000) log.append(leaves.slice(n, n + 1000));
    expect(log.size()).toBe(4100);
    const next = random(11);
    for (let round = 0; round < 40; round++) {
      const size = 1 + next(leaves.length);
      const tree = leaves.slice(0, size);
      const root = merkleRoot(tree);
      expect(log.root(size)).toEqual(root);
      const index = next(size);
      const path = log.inclusionProof(index, size);
      expect(hex(path)).toEqual(hex(inclusionProof(index, tree)));
      expect(verifyInclusion(leaves[index]!, index, size, path, root)).toBe(true);
      const size1 = next(size + 1);
      const proof = log.consistencyProof(size1, size);
      expect(hex(proof)).toEqual(hex(consistencyProof(size1, tree)));
      expect(verifyConsistency(size1, size, proof, merkleRoot(leaves.slice(0, size1)), root)).toBe(true);
    }
  });

  it('stores the levels 0, 4, 8... in tiles of 16 nodes: each leaf and each complete subtree of those levels once', () => {
    const log = new MerkleLog(db);
    const leaves = leavesUpTo(1000);
    for (let n = 0; n < 1000; n += 300) log.append(leaves.slice(n, n + 300));
    const tiles = db.prepare('SELECT level, idx, length(hashes) / 32 AS nodes FROM merkle_tiles ORDER BY level, idx').all() as Array<{ level: number; idx: number; nodes: number }>;
    // 1000 leaves: 62 full tiles and one of 8; 62 subtrees of 16 leaves: 3 full tiles and one of 14; 3 of 256: one tile of 3.
    expect(tiles.filter((t) => t.level === 0).map((t) => t.nodes)).toEqual([...Array<number>(62).fill(16), 8]);
    expect(tiles.filter((t) => t.level === 1).map((t) => t.nodes)).toEqual([16, 16, 16, 14]);
    expect(tiles.filter((t) => t.level === 2).map((t) => t.nodes)).toEqual([3]);
    expect(tiles).toHaveLength(63 + 4 + 1);
    expect(log.leafHashes(990, 20)).toEqual(leaves.slice(990));
    expect(log.leafHashes(14, 4)).toEqual(leaves.slice(14, 18));
    // A damaged table: the leaves of a missing tile are undefined, the others still given (verify names what it can).
    db.prepare('DELETE FROM merkle_tiles WHERE level = 0 AND idx = 1').run();
    expect(log.leafHashes(14, 20)).toEqual([...leaves.slice(14, 16), ...Array<undefined>(16).fill(undefined), ...leaves.slice(32, 34)]);
  });

  it('reads a table of the layout before tiles (one row per node) as it is, and does not append to it', () => {
    const leaves = leavesUpTo(300, 'old ');
    db.exec('CREATE TABLE old_nodes (level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (level, idx)) WITHOUT ROWID');
    const insert = db.prepare('INSERT INTO old_nodes VALUES (?, ?, ?)');
    for (let level = 0; 2 ** level <= leaves.length; level++) {
      for (let i = 0; (i + 1) * 2 ** level <= leaves.length; i++) insert.run(level, i, merkleRoot(leaves.slice(i * 2 ** level, (i + 1) * 2 ** level)));
    }
    const log = new MerkleLog(db, { prefix: 'old_' });
    expect(log.size()).toBe(300);
    expect(log.root()).toEqual(merkleRoot(leaves));
    expect(log.root(77)).toEqual(merkleRoot(leaves.slice(0, 77)));
    expect(hex(log.inclusionProof(200, 300))).toEqual(hex(inclusionProof(200, leaves)));
    expect(hex(log.consistencyProof(77, 300))).toEqual(hex(consistencyProof(77, leaves)));
    expect(log.leafHashes(298, 5)).toEqual(leaves.slice(298));
    expect(() => log.append([leaves[0]!])).toThrow('only read');
    expect(db.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'old_tiles'`).pluck().get()).toBe(0);
  });

  it('carries on from the stored tree when opened again on the same file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'merkle-log-'));
    try {
      const leaves = leavesUpTo(777);
      const first = new Database(join(dir, 'log.db'));
      new MerkleLog(first).append(leaves.slice(0, 500));
      first.close();
      const again = new Database(join(dir, 'log.db'));
      const log = new MerkleLog(again);
      expect(log.size()).toBe(500);
      expect(log.root()).toEqual(merkleRoot(leaves.slice(0, 500)));
      log.append(leaves.slice(500));
      expect(log.root()).toEqual(merkleRoot(leaves));
      again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("writes inside the caller's transaction, and follows the table after the caller rolls back", () => {
    const log = new MerkleLog(db);
    const leaves = leavesUpTo(40);
    log.append(leaves.slice(0, 10));
    db.exec('CREATE TABLE checkpoint (position INTEGER)');
    const apply = db.transaction((batch: Buffer[], fail: boolean) => {
      log.append(batch);
      db.prepare('INSERT INTO checkpoint VALUES (?)').run(log.size());
      if (fail) throw new Error('the projection failed');
    });
    expect(() => apply(leaves.slice(10, 17), true)).toThrow('the projection failed');
    expect(log.size()).toBe(10);
    expect(log.root()).toEqual(merkleRoot(leaves.slice(0, 10)));
    apply(leaves.slice(10, 25), false);
    expect(log.root()).toEqual(merkleRoot(leaves.slice(0, 25)));

    // A savepoint rolled back inside an outer transaction (as the projection runner does per projection).
    db.exec('BEGIN');
    db.exec('SAVEPOINT p');
    log.append(leaves.slice(25, 30));
    db.exec('ROLLBACK TO p');
    db.exec('RELEASE p');
    log.append(leaves.slice(25, 40));
    db.exec('COMMIT');
    expect(log.root()).toEqual(merkleRoot(leaves));
    expect(hex(log.consistencyProof(17, 40))).toEqual(hex(consistencyProof(17, leaves)));
  });

  it('forgets the nodes it hashed for proofs of a tree that a rollback undid', () => {
    const log = new MerkleLog(db);
    const undone = leavesUpTo(300, 'undone ');
    const kept = leavesUpTo(300, 'kept ');
    log.append(kept.slice(0, 20));
    db.exec('BEGIN');
    log.append(undone.slice(20));
    // Proofs in the tree about to be undone: they hash (and keep) nodes of the levels between tiles.
    for (let i = 0; i < 300; i += 37) expect(hex(log.inclusionProof(i, 300))).toEqual(hex(inclusionProof(i, [...kept.slice(0, 20), ...undone.slice(20)])));
    db.exec('ROLLBACK');
    log.append(kept.slice(20));
    for (let i = 0; i < 300; i += 37) expect(hex(log.inclusionProof(i, 300))).toEqual(hex(inclusionProof(i, kept)));
    expect(hex(log.consistencyProof(100, 300))).toEqual(hex(consistencyProof(100, kept)));
    expect(log.root()).toEqual(merkleRoot(kept));
  });

  it('leaves memory as it was when a write fails', () => {
    const log = new MerkleLog(db);
    const leaves = leavesUpTo(9);
    log.append(leaves.slice(0, 5));
    db.exec("CREATE TRIGGER refuse BEFORE INSERT ON merkle_tiles WHEN NEW.level = 0 AND length(NEW.hashes) > 5 * 32 BEGIN SELECT RAISE(ABORT, 'disk says no'); END");
    expect(() => log.append(leaves.slice(5))).toThrow('disk says no');
    db.exec('DROP TRIGGER refuse');
    expect(log.size()).toBe(5);
    log.append(leaves.slice(5));
    expect(log.root()).toEqual(merkleRoot(leaves));
  });

  it('shares a file with other tables under its own prefix', () => {
    const a = new MerkleLog(db, { prefix: 'events_' });
    const b = new MerkleLog(db, { prefix: 'audit_' });
    a.append(leavesUpTo(3));
    b.append(leavesUpTo(5, 'b'));
    expect(a.size()).toBe(3);
    expect(b.root()).toEqual(merkleRoot(leavesUpTo(5, 'b')));
    expect(() => new MerkleLog(db, { prefix: 'x; DROP TABLE y' })).toThrow('not a plain SQL name');
  });

  it('refuses leaf hashes that are not 32 bytes, and proofs beyond its size', () => {
    const log = new MerkleLog(db);
    expect(() => log.append([Buffer.alloc(31)])).toThrow('31 bytes');
    log.append(leavesUpTo(4));
    expect(() => log.inclusionProof(4, 4)).toThrow(RangeError);
    expect(() => log.inclusionProof(0, 5)).toThrow(RangeError);
    expect(() => log.consistencyProof(3, 5)).toThrow(RangeError);
    expect(() => log.consistencyProof(4, 3)).toThrow(RangeError);
    expect(() => log.leafHash(4)).toThrow(RangeError);
  });
});
