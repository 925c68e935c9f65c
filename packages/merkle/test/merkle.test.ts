// Known answers from the RFC 6962 / Certificate Transparency reference test
// vectors (8 leaves), computed independently of this implementation.
import { describe, expect, it } from 'vitest';
import { EMPTY_ROOT, leafHash, MerkleTree, nodeHash } from '../src/merkle.js';
import { verifyConsistency, verifyInclusion, verifySubtreeInclusion } from '../src/merkle-verify.js';
import { paddedRoot } from '../src/padded.js';

const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(hex);
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const INCLUSION: [number, number, string[]][] = [
  [
    0,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    5,
    8,
    [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [0, 1, []],
];
const CONSISTENCY: [number, number, string[]][] = [
  [1, 1, []],
  [
    1,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    6,
    8,
    [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [
    2,
    5,
    [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
];

function tree(n = 8): MerkleTree {
  const t = new MerkleTree();
  for (const l of LEAVES.slice(0, n)) t.append(leafHash(l));
  return t;
}

describe('RFC 6962 reference tree', () => {
  it('has the published root at every size', () => {
    const t = tree();
    expect(toHex(EMPTY_ROOT)).toBe(ROOTS[0]);
    for (let n = 0; n <= 8; n++) expect(toHex(t.root(n)), `size ${n}`).toBe(ROOTS[n]);
  });

  it.each(INCLUSION)('inclusion proof of leaf %i in size %i', (index, size, path) => {
    const t = tree();
    expect(t.inclusionProof(index, size).map(toHex)).toEqual(path);
    expect(verifyInclusion(index, size, leafHash(LEAVES[index]!), path.map(hex), hex(ROOTS[size]!))).toBe(
      true,
    );
  });

  it.each(CONSISTENCY)('consistency proof from %i to %i', (m, n, proof) => {
    const t = tree();
    expect(t.consistencyProof(m, n).map(toHex)).toEqual(proof);
    expect(verifyConsistency(m, n, hex(ROOTS[m]!), hex(ROOTS[n]!), proof.map(hex))).toBe(true);
  });

  it('proves and verifies every (index, size) and every (m, n) of the tree', () => {
    const t = tree();
    for (let n = 1; n <= 8; n++) {
      for (let i = 0; i < n; i++)
        expect(verifyInclusion(i, n, t.leaf(i), t.inclusionProof(i, n), t.root(n))).toBe(true);
      for (let m = 0; m <= n; m++)
        expect(verifyConsistency(m, n, t.root(m), t.root(n), t.consistencyProof(m, n))).toBe(true);
    }
  });
});

describe('verification refuses bad proofs', () => {
  const t = tree();
  const root = t.root(8);
  const leaf = leafHash(LEAVES[5]!);
  const path = t.inclusionProof(5, 8);

  it('wrong index, index >= size, wrong size', () => {
    expect(verifyInclusion(4, 8, leaf, path, root)).toBe(false);
    expect(verifyInclusion(8, 8, leaf, path, root)).toBe(false);
    // A size and its root come together (from a signed checkpoint).
    expect(verifyInclusion(5, 7, leaf, path, t.root(7))).toBe(false);
    expect(verifyInclusion(5, 9, leaf, path, root)).toBe(false);
  });

  it('truncated, extended, reordered (swapped siblings) paths', () => {
    expect(verifyInclusion(5, 8, leaf, path.slice(0, 2), root)).toBe(false);
    expect(verifyInclusion(5, 8, leaf, [...path, path[0]!], root)).toBe(false);
    expect(verifyInclusion(5, 8, leaf, [path[1]!, path[0]!, path[2]!], root)).toBe(false);
  });

  it('wrong root or wrong leaf', () => {
    expect(verifyInclusion(5, 8, leaf, path, t.root(7))).toBe(false);
    expect(verifyInclusion(5, 8, leafHash(LEAVES[4]!), path, root)).toBe(false);
  });

  it('size 0 and 1', () => {
    expect(verifyInclusion(0, 0, leaf, [], EMPTY_ROOT)).toBe(false);
    expect(verifyInclusion(0, 1, leafHash(LEAVES[0]!), [], t.root(1))).toBe(true);
    expect(verifyInclusion(0, 1, leafHash(LEAVES[0]!), [path[0]!], t.root(1))).toBe(false);
    expect(verifyConsistency(0, 8, EMPTY_ROOT, root, [])).toBe(true);
    expect(verifyConsistency(0, 8, EMPTY_ROOT, root, [path[0]!])).toBe(false);
    expect(verifyConsistency(1, 1, t.root(1), t.root(2), [])).toBe(false);
  });

  it('consistency: wrong roots, truncated, extended, swapped, sizes out of order', () => {
    const p = t.consistencyProof(6, 8);
    expect(verifyConsistency(6, 8, t.root(5), root, p)).toBe(false);
    expect(verifyConsistency(6, 8, t.root(6), t.root(7), p)).toBe(false);
    expect(verifyConsistency(6, 8, t.root(6), root, p.slice(0, 2))).toBe(false);
    expect(verifyConsistency(6, 8, t.root(6), root, [...p, p[0]!])).toBe(false);
    expect(verifyConsistency(6, 8, t.root(6), root, [p[1]!, p[0]!, p[2]!])).toBe(false);
    expect(verifyConsistency(8, 6, root, t.root(6), p)).toBe(false);
    expect(verifyConsistency(6, 8, t.root(6), root, [])).toBe(false);
  });

  it('keeps agreeing with a from-scratch computation as it grows (incremental tree)', () => {
    const big = new MerkleTree();
    const naive = (leaves: Uint8Array[]): Uint8Array => {
      if (leaves.length === 1) return leaves[0]!;
      let k = 1;
      while (k * 2 < leaves.length) k *= 2;
      return nodeHash(naive(leaves.slice(0, k)), naive(leaves.slice(k)));
    };
    const leaves: Uint8Array[] = [];
    for (let i = 0; i < 70; i++) {
      const l = leafHash(new Uint8Array([i, i >> 8]));
      leaves.push(l);
      big.append(l);
      expect(toHex(big.root())).toBe(toHex(naive(leaves)));
    }
  });

  it('keeps its own copy of each leaf, and hashes it handed out keep their values as it grows', () => {
    const t = new MerkleTree();
    const first = leafHash(new Uint8Array([1]));
    const scratch = Uint8Array.from(first);
    t.append(scratch);
    scratch.fill(0); // a caller reusing its buffer must not change the tree
    expect(toHex(t.leaf(0))).toBe(toHex(first));
    const before = { leaf: t.leaf(0), root1: t.root(1) };
    for (let i = 0; i < 5000; i++) t.append(leafHash(new Uint8Array([i, i >> 8, 2]))); // storage grows
    expect(toHex(before.leaf)).toBe(toHex(first));
    expect(toHex(before.root1)).toBe(toHex(first));
    expect(toHex(t.root(1))).toBe(toHex(first));
    expect(() => t.append(new Uint8Array(31))).toThrow(RangeError);
  });
});

describe('subtree inclusion (an aligned block of leaves as one node)', () => {
  const naive = (leaves: Uint8Array[]): Uint8Array => {
    if (leaves.length === 1) return leaves[0]!;
    let k = 1;
    while (k * 2 < leaves.length) k *= 2;
    return nodeHash(naive(leaves.slice(0, k)), naive(leaves.slice(k)));
  };

  it('proves every aligned complete block of every tree up to 40 leaves, and nothing else', () => {
    for (let size = 1; size <= 40; size++) {
      const leaves = Array.from({ length: size }, (_, i) => leafHash(new Uint8Array([i, size])));
      const t = new MerkleTree();
      for (const l of leaves) t.append(l);
      const root = t.root();
      for (let level = 0; 2 ** level <= size; level++) {
        const width = 2 ** level;
        for (let offset = 0; offset + width <= size; offset++) {
          const sub = naive(leaves.slice(offset, offset + width)); // computed independently
          const path = t.inclusionProof(offset).slice(level);
          const ok = verifySubtreeInclusion(offset, level, size, sub, path, root);
          expect(ok, `size ${size}, block ${offset}+${width}`).toBe(offset % width === 0);
          if (offset % width !== 0) continue;
          // Level 0 is exactly leaf inclusion.
          if (level === 0) expect(verifyInclusion(offset, size, sub, path, root)).toBe(true);
          // A wrong block, a truncated or extended path all fail. (A wrong size may not:
          // as with leaves, the size must come from what was signed with the root.)
          expect(verifySubtreeInclusion(offset, level, size, leafHash(new Uint8Array([9])), path, root)).toBe(
            false,
          );
          if (path.length > 0)
            expect(verifySubtreeInclusion(offset, level, size, sub, path.slice(1), root)).toBe(false);
          expect(verifySubtreeInclusion(offset, level, size, sub, [...path, root], root)).toBe(false);
        }
      }
      // Blocks that stick out of the tree, negative or fractional offsets.
      expect(verifySubtreeInclusion(size, 0, size, leaves[0]!, [], root)).toBe(false);
      expect(verifySubtreeInclusion(-1, 0, size, leaves[0]!, [], root)).toBe(false);
      expect(verifySubtreeInclusion(0.5, 0, size, leaves[0]!, [], root)).toBe(false);
    }
  });
});

describe('paddedRoot', () => {
  it('is the root of the leaves padded to the width, at every fill and height', () => {
    const pad = leafHash(new Uint8Array(0));
    for (let height = 0; height <= 5; height++) {
      for (let n = 0; n <= 2 ** height; n++) {
        const leaves = Array.from({ length: n }, (_, i) => leafHash(new Uint8Array([i, height])));
        const tree = new MerkleTree();
        for (let i = 0; i < 2 ** height; i++) tree.append(leaves[i] ?? pad);
        expect(Buffer.from(paddedRoot(leaves, height, pad)).toString('hex')).toBe(
          Buffer.from(tree.root()).toString('hex'),
        );
      }
    }
    expect(() => paddedRoot([pad, pad, pad], 1, pad)).toThrow(RangeError);
  });
});
