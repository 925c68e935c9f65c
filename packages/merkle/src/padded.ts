import { nodeHash } from './merkle.js';

// Roots of all-padding subtrees, by padding leaf and height: computed once.
const paddingRoots = new WeakMap<Uint8Array, Uint8Array[]>();

function paddingRoot(pad: Uint8Array, height: number): Uint8Array {
  let roots = paddingRoots.get(pad);
  if (!roots) {
    roots = [pad];
    paddingRoots.set(pad, roots);
  }
  while (roots.length <= height) roots.push(nodeHash(roots.at(-1)!, roots.at(-1)!));
  return roots[height]!;
}

/**
 * The root of the perfect tree of 2^height leaves: the given leaf hashes, then
 * `pad` up to the width. Equal to appending them all to a MerkleTree and taking
 * its root, but subtrees made only of padding are hashed once, not per tree.
 */
export function paddedRoot(leaves: readonly Uint8Array[], height: number, pad: Uint8Array): Uint8Array {
  if (leaves.length > 2 ** height) throw new RangeError('more leaves than the tree is wide');
  if (leaves.length === 0) return paddingRoot(pad, height);
  let nodes = leaves;
  for (let h = 0; h < height; h++) {
    const up: Uint8Array[] = [];
    for (let i = 0; i < nodes.length; i += 2)
      up.push(nodeHash(nodes[i]!, i + 1 < nodes.length ? nodes[i + 1]! : paddingRoot(pad, h)));
    nodes = up;
  }
  return nodes[0]!;
}
