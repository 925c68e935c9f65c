import { createHash } from 'node:crypto';
import type { KeyPair } from '@liaison/envelope';
import { CompactSign, decodeProtectedHeader } from 'jose';
import type { PolicyEvent } from './events.js';

export const EVENT_JWS_TYPE = 'liaison-policy-event+jws';

/** Signs a policy event as a compact JWS (EdDSA, kid = the admin key's thumbprint). */
export async function signEvent(event: PolicyEvent, admin: KeyPair): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(event)))
    .setProtectedHeader({ alg: 'EdDSA', kid: admin.record.kid, typ: EVENT_JWS_TYPE })
    .sign(admin.privateKey);
}

/** SHA-256 (hex) of a JWS: what the next event's `prev` must be. */
export function eventHash(jws: string): string {
  return createHash('sha256').update(jws).digest('hex');
}

/** The kid and payload of a JWS, before its signature is checked. */
export function peekEvent(jws: string): {
  kid: string | undefined;
  typ: string | undefined;
  payload: unknown;
} {
  const header = decodeProtectedHeader(jws);
  const payload = JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8'));
  return { kid: typeof header.kid === 'string' ? header.kid : undefined, typ: header.typ, payload };
}
