import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  getRandomValues,
  hkdfSync,
  type KeyObject,
  sign,
  timingSafeEqual,
  verify,
} from 'node:crypto';
import { sha256 as merkleSha256 } from '@liaison/merkle';
import sodium from 'libsodium-wrappers';

// Node's native crypto for Ed25519, X25519, HKDF-SHA256, ChaCha20-Poly1305 and
// SHA-256 (standard, and faster than libsodium's WebAssembly here); libsodium for
// XChaCha20-Poly1305-IETF, which Node does not offer.

const ED25519_PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex');
const X25519_PKCS8 = Buffer.from('302e020100300506032b656e04220420', 'hex');

const encoder = new TextEncoder();

export const sodiumReady: Promise<void> = sodium.ready;

// Randomness is drawn from the OS generator in 4 KiB blocks and handed out in
// slices that are never reused: one call per block instead of one per key or nonce.
const POOL_SIZE = 4096;
let pool = new Uint8Array(0);
let poolOffset = 0;

export function randomBytes(n: number): Uint8Array {
  if (n > POOL_SIZE / 4) return getRandomValues(new Uint8Array(n));
  if (poolOffset + n > pool.length) {
    pool = getRandomValues(new Uint8Array(POOL_SIZE));
    poolOffset = 0;
  }
  const out = pool.slice(poolOffset, poolOffset + n);
  poolOffset += n;
  return out;
}

/** SHA-256 of the concatenated parts (the Merkle package's one-shot hash, as a plain Uint8Array). */
export function sha256(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(merkleSha256(...parts));
}

export function ed25519PrivateKey(seed: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8, seed]), format: 'der', type: 'pkcs8' });
}

// Public keys are imported as JWK: in Node 20 that is ~15x faster than SPKI DER.
export function ed25519PublicKey(raw: Uint8Array): KeyObject {
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') },
    format: 'jwk',
  });
}

export function x25519PrivateKey(raw: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([X25519_PKCS8, raw]), format: 'der', type: 'pkcs8' });
}

export function x25519PublicKey(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new Error('an X25519 public key is 32 bytes');
  return createPublicKey({
    key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(raw).toString('base64url') },
    format: 'jwk',
  });
}

/** The raw 32-byte public key of an OKP KeyObject (public or private). */
export function rawPublic(key: KeyObject): Uint8Array {
  return new Uint8Array(Buffer.from(String(key.export({ format: 'jwk' }).x), 'base64url'));
}

/**
 * A one-notice X25519 key. From the system's generator unless a randomness source
 * is given (test vectors), in which case its 32 bytes are the secret scalar.
 *
 * The public key is encoded by the key generation itself, never exported from the
 * generated KeyObject afterwards: in Node 20, exporting a key made by
 * `generateKeyPairSync` to JWK once the call has returned can deadlock the thread
 * for good — a garbage collection during the export runs the finished key-generation
 * job's destructor, which waits for the lock the export holds (seen as a `seal` that
 * never returned; `test/ephemeral-keys.test.ts` reproduces it in a child process).
 */
export function x25519Ephemeral(random?: (n: number) => Uint8Array): {
  privateKey: KeyObject;
  publicRaw: Uint8Array;
} {
  if (random) {
    // Imported, not generated: there is no key-generation job to collect.
    const privateKey = x25519PrivateKey(random(32));
    return { privateKey, publicRaw: rawPublic(privateKey) };
  }
  const { privateKey, publicKey } = generateKeyPairSync('x25519', { publicKeyEncoding: { format: 'jwk' } });
  // With a JWK encoding Node returns the public key as a plain JWK object (its typings lag).
  const jwk = publicKey as unknown as { x?: string };
  return { privateKey, publicRaw: new Uint8Array(Buffer.from(String(jwk.x), 'base64url')) };
}

export function ed25519Sign(key: KeyObject, message: Uint8Array): Uint8Array {
  return new Uint8Array(sign(null, message, key));
}

export function ed25519Verify(key: KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
  return signature.length === 64 && verify(null, message, key, signature);
}

export function x25519(privateKey: KeyObject, publicKey: KeyObject): Uint8Array {
  return new Uint8Array(diffieHellman({ privateKey, publicKey }));
}

export function hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', ikm, salt, info, length));
}

/** ChaCha20-Poly1305-IETF (RFC 8439): ciphertext with the 16-byte tag appended. */
export function chachaSeal(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
): Uint8Array {
  const c = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
  c.setAAD(aad, { plaintextLength: plaintext.length });
  return new Uint8Array(Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()]));
}

/** Opens chachaSeal's output; throws on any authentication failure. */
export function chachaOpen(
  key: Uint8Array,
  nonce: Uint8Array,
  sealed: Uint8Array,
  aad: Uint8Array,
): Uint8Array {
  if (sealed.length < 16) throw new Error('ciphertext shorter than the tag');
  const d = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
  d.setAAD(aad, { plaintextLength: sealed.length - 16 });
  d.setAuthTag(sealed.subarray(sealed.length - 16));
  return new Uint8Array(Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()]));
}

/** XChaCha20-Poly1305-IETF (libsodium): ciphertext with the 16-byte tag appended. */
export function xchachaSeal(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
): Uint8Array {
  return sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, aad, null, nonce, key);
}

export function xchachaOpen(
  key: Uint8Array,
  nonce: Uint8Array,
  sealed: Uint8Array,
  aad: Uint8Array,
): Uint8Array {
  return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, sealed, aad, nonce, key);
}

/** Constant-time equality (native; lengths are not secret). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** "label" 0x00 part 0x00 part ...: the labelled, unambiguous byte strings used as AAD and HKDF info. */
export function labelled(label: string, ...parts: string[]): Uint8Array {
  return encoder.encode([label, ...parts].join('\0'));
}
