import { nodeHash } from './merkle.js';

// Verification exactly as RFC 9162 §2.1.3.2 and §2.1.4.2 write it, including the
// final `sn == 0` checks that several early implementations left out. Sizes are
// plain numbers (exact up to 2^53); shifts are divisions.

const lsb = (x: number) => x % 2 === 1;
const shr = (x: number) => Math.floor(x / 2);

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** §2.1.3.2: does `path` prove that `leaf` is leaf `index` of the tree of `size` with `root`? */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  path: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size) return false;
  return climb(index, size - 1, leaf, path, root);
}

/**
 * Does `path` prove that `subRoot` is the hash of the complete subtree over leaves
 * [offset, offset + 2^level) of the tree of `size` with `root`? Such a block is a node
 * of every RFC 9162 tree that holds it (offset a multiple of 2^level), and its path is
 * the inclusion path of its first leaf without the `level` hashes inside the block:
 * §2.1.3.2 run from that node up, with both indices shifted by `level`.
 */
export function verifySubtreeInclusion(
  offset: number,
  level: number,
  size: number,
  subRoot: Uint8Array,
  path: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (![offset, level, size].every(Number.isInteger) || offset < 0 || level < 0 || level > 52) return false;
  const width = 2 ** level;
  if (offset % width !== 0 || offset + width > size) return false;
  return climb(offset / width, Math.floor((size - 1) / width), subRoot, path, root);
}

/** The loop of §2.1.3.2 from node `fn` of a tree whose last node at that level is `sn`. */
function climb(
  fn: number,
  sn: number,
  node: Uint8Array,
  path: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  let r = node;
  for (const p of path) {
    if (sn === 0) return false;
    if (lsb(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0) {
          fn = shr(fn);
          sn = shr(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = shr(fn);
    sn = shr(sn);
  }
  return sn === 0 && equal(r, root);
}

/** §2.1.4.2: does `proof` show the tree of `second` leaves extends the tree of `first`? */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!Number.isInteger(first) || !Number.isInteger(second) || first < 0 || first > second) return false;
  if (first === second) return proof.length === 0 && equal(firstRoot, secondRoot);
  // Every tree extends the empty tree; there is nothing to prove.
  if (first === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = (first & (first - 1)) === 0 ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (lsb(fn)) {
    fn = shr(fn);
    sn = shr(sn);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (lsb(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0) {
          fn = shr(fn);
          sn = shr(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = shr(fn);
    sn = shr(sn);
  }
  return equal(fr, firstRoot) && equal(sr, secondRoot) && sn === 0;
}
