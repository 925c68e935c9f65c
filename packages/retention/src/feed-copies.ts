import { decodeEnvelope, decodeHeader, sha256 } from '@liaison/envelope';
import { type RetentionSchedule, retentionSchedule, type TopologySettings } from '@liaison/topology';
import { AmendmentAction, DeliveryGrantSchema, fromBinary } from '@liaison/wire';

/** What the retention service knows of one FEED message: cleartext header and grant, no content. */
export interface FeedCopy {
  seq: number;
  subject: string;
  noticeId: string;
  sender: string;
  recipient: string;
  level: 'operational' | 'strategic';
  headerSha256: Uint8Array;
  /** SHA-256 of the message bytes: what the submission's audit entry recorded for this delivery. */
  envelopeSha256: Uint8Array;
  schedule: RetentionSchedule;
  amendment?: { action: 'rectification' | 'erasure-request'; noticeId: string };
}

/** Reads one FEED message's header and grant; undefined for one that does not decode (left alone, logged). */
export function feedCopyOf(
  seq: number,
  subject: string,
  data: Uint8Array,
  settings: Pick<TopologySettings, 'feedMaxAgeDays'>,
): FeedCopy | undefined {
  try {
    const envelope = decodeEnvelope(data);
    const h = decodeHeader(envelope.header);
    const grant = fromBinary(DeliveryGrantSchema, envelope.countersignature?.grant ?? new Uint8Array());
    const schedule = retentionSchedule(
      {
        kind: h.kind,
        sources: h.sources,
        personalData: h.reviewAtMs > 0n,
        createdAt: Number(h.createdAtMs),
        reviewAt: Number(h.reviewAtMs),
        expiresAt: Number(h.expiresAtMs),
      },
      settings,
    );
    const copy: FeedCopy = {
      seq,
      subject,
      noticeId: h.noticeId,
      sender: h.sender,
      recipient: grant.recipient,
      level: grant.level === 'operational' ? 'operational' : 'strategic',
      headerSha256: sha256(envelope.header),
      envelopeSha256: sha256(data),
      schedule,
    };
    const a = h.amendment;
    if (a && a.action !== AmendmentAction.UNSPECIFIED)
      copy.amendment = {
        action: a.action === AmendmentAction.RECTIFICATION ? 'rectification' : 'erasure-request',
        noticeId: a.noticeId,
      };
    return copy;
  } catch {
    return undefined;
  }
}
