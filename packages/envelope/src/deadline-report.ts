import { compactVerify, decodeProtectedHeader } from 'jose';
import { z } from 'zod';
import { EnvelopeError } from './errors.js';
import { type AgencyKeys, keyState, publicKeyObject } from './keys.js';
import { ed25519Sign } from './primitives.js';
import type { KeyResolver } from './verify-header.js';

/**
 * The deadline service's report on one information request (Directive 2023/977 Art. 5),
 * to the requester and to each requested agency, on their receipt subjects for that
 * request: it is about to be overdue (DUE_SOON) or is (OVERDUE).
 */
export const DeadlineReportSchema = z.object({
  type: z.literal('deadline'),
  requestId: z.string(),
  requester: z.string(),
  requested: z.array(z.string()),
  stage: z.enum(['DUE_SOON', 'OVERDUE']),
  /** The due time, clarification pauses included (ms). */
  dueAt: z.number().int(),
  at: z.number().int(),
  service: z.string(),
});
export type DeadlineReport = z.infer<typeof DeadlineReportSchema>;

export const DEADLINE_TYP = 'liaison-deadline+jws';

const b64u = (data: string | Uint8Array) => Buffer.from(data).toString('base64url');

/** Signs a report as a compact JWS (EdDSA), `iss` the service. */
export function signDeadlineReport(payload: DeadlineReport, signer: AgencyKeys): string {
  const header = { alg: 'EdDSA', kid: signer.signing.record.kid, typ: DEADLINE_TYP, iss: signer.agency };
  const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(payload))}`;
  return `${input}.${b64u(ed25519Sign(signer.signing.privateKey, Buffer.from(input, 'ascii')))}`;
}

/** Whether a JWS is a deadline report (unverified: the caller verifies what it keeps). */
export function isDeadlineReport(jws: string): boolean {
  try {
    return decodeProtectedHeader(jws).typ === DEADLINE_TYP;
  } catch {
    return false;
  }
}

/** Verifies a report: signed by a valid key of the service it names. */
export async function verifyDeadlineReport(jws: string, resolve: KeyResolver): Promise<DeadlineReport> {
  const header = decodeProtectedHeader(jws) as { typ?: string; kid?: string; iss?: string };
  if (header.typ !== DEADLINE_TYP || !header.kid || !header.iss)
    throw new EnvelopeError('MALFORMED', 'not a deadline report');
  const key = resolve(header.iss, header.kid);
  if (key?.use !== 'sig' || key.agency !== header.iss)
    throw new EnvelopeError('UNKNOWN_KEY', 'unknown signing key');
  let payload: Uint8Array;
  try {
    payload = (await compactVerify(jws, publicKeyObject(key), { algorithms: ['EdDSA'] })).payload;
  } catch (cause) {
    throw new EnvelopeError('BAD_SIGNATURE', 'signature verification failed', { cause });
  }
  const parsed = DeadlineReportSchema.safeParse(JSON.parse(new TextDecoder().decode(payload)));
  if (!parsed.success || parsed.data.service !== header.iss)
    throw new EnvelopeError('MALFORMED', 'not a deadline report');
  if (keyState(key, parsed.data.at, parsed.data.at) !== 'valid')
    throw new EnvelopeError('KEY_NOT_VALID', 'the signing key was not valid');
  return parsed.data;
}
