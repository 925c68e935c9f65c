export { EMPTY_ROOT, leafHash, MerkleTree, nodeHash, sha256, splitPoint } from './merkle.js';
export { verifyConsistency, verifyInclusion, verifySubtreeInclusion } from './merkle-verify.js';
export { paddedRoot } from './padded.js';
