import type { LayerName } from '@liaison/notice';
import {
  CountersignatureSchema,
  create,
  type DeliveryGrant,
  DeliveryGrantSchema,
  type Envelope,
  EnvelopeSchema,
  fromBinary,
  type NoticeHeader,
  toBinary,
} from '@liaison/wire';
import { decodeHeader } from './decode.js';
import { EnvelopeError } from './errors.js';
import { type AgencyKeys, keyState, type PublicKeyRecord, publicKeyObject } from './keys.js';
import { bytesEqual, ed25519Sign, ed25519Verify, sha256 } from './primitives.js';
import type { KeyResolver } from './verify-header.js';

export const GRANT_DOMAIN = 'liaison.v1.DeliveryGrant';

export interface GrantInput {
  recipient: string;
  level: 'operational' | 'strategic';
  layers: readonly LayerName[];
  policyRevision: bigint;
  grantedAt: number;
  /** The notice id and SHA-256 of the header, when the caller has them already (the gate, per recipient). */
  header?: { noticeId: string; sha256: Uint8Array };
}

/** Adds the gate's countersignature to a restricted envelope; returns the delivery bytes. */
export function countersign(envelope: Envelope, grant: GrantInput, gate: AgencyKeys): Uint8Array {
  return countersignDelivery(envelope, grant, gate).bytes;
}

/** As `countersign`, also returning the signed grant bytes and the signature (for the audit log). */
export function countersignDelivery(
  envelope: Envelope,
  grant: GrantInput,
  gate: AgencyKeys,
): { bytes: Uint8Array; grant: Uint8Array; signature: Uint8Array } {
  const header = grant.header ?? {
    noticeId: decodeHeader(envelope.header).noticeId,
    sha256: sha256(envelope.header),
  };
  const grantBytes = toBinary(
    DeliveryGrantSchema,
    create(DeliveryGrantSchema, {
      domain: GRANT_DOMAIN,
      noticeId: header.noticeId,
      headerSha256: header.sha256,
      recipient: grant.recipient,
      level: grant.level,
      grantedLayers: [...grant.layers],
      policyRevision: grant.policyRevision,
      grantedAtMs: BigInt(grant.grantedAt),
      gateId: gate.agency,
      gateKeyId: gate.signing.record.kid,
    }),
  );
  const signature = ed25519Sign(gate.signing.privateKey, grantBytes);
  const delivered = create(EnvelopeSchema, {
    ...envelope,
    countersignature: create(CountersignatureSchema, { grant: grantBytes, signature }),
  });
  return { bytes: toBinary(EnvelopeSchema, delivered), grant: grantBytes, signature };
}

export interface VerifiedGrant {
  grant: DeliveryGrant;
  gateKey: PublicKeyRecord;
}

/**
 * Checks the gate's countersignature on a delivery: signed by a valid gate key,
 * for this exact header, for this recipient, and granting exactly the layers the
 * delivery carries.
 */
export function verifyCountersignature(
  envelope: Envelope,
  resolveGateKey: KeyResolver,
  expected: { recipient: string; now?: number; header?: NoticeHeader },
): VerifiedGrant {
  const cs = envelope.countersignature;
  if (!cs) throw new EnvelopeError('BAD_COUNTERSIGNATURE', 'delivery is not countersigned');
  let grant: DeliveryGrant;
  try {
    grant = fromBinary(DeliveryGrantSchema, cs.grant);
  } catch (cause) {
    throw new EnvelopeError('BAD_COUNTERSIGNATURE', 'countersignature verification failed', { cause });
  }
  const gateKey = resolveGateKey(grant.gateId, grant.gateKeyId);
  if (gateKey?.use !== 'sig' || gateKey.agency !== grant.gateId) {
    throw new EnvelopeError('UNKNOWN_KEY', 'unknown gate key');
  }
  if (keyState(gateKey, Number(grant.grantedAtMs), expected.now ?? Number(grant.grantedAtMs)) !== 'valid') {
    throw new EnvelopeError('KEY_NOT_VALID', 'the gate key was not valid');
  }
  if (!ed25519Verify(publicKeyObject(gateKey), cs.grant, cs.signature)) {
    throw new EnvelopeError('BAD_COUNTERSIGNATURE', 'countersignature verification failed');
  }
  const header = expected.header ?? decodeHeader(envelope.header);
  const carried = envelope.layers.map((l) => l.name).sort();
  const consistent =
    grant.domain === GRANT_DOMAIN &&
    grant.noticeId === header.noticeId &&
    bytesEqual(grant.headerSha256, sha256(envelope.header)) &&
    grant.recipient === expected.recipient &&
    JSON.stringify([...grant.grantedLayers].sort()) === JSON.stringify(carried);
  if (!consistent)
    throw new EnvelopeError('BAD_COUNTERSIGNATURE', 'countersignature does not match the delivery');
  return { grant, gateKey };
}
