import type { KeyObject } from 'node:crypto';
import { chachaOpen, chachaSeal, hkdfSha256, labelled, x25519 } from './primitives.js';

// Key wrap: X25519 + HKDF-SHA256 + ChaCha20-Poly1305-IETF, all in plain libsodium
// (crypto_scalarmult, crypto_kdf_hkdf_sha256_*, crypto_aead_chacha20poly1305_ietf_*).
// docs/wire-format.md §4 gives the exact construction.

const ZERO_NONCE = new Uint8Array(12);
const EMPTY = new Uint8Array(0);

export interface WrapContext {
  noticeId: string;
  recipientKeyId: string;
  layer: string;
}

/** The X25519 shared secret; refuses the all-zero output of a low-order public key. */
export function sharedSecret(privateKey: KeyObject, publicKey: KeyObject): Uint8Array {
  const s = x25519(privateKey, publicKey);
  if (s.every((b) => b === 0)) throw new Error('low-order X25519 public key');
  return s;
}

/** The wrapping key: HKDF-SHA256(ikm = shared, salt = eph_pub ‖ recipient_pub, info = label ‖ context). */
export function wrappingKey(
  shared: Uint8Array,
  ephemeralPublic: Uint8Array,
  recipientPublic: Uint8Array,
  ctx: WrapContext,
): Uint8Array {
  const salt = new Uint8Array(64);
  salt.set(ephemeralPublic, 0);
  salt.set(recipientPublic, 32);
  return hkdfSha256(
    shared,
    salt,
    labelled('liaison.v1.wrap', ctx.noticeId, ctx.recipientKeyId, ctx.layer),
    32,
  );
}

/** Wraps a 32-byte layer key; the wrapping key is unique per (notice, recipient key, layer), so the nonce is zero. */
export function wrapKey(wrapping: Uint8Array, layerKey: Uint8Array): Uint8Array {
  return chachaSeal(wrapping, ZERO_NONCE, layerKey, EMPTY);
}

export function unwrapKey(wrapping: Uint8Array, wrapped: Uint8Array): Uint8Array {
  const key = chachaOpen(wrapping, ZERO_NONCE, wrapped, EMPTY);
  if (key.length !== 32) throw new Error('a layer key is 32 bytes');
  return key;
}
