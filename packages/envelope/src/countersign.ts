import { leafHash, MerkleTree, paddedRoot, verifyInclusion } from '@liaison/merkle';
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

/** The leaf that pads a group's block to a power of two (no grant encodes to zero bytes). */
export const PADDING_LEAF = leafHash(new Uint8Array(0));

/** Where one group's grants sit in a signed batch: an aligned complete subtree. */
export interface GroupBlock {
  /** Index of the block's first leaf; a multiple of its width. */
  offset: number;
  /** log2 of the block's width (grants, then padding leaves, up to a power of two). */
  level: number;
  /** The block's inclusion path in the batch (see verifySubtreeInclusion). */
  path: Uint8Array[];
}

export interface CountersignedGroup {
  deliveries: Countersigned[];
  block: GroupBlock;
}

const levelFor = (n: number) => Math.ceil(Math.log2(Math.max(n, 1)));
const widthFor = (n: number) => 2 ** levelFor(n);

/**
 * The block a group's grants form in a signed batch, rebuilt from the grants alone
 * (an auditor's check): its root and level, for `verifySubtreeInclusion`.
 */
export function grantBlock(grants: readonly Uint8Array[]): { root: Uint8Array; level: number } {
  const level = levelFor(grants.length);
  return { root: paddedRoot(grants.map(leafHash), level, PADDING_LEAF), level };
}

/**
 * Countersigns several groups of deliveries (the gate: one group per submission)
 * with a single signature. The grants are the leaves of an RFC 9162 Merkle tree;
 * each group occupies an aligned block of a power-of-two width (padded with
 * PADDING_LEAF), widest first, so that a group's grants are one node of the tree and
 * an auditor can check them with one subtree proof. The gate signs the batch (its
 * root); each delivery carries its grant with its inclusion path.
 */
export function countersignGroups(
  groups: readonly (readonly { envelope: Envelope; grant: GrantInput }[])[],
  gate: AgencyKeys,
  signedAt: number = Date.now(),
): CountersignedGroup[] {
  const grants = groups.map((g) => g.map((i) => encodeGrant(i.envelope, i.grant, gate)));
  const order = groups
    .map((_, i) => i)
    .sort((x, y) => widthFor(groups[y]!.length) - widthFor(groups[x]!.length));
  const offsets = new Array<number>(groups.length);
  const tree = new MerkleTree();
  for (const g of order) {
    offsets[g] = tree.size;
    const width = widthFor(grants[g]!.length);
    for (let i = 0; i < width; i++)
      tree.append(i < grants[g]!.length ? leafHash(grants[g]![i]!) : PADDING_LEAF);
  }
  const batch = toBinary(
    GrantBatchSchema,
    create(GrantBatchSchema, {
      domain: BATCH_DOMAIN,
      size: BigInt(tree.size),
      root: tree.root(),
      gateId: gate.agency,
      gateKeyId: gate.signing.record.kid,
      signedAtMs: BigInt(signedAt),
    }),
  );
  const signature = ed25519Sign(gate.signing.privateKey, batch);
  return groups.map((items, g) => {
    const offset = offsets[g]!;
    const level = levelFor(items.length);
    const deliveries = items.map((item, i) => {
      const index = offset + i;
      const path = tree.inclusionProof(index);
      const grant = grants[g]![i]!;
      const countersignature = create(CountersignatureSchema, {
        grant,
        signature,
        batch,
        index: BigInt(index),
        path,
      });
      const bytes = toBinary(EnvelopeSchema, create(EnvelopeSchema, { ...item.envelope, countersignature }));
      return { bytes, grant, batch, signature, index, path };
    });
    return { deliveries, block: { offset, level, path: tree.inclusionProof(offset).slice(level) } };
  });
}

/** Countersigns the deliveries of one submission with a single signature (a batch of one group). */
export function countersignBatch(
  items: readonly { envelope: Envelope; grant: GrantInput }[],
  gate: AgencyKeys,
  signedAt: number = Date.now(),
): Countersigned[] {
  return countersignGroups([items], gate, signedAt)[0]!.deliveries;
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
