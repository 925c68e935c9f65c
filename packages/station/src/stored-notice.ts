import type { OpenedAmendment, OpenedNotice } from '@liaison/envelope';
import type { Markings, NoticeKind } from '@liaison/notice';

/** Where a delivery came from, as the gate countersigned it. */
export interface Provenance {
  gateId: string;
  gateKeyId: string;
  policyRevision: string;
  grantedAt: string;
  grantedLayers: string[];
  /** SHA-256 of the sender's signed header (hex): the notice's identity in receipts and logs. */
  headerSha256: string;
  screeningOverrides: string[];
}

/** A delivery as the station keeps it (the part that is encrypted at rest). */
export interface StoredNotice {
  noticeId: string;
  sender: string;
  kind: NoticeKind;
  schemaVersion: number;
  createdAt: string;
  level: 'operational' | 'strategic';
  layers: string[];
  markings: Markings;
  body: Record<string, unknown>;
  provenance: Provenance;
  /** Wire 1.2: the signed conversation terms (provenance, request deadline, answer, permission); absent in rows stored before. */
  conversation?: OpenedNotice['conversation'];
  /** Wire 1.2: this notice rectifies, or asks for the erasure of, an earlier one of its sender. */
  amendment?: OpenedAmendment;
}

export function toStored(n: OpenedNotice): StoredNotice {
  return {
    noticeId: n.noticeId,
    sender: n.sender,
    kind: n.kind,
    schemaVersion: n.schemaVersion,
    createdAt: n.createdAt.toISOString(),
    level: n.level,
    layers: [...n.layers],
    markings: n.markings,
    body: n.body,
    provenance: {
      gateId: n.grant.gateId,
      gateKeyId: n.grant.gateKeyId,
      policyRevision: n.grant.policyRevision.toString(),
      grantedAt: new Date(Number(n.grant.grantedAtMs)).toISOString(),
      grantedLayers: [...n.grant.grantedLayers],
      headerSha256: Buffer.from(n.grant.headerSha256).toString('hex'),
      screeningOverrides: [...n.screeningOverrides],
    },
    ...(n.conversation && Object.keys(n.conversation).length ? { conversation: n.conversation } : {}),
    ...(n.amendment ? { amendment: n.amendment } : {}),
  };
}
