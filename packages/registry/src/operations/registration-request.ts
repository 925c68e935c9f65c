import { randomUUID } from 'node:crypto';
import { toIssues } from '@liaison/core';
import { type AgencyKeys, thumbprint } from '@liaison/envelope';
import { CompactSign, compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { z } from 'zod';
import { RegistryError } from '../errors.js';
import { type Agency, AgencySchema } from '../model.js';
import { type AdminIdentity, keySpec } from '../seed.js';
import type { PolicyStore } from '../store.js';
import { type AddAgencyResult, addAgency } from './add-agency.js';
import { parseInput } from './parse-input.js';
import { type PublicKeys, PublicKeysSchema } from './public-keys.js';

/** The JWS `typ` of a registration request. */
export const REGISTRATION_REQUEST_TYPE = 'liaison-registration-request+jws';

/** How old a request may be when an administrator proposes it (default 7 days). */
export const REGISTRATION_REQUEST_MAX_AGE_MS = 7 * 24 * 3600_000;
/** How far in the future its time may lie (clock skew). */
const FUTURE_SKEW_MS = 5 * 60_000;

/** What an agency asks to be registered as, with its public keys only, at a time (ms). */
export const RegistrationRequestSchema = z
  .object({ v: z.literal(1), agency: AgencySchema, keys: PublicKeysSchema, at: z.number().int() })
  .strict();
export type RegistrationRequest = z.infer<typeof RegistrationRequestSchema>;

/**
 * The agency's side: a registration request for `agency`, holding only the public
 * halves of `keys`, signed (compact JWS, EdDSA) with the agency's new signing key —
 * proof that whoever asks holds the private key; `kid` is that key's RFC 7638
 * thumbprint. INVALID_INPUT (with the issues' paths) when the agency does not
 * validate or `keys` belong to another id.
 */
export async function makeRegistrationRequest(
  agency: z.input<typeof AgencySchema>,
  keys: AgencyKeys,
  at: number = Date.now(),
): Promise<string> {
  const parsed = parseInput(AgencySchema, agency, 'agency');
  if (keys.agency !== parsed.id)
    throw new RegistryError('INVALID_INPUT', `the keys are ${keys.agency}'s, not ${parsed.id}'s`, {
      issues: [{ code: 'custom', path: ['id'], message: 'the keys belong to another agency' }],
    });
  const request: RegistrationRequest = {
    v: 1,
    agency: parsed,
    keys: { signing: keySpec(keys.signing), encryption: keySpec(keys.encryption) },
    at,
  };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(request)))
    .setProtectedHeader({ alg: 'EdDSA', kid: keys.signing.record.kid, typ: REGISTRATION_REQUEST_TYPE })
    .sign(keys.signing.privateKey);
}

export interface VerifyRequestOptions {
  /** The time it is verified at (ms, default now). */
  now?: number;
  maxAgeMs?: number;
}

export interface VerifiedRegistrationRequest {
  agency: Agency;
  keys: PublicKeys;
  at: number;
  /** The signing key's thumbprint (the kid of the request). */
  kid: string;
}

/**
 * The administrator's side: checks a registration request before it is proposed.
 * INVALID_REQUEST — not a compact JWS of that type, or a payload that does not
 * validate (issues with their paths); BAD_REQUEST_SIGNATURE — its kid is not the
 * thumbprint of the signing key inside, or the signature is not by that key (a
 * changed id, changed keys, a request signed by another key); STALE_REQUEST — made
 * more than `maxAgeMs` ago, or in the future.
 */
export async function verifyRegistrationRequest(
  jws: string,
  options: VerifyRequestOptions = {},
): Promise<VerifiedRegistrationRequest> {
  const { now = Date.now(), maxAgeMs = REGISTRATION_REQUEST_MAX_AGE_MS } = options;
  const token = typeof jws === 'string' ? jws.trim() : '';
  let header: ReturnType<typeof decodeProtectedHeader>;
  let payload: unknown;
  try {
    if (token.split('.').length !== 3) throw new Error('not a compact JWS');
    header = decodeProtectedHeader(token);
    payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
  } catch (err) {
    throw new RegistryError('INVALID_REQUEST', 'not a registration request (a compact JWS)', { cause: err });
  }
  if (header.typ !== REGISTRATION_REQUEST_TYPE || header.alg !== 'EdDSA' || typeof header.kid !== 'string')
    throw new RegistryError(
      'INVALID_REQUEST',
      `not a registration request (typ ${REGISTRATION_REQUEST_TYPE}, alg EdDSA, kid)`,
    );
  const parsed = RegistrationRequestSchema.safeParse(payload);
  if (!parsed.success) {
    throw new RegistryError('INVALID_REQUEST', 'invalid registration request', {
      issues: toIssues(parsed.error.issues),
    });
  }
  const request = parsed.data;
  const kid = await thumbprint(request.keys.signing.jwk as JWK);
  if (header.kid !== kid)
    throw new RegistryError(
      'BAD_REQUEST_SIGNATURE',
      'the request is not signed by the signing key it registers (kid is not its thumbprint)',
    );
  try {
    const key = await importJWK({ ...(request.keys.signing.jwk as JWK), alg: 'EdDSA' }, 'EdDSA');
    await compactVerify(token, key, { algorithms: ['EdDSA'] });
  } catch (err) {
    throw new RegistryError('BAD_REQUEST_SIGNATURE', 'the signature is not by the signing key it registers', {
      cause: err,
    });
  }
  if (request.at > now + FUTURE_SKEW_MS || now - request.at > maxAgeMs)
    throw new RegistryError(
      'STALE_REQUEST',
      `the request was made at ${new Date(request.at).toISOString()}: older than ${maxAgeMs / 3600_000} h or in the future; the agency makes a new one`,
    );
  return { agency: request.agency, keys: request.keys, at: request.at, kid };
}

export const ProposeRegistrationInputSchema = z
  .object({ request: z.string().min(1), proposalId: z.uuid().optional(), now: z.number().int().optional() })
  .strict();
export type ProposeRegistrationInput = z.input<typeof ProposeRegistrationInputSchema>;

/**
 * Verifies an agency's signed registration request and proposes registering it with
 * the public keys inside (`addAgency`: four eyes, a second administrator approves with
 * `approveChange`). No private key passes through the administrator.
 */
export async function proposeRegistration(
  store: PolicyStore,
  by: AdminIdentity,
  input: ProposeRegistrationInput,
): Promise<AddAgencyResult & { requestedAt: number }> {
  const {
    request,
    proposalId = randomUUID(),
    now,
  } = parseInput(ProposeRegistrationInputSchema, input, 'registration');
  const verified = await verifyRegistrationRequest(request, now === undefined ? {} : { now });
  const added = await addAgency(store, by, { agency: verified.agency, keys: verified.keys, proposalId });
  return { ...added, requestedAt: verified.at };
}
