import { type PublicKeyRecord, publicKeyObject } from '@liaison/envelope';
import { compactVerify, decodeProtectedHeader } from 'jose';
import { ClientError } from './errors.js';

/** Verifies a JSON statement signed by the gate (plan, directory) against the pinned gate keys. */
export async function verifyGateStatement<T>(
  jws: string,
  gateKeys: readonly PublicKeyRecord[],
  typ: string,
): Promise<T> {
  try {
    const header = decodeProtectedHeader(jws);
    const key = gateKeys.find((k) => k.kid === header.kid && k.use === 'sig');
    if (!key || header.typ !== typ) throw new Error('unknown gate key or type');
    const { payload } = await compactVerify(jws, publicKeyObject(key), { algorithms: ['EdDSA'] });
    return JSON.parse(new TextDecoder().decode(payload)) as T;
  } catch (cause) {
    throw new ClientError('BAD_GATE_SIGNATURE', 'the answer is not signed by the gate', { cause });
  }
}
