import { leafHash, MerkleTree, verifyInclusion } from '@liaison/merkle';
import type { LayerName } from '@liaison/notice';
import {
  CountersignatureSchema,
  create,
  type DeliveryGrant,
  DeliveryGrantSchema,
  type Envelope,
  EnvelopeSchema,
  fromBinary,
  type GrantBatch,
  GrantBatchSchema,
  type NoticeHeader,
  toBinary,
} from '@liaison/wire';
import { decodeHeader } from './decode.js';
import { EnvelopeError } from './errors.js';
import { type AgencyKeys, keyState, type PublicKeyRecord, publicKeyObject } from './keys.js';
import { bytesEqual, ed25519Sign, ed25519Verify, sha256 } from './primitives.js';
import type { KeyResolver } from './verify-header.js';

export const GRANT_DOMAIN = 'liaison.v1.DeliveryGrant';
export const BATCH_DOMAIN = 'liaison.v1.GrantBatch';

export interface GrantInput {
  recipient: string;
  level: 'operational' | 'strategic';
  layers: readonly LayerName[];
  policyRevision: bigint;
  grantedAt: number;
  /** The notice id and SHA-256 of the header, when the caller has them already (the gate). */
  header?: { noticeId: string; sha256: Uint8Array };
}

export interface Countersigned {
  /** The delivery: the restricted envelope with its countersignature. */
  bytes: Uint8Array;
  grant: Uint8Array;
  batch: Uint8Array;
  signature: Uint8Array;
  index: number;
  path: Uint8Array[];
}

function encodeGrant(envelope: Envelope, g: GrantInput, gate: AgencyKeys): Uint8Array {
  const header = g.header ?? {
    noticeId: decodeHeader(envelope.header).noticeId,
    sha256: sha256(envelope.header),
  };
  return toBinary(
    DeliveryGrantSchema,
    create(DeliveryGrantSchema, {
      domain: GRANT_DOMAIN,
      noticeId: header.noticeId,
      headerSha256: header.sha256,
      recipient: g.recipient,
      level: g.level,
      grantedLayers: [...g.layers],
      policyRevision: g.policyRevision,
      grantedAtMs: BigInt(g.grantedAt),
      gateId: gate.agency,
      gateKeyId: gate.signing.record.kid,
    }),
  );
}

/**
 * Countersigns the deliveries of one submission with a single signature: the
 * grants are the leaves of an RFC 9162 Merkle tree, the gate signs the batch (its
 * root), and each delivery carries its grant with its inclusion path.
 */
export function countersignBatch(
  items: readonly { envelope: Envelope; grant: GrantInput }[],
  gate: AgencyKeys,
  signedAt: number = Date.now(),
): Countersigned[] {
  const grants = items.map((i) => encodeGrant(i.envelope, i.grant, gate));
  const tree = new MerkleTree();
  for (const g of grants) tree.append(leafHash(g));
  const batch = toBinary(
    GrantBatchSchema,
    create(GrantBatchSchema, {
      domain: BATCH_DOMAIN,
      size: BigInt(grants.length),
      root: tree.root(),
      gateId: gate.agency,
      gateKeyId: gate.signing.record.kid,
      signedAtMs: BigInt(signedAt),
    }),
  );
  const signature = ed25519Sign(gate.signing.privateKey, batch);
  return items.map((item, index) => {
    const path = tree.inclusionProof(index);
    const countersignature = create(CountersignatureSchema, {
      grant: grants[index]!,
      signature,
      batch,
      index: BigInt(index),
      path,
    });
    const bytes = toBinary(EnvelopeSchema, create(EnvelopeSchema, { ...item.envelope, countersignature }));
    return { bytes, grant: grants[index]!, batch, signature, index, path };
  });
}

/** Countersigns one delivery (a batch of one); returns the delivery bytes. */
export function countersign(envelope: Envelope, grant: GrantInput, gate: AgencyKeys): Uint8Array {
  return countersignBatch([{ envelope, grant }], gate, grant.grantedAt)[0]!.bytes;
}

export interface VerifiedGrant {
  grant: DeliveryGrant;
  batch: GrantBatch;
  gateKey: PublicKeyRecord;
}

function decodeOrFail<T>(f: () => T): T {
  try {
    return f();
  } catch (cause) {
    throw new EnvelopeError('BAD_COUNTERSIGNATURE', 'countersignature verification failed', { cause });
  }
}

/**
 * Checks the gate's countersignature on a delivery: the batch is signed by a
 * valid gate key, the grant is a leaf of the batch (inclusion path), and the grant
 * is for this exact header, this recipient, and exactly the layers carried.
 */
export function verifyCountersignature(
  envelope: Envelope,
  resolveGateKey: KeyResolver,
  expected: { recipient: string; now?: number; header?: NoticeHeader },
): VerifiedGrant {
  const cs = envelope.countersignature;
  if (!cs) throw new EnvelopeError('BAD_COUNTERSIGNATURE', 'delivery is not countersigned');
  const grant = decodeOrFail(() => fromBinary(DeliveryGrantSchema, cs.grant));
  const batch = decodeOrFail(() => fromBinary(GrantBatchSchema, cs.batch));
  const gateKey = resolveGateKey(batch.gateId, batch.gateKeyId);
  if (gateKey?.use !== 'sig' || gateKey.agency !== batch.gateId)
    throw new EnvelopeError('UNKNOWN_KEY', 'unknown gate key');
  const signedAt = Number(batch.signedAtMs);
  if (keyState(gateKey, signedAt, expected.now ?? signedAt) !== 'valid')
    throw new EnvelopeError('KEY_NOT_VALID', 'the gate key was not valid');
  if (batch.domain !== BATCH_DOMAIN || !ed25519Verify(publicKeyObject(gateKey), cs.batch, cs.signature)) {
    throw new EnvelopeError('BAD_COUNTERSIGNATURE', 'countersignature verification failed');
  }
  if (!verifyInclusion(Number(cs.index), Number(batch.size), leafHash(cs.grant), cs.path, batch.root)) {
    throw new EnvelopeError('BAD_COUNTERSIGNATURE', 'countersignature verification failed');
  }
  const header = expected.header ?? decodeHeader(envelope.header);
  const carried = envelope.layers.map((l) => l.name).sort();
  const consistent =
    grant.domain === GRANT_DOMAIN &&
    grant.gateId === batch.gateId &&
    grant.gateKeyId === batch.gateKeyId &&
    grant.noticeId === header.noticeId &&
    bytesEqual(grant.headerSha256, sha256(envelope.header)) &&
    grant.recipient === expected.recipient &&
    JSON.stringify([...grant.grantedLayers].sort()) === JSON.stringify(carried);
  if (!consistent)
    throw new EnvelopeError('BAD_COUNTERSIGNATURE', 'countersignature does not match the delivery');
  return { grant, batch, gateKey };
}
