import { getRandomValues } from 'node:crypto';
import type { AgencyKeys } from '@liaison/envelope';
import sodium from 'libsodium-wrappers';
import { type Db, getMeta, setMeta } from './db.js';
import { StationError } from './errors.js';

/**
 * Encryption at rest of the inbox.
 *
 * - One random 256-bit inbox key (the data key) per station database.
 * - It is stored only wrapped to the agency's X25519 encryption key with a
 *   libsodium sealed box (`crypto_box_seal`: ephemeral X25519, XSalsa20-Poly1305),
 *   with the key id (RFC 7638 thumbprint) it was wrapped to. Opening it needs the
 *   agency's private key, which lives in the key home, not in the database: a copy
 *   of the database alone opens nothing.
 * - Each notice is sealed under the inbox key with XChaCha20-Poly1305-IETF, a fresh
 *   192-bit random nonce (crypto.getRandomValues), and as associated data
 *   `liaison-station-inbox-v1`, the agency and the notice id, so a row's ciphertext
 *   cannot be moved to another row or another station.
 * - When the agency's encryption key rotates, `rewrapInboxKey` wraps the same data
 *   key to the new key; rows are not re-encrypted.
 */
const META_KEY = 'inbox.key';
const AAD_DOMAIN = 'liaison-station-inbox-v1';

interface WrappedKey {
  v: 1;
  alg: 'crypto_box_seal';
  kid: string;
  wrapped: string;
}

const b64u = (s: string) => new Uint8Array(Buffer.from(s, 'base64url'));

function x25519Pair(keys: AgencyKeys): { publicKey: Uint8Array; privateKey: Uint8Array } {
  const jwk = keys.encryption.privateJwk as { x?: string; d?: string };
  if (!jwk.x || !jwk.d) throw new StationError('NO_KEYS', 'the agency has no encryption key');
  return { publicKey: b64u(jwk.x), privateKey: b64u(jwk.d) };
}

function wrap(dataKey: Uint8Array, keys: AgencyKeys): WrappedKey {
  const { publicKey } = x25519Pair(keys);
  return {
    v: 1,
    alg: 'crypto_box_seal',
    kid: keys.encryption.record.kid,
    wrapped: Buffer.from(sodium.crypto_box_seal(dataKey, publicKey)).toString('base64url'),
  };
}

function unwrap(w: WrappedKey, keys: AgencyKeys): Uint8Array {
  if (w.kid !== keys.encryption.record.kid)
    throw new StationError(
      'INBOX_KEY_MISMATCH',
      `the inbox key is wrapped to key ${w.kid}, not to the agency's current key; rewrap it with the old key`,
    );
  const { publicKey, privateKey } = x25519Pair(keys);
  try {
    return sodium.crypto_box_seal_open(b64u(w.wrapped), publicKey, privateKey);
  } catch (cause) {
    throw new StationError('DECRYPTION_FAILED', 'the inbox key could not be opened', { cause });
  }
}

/** The inbox's data key: unwrapped with the agency's key, or made and wrapped on first use. */
export async function inboxKey(db: Db, keys: AgencyKeys): Promise<InboxCipher> {
  await sodium.ready;
  const stored = getMeta(db, META_KEY);
  if (stored) return new InboxCipher(unwrap(JSON.parse(stored) as WrappedKey, keys), keys.agency);
  const dataKey = getRandomValues(new Uint8Array(sodium.crypto_aead_xchacha20poly1305_ietf_KEYBYTES));
  setMeta(db, META_KEY, JSON.stringify(wrap(dataKey, keys)));
  return new InboxCipher(dataKey, keys.agency);
}

/** Wraps the inbox's data key to the agency's new encryption key (after a rotation). */
export async function rewrapInboxKey(db: Db, oldKeys: AgencyKeys, newKeys: AgencyKeys): Promise<void> {
  await sodium.ready;
  const stored = getMeta(db, META_KEY);
  if (!stored) throw new StationError('NOT_FOUND', 'this station has no inbox key yet');
  const dataKey = unwrap(JSON.parse(stored) as WrappedKey, oldKeys);
  setMeta(db, META_KEY, JSON.stringify(wrap(dataKey, newKeys)));
}

/** Seals and opens inbox rows under the data key (XChaCha20-Poly1305-IETF). */
export class InboxCipher {
  constructor(
    private readonly key: Uint8Array,
    private readonly agency: string,
  ) {}

  private aad(noticeId: string): Uint8Array {
    return new TextEncoder().encode(`${AAD_DOMAIN}\0${this.agency}\0${noticeId}`);
  }

  seal(noticeId: string, plaintext: Uint8Array): { nonce: Uint8Array; ciphertext: Uint8Array } {
    const nonce = getRandomValues(new Uint8Array(sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES));
    const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
      plaintext,
      this.aad(noticeId),
      null,
      nonce,
      this.key,
    );
    return { nonce, ciphertext };
  }

  open(noticeId: string, nonce: Uint8Array, ciphertext: Uint8Array): Uint8Array {
    try {
      return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
        null,
        ciphertext,
        this.aad(noticeId),
        nonce,
        this.key,
      );
    } catch (cause) {
      throw new StationError('DECRYPTION_FAILED', 'decryption failed', { cause });
    }
  }
}
