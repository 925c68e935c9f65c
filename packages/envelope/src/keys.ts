import type { KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { z } from 'zod';
import { EnvelopeError } from './errors.js';
import {
  ed25519PrivateKey,
  ed25519PublicKey,
  randomBytes,
  rawPublic,
  x25519PrivateKey,
  x25519PublicKey,
} from './primitives.js';

export type KeyUse = 'sig' | 'enc';

/**
 * A public key as the registry publishes it: an RFC 8037 OKP JWK whose `kid` is
 * its RFC 7638 thumbprint, the agency it speaks for, and its validity period.
 * In a JWKS, validity appears as the extra members `nbf` / `exp` (seconds).
 */
export interface PublicKeyRecord {
  agency: string;
  kid: string;
  use: KeyUse;
  /** Public JWK: kty "OKP", crv "Ed25519" (sig) or "X25519" (enc), x, kid, use, alg. */
  jwk: JWK;
  /** Valid from (ms since epoch, inclusive). */
  notBefore: number;
  /** Valid until (ms since epoch, exclusive); undefined = open-ended. */
  notAfter?: number;
  /** Revoked at (ms since epoch); from then on the key speaks for nobody. */
  revokedAt?: number;
}

/** A key pair held by its owner. `privateJwk` is the only form ever written to disk. */
export interface KeyPair {
  record: PublicKeyRecord;
  privateJwk: JWK;
  /** Cached KeyObjects (not serialised). */
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicRaw: Uint8Array;
}

/** An agency's (or the gate's) signing and encryption keys. */
export interface AgencyKeys {
  agency: string;
  signing: KeyPair;
  encryption: KeyPair;
}

export interface Validity {
  notBefore: number;
  notAfter?: number;
}

const CRV: Record<KeyUse, 'Ed25519' | 'X25519'> = { sig: 'Ed25519', enc: 'X25519' };
const ALG: Record<KeyUse, string> = { sig: 'EdDSA', enc: 'ECDH-ES' };

const b64u = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const unb64u = (s: string) => new Uint8Array(Buffer.from(s, 'base64url'));

/** RFC 7638 thumbprint (SHA-256, base64url) of an OKP public key. */
export async function thumbprint(jwk: JWK): Promise<string> {
  return calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x } as JWK, 'sha256');
}

async function keyPairFromSecret(
  agency: string,
  use: KeyUse,
  secret: Uint8Array,
  validity: Validity,
): Promise<KeyPair> {
  if (secret.length !== 32) throw new EnvelopeError('BAD_KEY', 'a private key is 32 bytes');
  const privateKey = use === 'sig' ? ed25519PrivateKey(secret) : x25519PrivateKey(secret);
  const publicRaw = rawPublic(privateKey);
  const publicKey = use === 'sig' ? ed25519PublicKey(publicRaw) : x25519PublicKey(publicRaw);
  const base: JWK = { kty: 'OKP', crv: CRV[use], x: b64u(publicRaw) };
  const kid = await thumbprint(base);
  const jwk: JWK = { ...base, kid, use, alg: ALG[use] };
  const record: PublicKeyRecord = { agency, kid, use, jwk, notBefore: validity.notBefore };
  if (validity.notAfter !== undefined) record.notAfter = validity.notAfter;
  return { record, privateJwk: { ...jwk, d: b64u(secret) }, privateKey, publicKey, publicRaw };
}

/** Fresh Ed25519 + X25519 keys for an agency, valid from `validity.notBefore`. */
export async function generateAgencyKeys(agency: string, validity: Validity): Promise<AgencyKeys> {
  return {
    agency,
    signing: await keyPairFromSecret(agency, 'sig', randomBytes(32), validity),
    encryption: await keyPairFromSecret(agency, 'enc', randomBytes(32), validity),
  };
}

/** Keys from fixed secrets (test vectors, key files). */
export async function agencyKeysFromSecrets(
  agency: string,
  secrets: { signing: Uint8Array; encryption: Uint8Array },
  validity: Validity,
): Promise<AgencyKeys> {
  return {
    agency,
    signing: await keyPairFromSecret(agency, 'sig', secrets.signing, validity),
    encryption: await keyPairFromSecret(agency, 'enc', secrets.encryption, validity),
  };
}

const PrivateJwkSchema = z.object({
  kty: z.literal('OKP'),
  crv: z.enum(['Ed25519', 'X25519']),
  x: z.string(),
  d: z.string(),
  kid: z.string().optional(),
});

/** The private key file of an agency: both private JWKs and the validity. */
export const AgencyKeyFileSchema = z.object({
  agency: z.string(),
  notBefore: z.number(),
  notAfter: z.number().optional(),
  signing: PrivateJwkSchema,
  encryption: PrivateJwkSchema,
});
export type AgencyKeyFile = z.infer<typeof AgencyKeyFileSchema>;

export function exportAgencyKeyFile(keys: AgencyKeys): AgencyKeyFile {
  const file: AgencyKeyFile = {
    agency: keys.agency,
    notBefore: keys.signing.record.notBefore,
    signing: keys.signing.privateJwk as AgencyKeyFile['signing'],
    encryption: keys.encryption.privateJwk as AgencyKeyFile['encryption'],
  };
  if (keys.signing.record.notAfter !== undefined) file.notAfter = keys.signing.record.notAfter;
  return file;
}

export async function importAgencyKeyFile(input: unknown): Promise<AgencyKeys> {
  const parsed = AgencyKeyFileSchema.safeParse(input);
  if (!parsed.success) throw new EnvelopeError('BAD_KEY', 'not an agency key file');
  const f = parsed.data;
  const validity: Validity = {
    notBefore: f.notBefore,
    ...(f.notAfter !== undefined ? { notAfter: f.notAfter } : {}),
  };
  const keys = await agencyKeysFromSecrets(
    f.agency,
    { signing: unb64u(f.signing.d), encryption: unb64u(f.encryption.d) },
    validity,
  );
  if (keys.signing.privateJwk.x !== f.signing.x || keys.encryption.privateJwk.x !== f.encryption.x) {
    throw new EnvelopeError('BAD_KEY', 'public part does not match the private key');
  }
  return keys;
}

/** A JWKS of public keys with validity as `nbf` / `exp` (seconds) members. */
export function toJwks(records: readonly PublicKeyRecord[]): { keys: JWK[] } {
  return {
    keys: records.map((r) => ({
      ...r.jwk,
      nbf: Math.floor(r.notBefore / 1000),
      ...(r.notAfter !== undefined ? { exp: Math.floor(r.notAfter / 1000) } : {}),
    })),
  };
}

const PublicJwkSchema = z.object({
  kty: z.literal('OKP'),
  crv: z.enum(['Ed25519', 'X25519']),
  x: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  kid: z.string(),
  nbf: z.number(),
  exp: z.number().optional(),
});

/** Reads a JWKS back, checking that every kid is the key's RFC 7638 thumbprint. */
export async function fromJwks(agency: string, jwks: unknown): Promise<PublicKeyRecord[]> {
  const parsed = z.object({ keys: z.array(PublicJwkSchema) }).safeParse(jwks);
  if (!parsed.success) throw new EnvelopeError('BAD_KEY', 'not a JWKS of OKP keys');
  const out: PublicKeyRecord[] = [];
  for (const k of parsed.data.keys) {
    const use: KeyUse = k.crv === 'Ed25519' ? 'sig' : 'enc';
    const kid = await thumbprint(k as JWK);
    if (kid !== k.kid) throw new EnvelopeError('BAD_KEY', 'kid is not the RFC 7638 thumbprint of the key');
    const rec: PublicKeyRecord = {
      agency,
      kid,
      use,
      jwk: { kty: 'OKP', crv: k.crv, x: k.x, kid, use, alg: ALG[use] },
      notBefore: k.nbf * 1000,
    };
    if (k.exp !== undefined) rec.notAfter = k.exp * 1000;
    out.push(rec);
  }
  return out;
}

const publicKeyCache = new Map<string, KeyObject>();
const CACHE_LIMIT = 10_000;

/** The KeyObject of a published key (cached by kid). */
export function publicKeyObject(record: PublicKeyRecord): KeyObject {
  let key = publicKeyCache.get(record.kid);
  if (!key) {
    const raw = unb64u(String(record.jwk.x));
    if (raw.length !== 32) throw new EnvelopeError('BAD_KEY', 'an OKP public key is 32 bytes');
    key = record.use === 'sig' ? ed25519PublicKey(raw) : x25519PublicKey(raw);
    if (publicKeyCache.size >= CACHE_LIMIT) publicKeyCache.clear();
    publicKeyCache.set(record.kid, key);
  }
  return key;
}

export function publicKeyRaw(record: PublicKeyRecord): Uint8Array {
  return unb64u(String(record.jwk.x));
}

/** Whether a key may be used at `at` (validity) given revocations known at `now`. */
export function keyState(
  record: PublicKeyRecord,
  at: number,
  now: number,
): 'valid' | 'not-valid' | 'revoked' {
  if (record.revokedAt !== undefined && record.revokedAt <= Math.max(at, now)) return 'revoked';
  if (at < record.notBefore || (record.notAfter !== undefined && at >= record.notAfter)) return 'not-valid';
  return 'valid';
}
