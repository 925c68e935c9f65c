import {
  type AgencyKeys,
  type AmendmentReason,
  type AmendmentRequest,
  erasureRequestNotice,
  type ReadReceipt,
  type Sealed,
  type SubmissionReceipt,
  seal,
} from '@liaison/envelope';
import type { NoticeKind } from '@liaison/notice';
import { ClientError } from './errors.js';

export type { AmendmentReason, AmendmentRequest };

export interface ErasureRequestOptions {
  /** The amended notice's kind and crime areas (the request is filed beside it). */
  kind: NoticeKind;
  crimeAreas: readonly string[];
  reason: AmendmentReason;
  timeoutMs?: number;
}

/** One recipient's confirmation of an amendment, or none yet. */
export interface AmendmentConfirmation {
  recipient: string;
  confirmed: boolean;
  /** What its station signed it did: RECTIFIED, ERASED, NOT_HELD. */
  outcome?: string;
  at?: number;
}

/** What an amendment names: the original's recipients (its receipt lists them) and header digest. */
export function amendmentTarget(
  agency: string,
  original: SubmissionReceipt,
): { recipients: string[]; headerSha256: string } {
  if (original.status !== 'accepted' || !original.headerSha256 || original.sender !== agency)
    throw new ClientError('NOT_AMENDABLE', 'only an accepted notice of this agency can be amended');
  return { recipients: original.recipients.map((r) => r.recipient), headerSha256: original.headerSha256 };
}

/** A rectification's audience (the original's recipients) and what it amends. */
export function rectificationOf(
  agency: string,
  original: SubmissionReceipt,
  reason: AmendmentReason,
): { audience: { recipients: string[] }; amendment: AmendmentRequest } {
  const target = amendmentTarget(agency, original);
  return {
    audience: { recipients: target.recipients },
    amendment: {
      action: 'rectification',
      noticeId: original.noticeId,
      headerSha256: target.headerSha256,
      reason,
    },
  };
}

/**
 * An erasure request for one of the sender's notices: a signed header naming the
 * notice (id, header digest) and the reason, no layers, no wraps, for exactly the
 * original's recipients — the gate delivers it to each whatever its agreement is now.
 */
export function sealErasureRequest(
  keys: AgencyKeys,
  original: SubmissionReceipt,
  o: ErasureRequestOptions,
): Promise<Sealed> {
  const target = amendmentTarget(keys.agency, original);
  return seal({
    notice: erasureRequestNotice(o.kind, o.crimeAreas),
    sender: keys,
    recipients: [],
    audience: { recipients: target.recipients },
    createdAt: new Date(),
    amendment: {
      action: 'erasure-request',
      noticeId: original.noticeId,
      headerSha256: target.headerSha256,
      reason: o.reason,
    },
  });
}

export function confirmationsOf(
  status: readonly { recipient: string; applied?: NonNullable<ReadReceipt['applied']> }[],
): AmendmentConfirmation[] {
  return status.map((r) => ({
    recipient: r.recipient,
    confirmed: r.applied !== undefined,
    ...(r.applied ? { outcome: r.applied.outcome, at: r.applied.at } : {}),
  }));
}
