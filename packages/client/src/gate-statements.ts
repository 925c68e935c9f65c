import {
  type PublicKeyRecord,
  publicKeyObject,
  type SubmissionReceipt,
  verifyReceipt,
} from '@liaison/envelope';
import { LAYER_NAMES } from '@liaison/notice';
import { compactVerify, decodeProtectedHeader } from 'jose';
import { z } from 'zod';
import { ClientError } from './errors.js';
import type { PlanRecipient } from './plan.js';

export const PLAN_TYP = 'liaison-plan+jws';
export const DIRECTORY_TYP = 'liaison-directory+jws';

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

// What the SDK uses of a signed answer; other members are the gate's to add.
const PublicKeyRecordSchema = z.looseObject({
  agency: z.string(),
  kid: z.string(),
  use: z.enum(['sig', 'enc']),
  jwk: z.looseObject({ kty: z.literal('OKP'), crv: z.string(), x: z.string() }),
  notBefore: z.number(),
  notAfter: z.number().optional(),
  revokedAt: z.number().optional(),
});

const PlanSchema = z.looseObject({
  type: z.literal('plan'),
  agency: z.string(),
  recipients: z.array(
    z.looseObject({
      agency: z.string(),
      level: z.enum(['operational', 'strategic']),
      layers: z.array(z.enum(LAYER_NAMES)),
      encryptionKey: PublicKeyRecordSchema.optional(),
    }),
  ),
});

const DirectorySchema = z.looseObject({
  type: z.literal('directory'),
  keys: z.array(PublicKeyRecordSchema),
  contacts: z.record(z.string(), z.array(z.string().max(100)).max(20)).optional(),
});

function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The gate's answer to a plan request: a coded JSON error (PLAN_FAILED), or a plan the
 * gate signed for this agency (BAD_GATE_SIGNATURE otherwise, and for a signed answer that
 * is not a plan of this agency's).
 */
export async function verifyPlanAnswer(
  text: string,
  gateKeys: readonly PublicKeyRecord[],
  agency: string,
): Promise<PlanRecipient[]> {
  if (text.startsWith('{'))
    throw new ClientError('PLAN_FAILED', 'the gate refused the plan request', { cause: jsonOrText(text) });
  const plan = PlanSchema.safeParse(await verifyGateStatement<unknown>(text, gateKeys, PLAN_TYP));
  if (!plan.success || plan.data.agency !== agency)
    throw new ClientError('BAD_GATE_SIGNATURE', 'the gate signed no plan for this agency');
  return plan.data.recipients as PlanRecipient[];
}

/** The key directory the gate signed (BAD_GATE_SIGNATURE for anything else). */
export async function verifyDirectoryAnswer(
  text: string,
  gateKeys: readonly PublicKeyRecord[],
): Promise<{ keys: PublicKeyRecord[]; contacts: Record<string, string[]> }> {
  const dir = DirectorySchema.safeParse(await verifyGateStatement<unknown>(text, gateKeys, DIRECTORY_TYP));
  if (!dir.success) throw new ClientError('BAD_GATE_SIGNATURE', 'the gate signed no key directory');
  return { keys: dir.data.keys as PublicKeyRecord[], contacts: dir.data.contacts ?? {} };
}

/** A gate's signed submission receipt, verified with the pinned gate keys. */
export async function verifiedSubmission(
  jws: string,
  gateKeys: readonly PublicKeyRecord[],
): Promise<SubmissionReceipt> {
  const { receipt } = await verifyReceipt(jws, (a, kid) =>
    gateKeys.find((k) => k.agency === a && k.kid === kid),
  );
  if (receipt.type !== 'submission') throw new ClientError('BAD_GATE_SIGNATURE', 'not a submission receipt');
  return receipt;
}
