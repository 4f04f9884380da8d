import { createHash } from 'node:crypto';
import {
  EMPTY_ROOT, consistencyProof, inclusionProof, leafHash, merkleRoot, nodeHash, verifyConsistency, verifyInclusion,
} from './merkle';

const h = (hex: string): Buffer => Buffer.from(hex, 'hex');
const hexes = (proof: readonly Buffer[]): string[] => proof.map((p) => p.toString('hex'));

// The 8-leaf tree of Certificate Transparency's test suites: transparency-dev/merkle proof/verify_test.go (also
// google/certificate-transparency-go merkletree tests and the C++ merkle_tree_test.cc). Proof vectors there number
// leaves from 1; here indexes are 0-based.
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(h);
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const INCLUSION: Array<{ index: number; size: number; proof: string[] }> = [
  { index: 0, size: 1, proof: [] },
  { index: 0, size: 8, proof: [
    '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] },
  { index: 5, size: 8, proof: [
    'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
  { index: 2, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  { index: 1, size: 5, proof: [
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'] },
];
const CONSISTENCY: Array<{ size1: number; size2: number; proof: string[] }> = [
  { size1: 1, size2: 1, proof: [] },
  { size1: 1, size2: 8, proof: [
    '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] },
  { size1: 6, size2: 8, proof: [
    '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
    'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
  { size1: 2, size2: 5, proof: [
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'] },
  { size1: 6, size2: 7, proof: [
    '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
    'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
];

const leafHashes = LEAVES.map(leafHash);
const flipped = (b: Uint8Array, at = 0, bit = 8): Buffer => {
  const copy = Buffer.from(b);
  copy[at] = copy[at]! ^ bit;
  return copy;
};

describe('RFC 6962 hashes (transparency-dev/merkle rfc6962/rfc6962_test.go)', () => {
  it('hashes the empty tree, an empty leaf, a leaf and a node', () => {
    expect(EMPTY_ROOT.toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(merkleRoot([]).toString('hex')).toBe(EMPTY_ROOT.toString('hex'));
    expect(leafHash(Buffer.alloc(0)).toString('hex')).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    expect(leafHash(Buffer.from('L123456')).toString('hex')).toBe('395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56');
    expect(nodeHash(Buffer.from('N123'), Buffer.from('N456')).toString('hex'))
      .toBe('aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb');
  });
});

describe('the 8-leaf test tree', () => {
  it.each(ROOTS.map((root, i) => [i + 1, root] as const))('has the known root at size %d', (size, root) => {
    expect(merkleRoot(leafHashes.slice(0, size)).toString('hex')).toBe(root);
  });

  it.each(INCLUSION)('inclusion of leaf $index in size $size: the known path, and it verifies', ({ index, size, proof }) => {
    const tree = leafHashes.slice(0, size);
    expect(hexes(inclusionProof(index, tree))).toEqual(proof);
    expect(verifyInclusion(leafHashes[index]!, index, size, proof.map(h), h(ROOTS[size - 1]!))).toBe(true);
  });

  it.each(CONSISTENCY)('consistency $size1 -> $size2: the known proof, and it verifies', ({ size1, size2, proof }) => {
    expect(hexes(consistencyProof(size1, leafHashes.slice(0, size2)))).toEqual(proof);
    expect(verifyConsistency(size1, size2, proof.map(h), h(ROOTS[size1 - 1]!), h(ROOTS[size2 - 1]!))).toBe(true);
  });

  // The corruptions transparency-dev/merkle's verifierCheck tries on each known inclusion proof.
  it.each(INCLUSION.filter((v) => v.proof.length > 0))('refuses corrupted inclusion proofs of leaf $index in $size', ({ index, size, proof }) => {
    const p = proof.map(h);
    const root = h(ROOTS[size - 1]!);
    const leaf = leafHashes[index]!;
    const some = h('abacaba000000000000000000000000000000000000000000060061e00123456');
    const probes: Array<[Buffer, number, number, Buffer[], Buffer]> = [
      [leaf, index - 1, size, p, root], [leaf, index + 1, size, p, root], [leaf, index ^ 2, size, p, root],
      [leaf, index, size * 2, p, root], [leaf, index, Math.floor(size / 2), p, root],
      [Buffer.from('WrongLeaf'), index, size, p, root], [leaf, index, size, p, EMPTY_ROOT], [leaf, index, size, p, some],
      [leaf, index, size, [...p, Buffer.alloc(0)], root], [leaf, index, size, [...p, root], root],
      [leaf, index, size, [Buffer.alloc(0), ...p], root], [leaf, index, size, [root, ...p], root],
      [leaf, index, size, p.slice(0, -1), root],
      ...p.map((_, i): [Buffer, number, number, Buffer[], Buffer] => [leaf, index, size, p.map((x, j) => (i === j ? flipped(x) : x)), root]),
    ];
    if (p.length > 1) probes.push([leaf, index, size, [p[0]!, some, ...p.slice(1)], root]);
    for (const [l, i, s, pr, r] of probes) expect(verifyInclusion(l, i, s, pr, r)).toBe(false);
  });

  it.each(CONSISTENCY.filter((v) => v.proof.length > 0))('refuses corrupted consistency proofs $size1 -> $size2', ({ size1, size2, proof }) => {
    const p = proof.map(h);
    const r1 = h(ROOTS[size1 - 1]!);
    const r2 = h(ROOTS[size2 - 1]!);
    const wrong = Buffer.from('WrongRoot');
    const probes: Array<[number, number, Buffer[], Buffer, Buffer]> = [
      [size1 - 1, size2, p, r1, r2], [size1 + 1, size2, p, r1, r2], [size1 ^ 2, size2, p, r1, r2],
      [size1, size2 * 2, p, r1, r2], [size1, Math.floor(size2 / 2), p, r1, r2],
      [size1, size2, p, wrong, r2], [size1, size2, p, r1, wrong], [size1, size2, p, r2, r1], [size1, size2, [], r1, r2],
      [size1, size2, [...p, Buffer.alloc(0)], r1, r2], [size1, size2, [...p, r1], r1, r2], [size1, size2, [...p, r2], r1, r2],
      [size1, size2, [Buffer.alloc(0), ...p], r1, r2], [size1, size2, [r1, ...p], r1, r2], [size1, size2, [r2, ...p], r1, r2],
      [size1, size2, [p[0]!, ...p], r1, r2], [size1, size2, p.slice(0, -1), r1, r2],
      ...p.map((_, i): [number, number, Buffer[], Buffer, Buffer] => [size1, size2, p.map((x, j) => (i === j ? flipped(x, 0, 16) : x)), r1, r2]),
    ];
    for (const [s1, s2, pr, a, b] of probes) expect(verifyConsistency(s1, s2, pr, a, b)).toBe(false);
  });

  it('treats the edge sizes as Certificate Transparency verifiers do', () => {
    const a = Buffer.from("don't care 1");
    const b = Buffer.from("don't care 2");
    expect(verifyConsistency(0, 0, [], a, b)).toBe(false);
    expect(verifyConsistency(1, 1, [], a, b)).toBe(false);
    expect(verifyConsistency(0, 0, [], a, a)).toBe(true);
    expect(verifyConsistency(0, 1, [], a, b)).toBe(true);
    expect(verifyConsistency(1, 1, [], b, b)).toBe(true);
    expect(verifyConsistency(1, 0, [], a, b)).toBe(false);
    expect(verifyConsistency(2, 1, [], a, b)).toBe(false);
    expect(verifyConsistency(1, 2, [], a, b)).toBe(false);
    expect(verifyConsistency(0, 1, [EMPTY_ROOT], EMPTY_ROOT, EMPTY_ROOT)).toBe(false);
    expect(verifyConsistency(1, 1, [EMPTY_ROOT], EMPTY_ROOT, EMPTY_ROOT)).toBe(false);
    for (const [index, size] of [[0, 0], [1, 0], [2, 1]] as const) {
      expect(verifyInclusion(EMPTY_ROOT, index, size, [], EMPTY_ROOT)).toBe(false);
    }
    const one = leafHash(Buffer.from('data'));
    expect(verifyInclusion(one, 0, 1, [], one)).toBe(true);
    // Past the last leaf: with no proof, the leaf itself would stand for the root.
    expect(verifyInclusion(one, 1, 1, [], one)).toBe(false);
    expect(verifyInclusion(one, 0, 1, [], Buffer.alloc(0))).toBe(false);
    expect(verifyInclusion(Buffer.alloc(0), 0, 1, [], one)).toBe(false);
  });
});

describe('every proof up to 70 leaves', () => {
  const N = 70;
  const leaves = Array.from({ length: N }, (_, i) => leafHash(createHash('sha256').update(`leaf ${i}`).digest()));
  const roots = Array.from({ length: N + 1 }, (_, n) => merkleRoot(leaves.slice(0, n)));
  // Thousands of cases: collected and compared once, so that a failure lists every case that failed.
  const mistakes: string[] = [];
  const want = (got: boolean, expected: boolean, label: string): void => {
    if (got !== expected) mistakes.push(`${label}: ${got}`);
  };
  beforeEach(() => { mistakes.length = 0; });

  it('verifies each inclusion proof, and refuses a flipped byte, a wrong index or a wrong size', () => {
    for (let n = 1; n <= N; n++) {
      const tree = leaves.slice(0, n);
      for (let i = 0; i < n; i++) {
        const proof = inclusionProof(i, tree);
        const at = `leaf ${i} of ${n}`;
        want(verifyInclusion(leaves[i]!, i, n, proof, roots[n]!), true, at);
        want(verifyInclusion(flipped(leaves[i]!, 31, 1), i, n, proof, roots[n]!), false, `${at}, flipped leaf`);
        want(verifyInclusion(leaves[i]!, i, n, proof, flipped(roots[n]!, 5, 1)), false, `${at}, flipped root`);
        proof.forEach((_, k) => {
          const bad = proof.map((p, j) => (j === k ? flipped(p, 17, 2) : p));
          want(verifyInclusion(leaves[i]!, i, n, bad, roots[n]!), false, `${at}, flipped proof[${k}]`);
        });
        if (n > 1) want(verifyInclusion(leaves[i]!, (i + 1) % n, n, proof, roots[n]!), false, `${at}, wrong index`);
        // A size with the same path shape (leaf 0 of 3 or of 4) verifies too: the signed tree head binds the size.
        want(verifyInclusion(leaves[i]!, i, n * 2, proof, roots[n]!), false, `${at}, size * 2`);
        want(verifyInclusion(leaves[i]!, i, Math.floor(n / 2), proof, roots[n]!), false, `${at}, size / 2`);
      }
    }
    expect(mistakes).toEqual([]);
  });

  it('verifies each consistency proof, and refuses a flipped byte or a wrong size', () => {
    for (let n = 1; n <= N; n++) {
      const tree = leaves.slice(0, n);
      for (let m = 0; m <= n; m++) {
        const proof = consistencyProof(m, tree);
        const at = `${m} -> ${n}`;
        want(verifyConsistency(m, n, proof, roots[m]!, roots[n]!), true, at);
        if (m === 0 || m === n) continue;
        want(verifyConsistency(m, n, proof, flipped(roots[m]!, 3, 4), roots[n]!), false, `${at}, flipped root1`);
        want(verifyConsistency(m, n, proof, roots[m]!, flipped(roots[n]!, 3, 4)), false, `${at}, flipped root2`);
        proof.forEach((_, k) => {
          const bad = proof.map((p, j) => (j === k ? flipped(p, 9, 128) : p));
          want(verifyConsistency(m, n, bad, roots[m]!, roots[n]!), false, `${at}, flipped proof[${k}]`);
        });
        if (m > 1) want(verifyConsistency(m - 1, n, proof, roots[m]!, roots[n]!), false, `${at}, size1 - 1`);
        if (m + 1 < n) want(verifyConsistency(m + 1, n, proof, roots[m]!, roots[n]!), false, `${at}, size1 + 1`);
        want(verifyConsistency(m, n * 2, proof, roots[m]!, roots[n]!), false, `${at}, size2 * 2`);
        want(verifyConsistency(m, Math.floor(n / 2), proof, roots[m]!, roots[n]!), false, `${at}, size2 / 2`);
      }
    }
    expect(mistakes).toEqual([]);
  });

  it('refuses to prove what is not in the tree', () => {
    expect(() => inclusionProof(3, leaves.slice(0, 3))).toThrow(RangeError);
    expect(() => inclusionProof(-1, leaves.slice(0, 3))).toThrow(RangeError);
    expect(() => consistencyProof(4, leaves.slice(0, 3))).toThrow(RangeError);
  });
});
