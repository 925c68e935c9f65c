import { createPublicKey, type KeyObject, verify } from 'node:crypto';

const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');

/**
 * Ed25519 verification from raw 32-byte public keys, one KeyObject per key (an
 * audit replay checks millions of signatures by a few hundred keys). Malformed
 * keys or signatures verify as false, never throw.
 */
export function ed25519Verifier(): (key: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean {
  const keys = new Map<string, KeyObject>();
  return (key, message, signature) => {
    if (key.length !== 32 || signature.length !== 64) return false;
    const id = Buffer.from(key.buffer, key.byteOffset, key.length).toString('latin1');
    try {
      let k = keys.get(id);
      if (!k) {
        k = createPublicKey({ key: Buffer.concat([SPKI_ED25519, key]), format: 'der', type: 'spki' });
        keys.set(id, k);
      }
      return verify(null, message, k, signature);
    } catch {
      return false;
    }
  };
}
