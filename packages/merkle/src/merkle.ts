import { hash } from 'node:crypto';

// The Merkle tree of RFC 9162 §2.1.1: MTH({}) = SHA-256(), leaf = SHA-256(0x00 ‖ d),
// node = SHA-256(0x01 ‖ left ‖ right), split at the largest power of two below n.

// One-shot hashing (crypto.hash) over one buffer: a Hash object per call costs more
// than the hashing itself at these sizes, and audit replay hashes millions of times.
const NODE = new Uint8Array([1]);
const digest = (data: Uint8Array): Uint8Array => hash('sha256', data, 'buffer');

export function sha256(...parts: Uint8Array[]): Uint8Array {
  return digest(parts.length === 1 ? parts[0]! : Buffer.concat(parts));
}

export const EMPTY_ROOT = sha256(new Uint8Array(0));

// Scratch space for the prefixed inputs: hashing is synchronous, so one buffer per
// thread serves every call (no allocation per hash; replay makes millions of them).
const LEAF_SCRATCH = new Uint8Array(8193);
const NODE_SCRATCH = new Uint8Array(65);
NODE_SCRATCH[0] = 1;

export function leafHash(data: Uint8Array): Uint8Array {
  if (data.length >= LEAF_SCRATCH.length) return sha256(new Uint8Array(1), data);
  LEAF_SCRATCH[0] = 0;
  LEAF_SCRATCH.set(data, 1);
  return digest(LEAF_SCRATCH.subarray(0, data.length + 1));
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  // Proof paths come from outside: a hash of another length is hashed as given (and fails).
  if (left.length !== 32 || right.length !== 32) return sha256(NODE, left, right);
  NODE_SCRATCH.set(left, 1);
  NODE_SCRATCH.set(right, 33);
  return digest(NODE_SCRATCH);
}

/** The largest power of two strictly less than n (n > 1). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The hashes of one level of the tree, packed end to end in one growing buffer: a
 * year of audit log is millions of nodes, and one small object per hash would cost
 * ~10x the memory and keep the garbage collector busy. Returned hashes are views; a
 * buffer that grows is copied, so views handed out earlier keep their (final) values.
 */
class HashLevel {
  private bytes = new Uint8Array(32 * 64);
  length = 0;

  push(hash: Uint8Array): number {
    if (hash.length !== 32) throw new RangeError('a tree hash is 32 bytes');
    if ((this.length + 1) * 32 > this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes.set(hash, this.length * 32);
    return this.length++;
  }

  at(i: number): Uint8Array | undefined {
    return i >= 0 && i < this.length ? this.bytes.subarray(i * 32, i * 32 + 32) : undefined;
  }
}

/**
 * An append-only Merkle tree kept incrementally: every complete (perfect,
 * aligned) subtree hash is stored as it completes, so appending costs O(1)
 * amortised and any root or proof needs O(log n) hashes.
 */
export class MerkleTree {
  /** levels[h].at(i) = hash of the perfect subtree over leaves [i·2^h, (i+1)·2^h). */
  private readonly levels: HashLevel[] = [new HashLevel()];

  get size(): number {
    return this.levels[0]!.length;
  }

  /** Appends a leaf hash (see `leafHash`); the tree keeps a copy. */
  append(leaf: Uint8Array): void {
    let h = 0;
    let i = this.levels[0]!.push(leaf);
    while (i % 2 === 1) {
      const level = this.levels[h]!;
      const parent = nodeHash(level.at(i - 1)!, level.at(i)!);
      h++;
      this.levels[h] ??= new HashLevel();
      this.levels[h]!.push(parent);
      i = (i - 1) / 2;
    }
  }

  leaf(index: number): Uint8Array {
    const l = this.levels[0]!.at(index);
    if (!l) throw new RangeError(`no leaf ${index}`);
    return l;
  }

  /** MTH(D[start:end]) for a range the RFC recursion produces (aligned left parts). */
  private hash(start: number, end: number): Uint8Array {
    const n = end - start;
    if (n === 0) return EMPTY_ROOT;
    if (n === 1) return this.levels[0]!.at(start)!;
    if ((n & (n - 1)) === 0 && start % n === 0) {
      const stored = this.levels[Math.log2(n)]?.at(start / n);
      if (stored) return stored;
    }
    const k = splitPoint(n);
    return nodeHash(this.hash(start, start + k), this.hash(start + k, end));
  }

  /** The root of the tree of the first `size` leaves. */
  root(size: number = this.size): Uint8Array {
    this.checkSize(size);
    return this.hash(0, size);
  }

  /** PATH(m, D[0:n]) — RFC 9162 §2.1.3.1. */
  inclusionProof(index: number, size: number = this.size): Uint8Array[] {
    this.checkSize(size);
    if (!Number.isInteger(index) || index < 0 || index >= size)
      throw new RangeError(`index ${index} not in a tree of ${size}`);
    const path = (m: number, start: number, end: number): Uint8Array[] => {
      const n = end - start;
      if (n === 1) return [];
      const k = splitPoint(n);
      return m < k
        ? [...path(m, start, start + k), this.hash(start + k, end)]
        : [...path(m - k, start + k, end), this.hash(start, start + k)];
    };
    return path(index, 0, size);
  }

  /** PROOF(m, D[0:n]) — RFC 9162 §2.1.4.1; empty for m = n and for m = 0. */
  consistencyProof(first: number, second: number = this.size): Uint8Array[] {
    this.checkSize(second);
    if (!Number.isInteger(first) || first < 0 || first > second)
      throw new RangeError(`no consistency from ${first} to ${second}`);
    if (first === 0 || first === second) return [];
    const sub = (m: number, start: number, end: number, whole: boolean): Uint8Array[] => {
      const n = end - start;
      if (m === n) return whole ? [] : [this.hash(start, end)];
      const k = splitPoint(n);
      return m <= k
        ? [...sub(m, start, start + k, whole), this.hash(start + k, end)]
        : [...sub(m - k, start + k, end, false), this.hash(start, start + k)];
    };
    return sub(first, 0, second, true);
  }

  private checkSize(size: number): void {
    if (!Number.isInteger(size) || size < 0 || size > this.size)
      throw new RangeError(`tree has ${this.size} leaves, not ${size}`);
  }
}
