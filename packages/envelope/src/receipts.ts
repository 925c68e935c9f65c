import { compactVerify, decodeProtectedHeader } from 'jose';
import { z } from 'zod';
import { EnvelopeError } from './errors.js';
import { type AgencyKeys, keyState, publicKeyObject } from './keys.js';
import { ed25519Sign } from './primitives.js';
import type { KeyResolver } from './verify-header.js';

/** The gate's answer to a submission, to its sender. */
export const SubmissionReceiptSchema = z.object({
  type: z.literal('submission'),
  noticeId: z.string(),
  sender: z.string(),
  status: z.enum(['accepted', 'rejected']),
  code: z.string().optional(),
  message: z.string().optional(),
  recipients: z.array(
    z.object({
      recipient: z.string(),
      level: z.enum(['operational', 'strategic']),
      layers: z.array(z.string()),
      /** The policy's reason codes for this level. */
      reasons: z.array(z.string()).optional(),
    }),
  ),
  /** Every other agency the notice could have gone to, with the reason codes it did not. */
  refused: z.array(z.object({ recipient: z.string(), reasons: z.array(z.string()) })).optional(),
  /** Fields whose screening the sender overrode (signed in the header). */
  screeningOverrides: z.array(z.string()).optional(),
  policyRevision: z.number().int(),
  intakeSeq: z.number().int(),
  at: z.number().int(),
  gateId: z.string(),
});
export type SubmissionReceipt = z.infer<typeof SubmissionReceiptSchema>;

/**
 * Who opened it, without naming them: a reference to the entry of the recipient's own
 * access log (an agency station's, RFC 9162) that records the consultation. The sender
 * can ask the recipient's data protection officer for the entry and its inclusion proof;
 * no officer's name crosses the border in a receipt.
 */
export const ReaderRefSchema = z
  .object({
    /** The log's origin, e.g. `liaison-station/de-bka`. */
    log: z.string().min(1).max(200),
    /** The entry's position (leaf index) in that log. */
    seq: z.number().int().min(0),
    /** Hex RFC 9162 leaf hash of the entry: SHA-256(0x00 ‖ entry bytes). */
    leafHash: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();
export type ReaderRef = z.infer<typeof ReaderRefSchema>;

/** A recipient's statement that it opened a notice; the gate relays it to the sender. */
export const ReadReceiptSchema = z.object({
  type: z.literal('read'),
  noticeId: z.string(),
  sender: z.string(),
  recipient: z.string(),
  /** Hex SHA-256 of the signed header it opened. */
  headerSha256: z.string().regex(/^[0-9a-f]{64}$/),
  readAt: z.number().int(),
  /** Optional: the access-log entry of the person who opened it (a station's). */
  reader: ReaderRefSchema.optional(),
});
export type ReadReceipt = z.infer<typeof ReadReceiptSchema>;

const TYP = 'liaison-receipt+jws';

const b64u = (data: string | Uint8Array) => Buffer.from(data).toString('base64url');

/**
 * Signs a receipt as a compact JWS (RFC 7515, EdDSA per RFC 8037) with the signer's
 * signing key. Serialised here and signed with Node's Ed25519 (the gate signs one per
 * submission, and jose's WebCrypto path costs three times as much); verified with
 * jose, which also proves the two agree (tested).
 */
export async function signReceipt(
  payload: SubmissionReceipt | ReadReceipt,
  signer: AgencyKeys,
): Promise<string> {
  // `iss` in the protected header names the signing agency (RFC 7515 allows extra members).
  const header = { alg: 'EdDSA', kid: signer.signing.record.kid, typ: TYP, iss: signer.agency };
  const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(payload))}`;
  return `${input}.${b64u(ed25519Sign(signer.signing.privateKey, Buffer.from(input, 'ascii')))}`;
}

/**
 * Verifies a receipt JWS: signed by a known, valid signing key of the agency that
 * must have made it (the gate for submission receipts, the recipient for reads).
 */
export async function verifyReceipt(
  jws: string,
  resolve: KeyResolver,
): Promise<{ receipt: SubmissionReceipt | ReadReceipt; signer: string }> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jws);
  } catch (cause) {
    throw new EnvelopeError('MALFORMED', 'not a receipt', { cause });
  }
  const iss = (header as { iss?: unknown }).iss;
  if (header.typ !== TYP || typeof header.kid !== 'string' || typeof iss !== 'string') {
    throw new EnvelopeError('MALFORMED', 'not a receipt');
  }
  const key = resolve(iss, header.kid);
  if (key?.use !== 'sig' || key.agency !== iss) throw new EnvelopeError('UNKNOWN_KEY', 'unknown signing key');
  let payload: Uint8Array;
  try {
    payload = (await compactVerify(jws, publicKeyObject(key), { algorithms: ['EdDSA'] })).payload;
  } catch (cause) {
    throw new EnvelopeError('BAD_SIGNATURE', 'signature verification failed', { cause });
  }
  const parsed = z
    .union([SubmissionReceiptSchema, ReadReceiptSchema])
    .safeParse(JSON.parse(new TextDecoder().decode(payload)));
  if (!parsed.success) throw new EnvelopeError('MALFORMED', 'not a receipt');
  const receipt = parsed.data;
  const at = receipt.type === 'read' ? receipt.readAt : receipt.at;
  if (keyState(key, at, at) !== 'valid')
    throw new EnvelopeError('KEY_NOT_VALID', 'the signing key was not valid');
  const expected = receipt.type === 'read' ? receipt.recipient : receipt.gateId;
  if (expected !== iss) throw new EnvelopeError('BAD_SIGNATURE', 'receipt signed by the wrong party');
  return { receipt, signer: iss };
}
