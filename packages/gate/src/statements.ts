import type { AgencyKeys } from '@liaison/envelope';
import { CompactSign } from 'jose';

export const PLAN_TYP = 'liaison-plan+jws';
export const DIRECTORY_TYP = 'liaison-directory+jws';

/** Signs a JSON statement of the gate (a plan, the key directory) as a compact JWS. */
export function signStatement(payload: unknown, gate: AgencyKeys, typ: string): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'EdDSA', kid: gate.signing.record.kid, typ })
    .sign(gate.signing.privateKey);
}
