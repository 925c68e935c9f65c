import type { ErasureCode } from '@liaison/audit-log';
import type { FeedCopy } from './feed-copies.js';

/** Why and when one copy goes. */
export interface Removal {
  code: ErasureCode;
  /** When its time in FEED ends (recorded in the erasure entry). */
  endsAt: number;
  amendmentId?: string;
}

/**
 * When a FEED copy goes absent any amendment: at the end of the delivery window or of
 * its retention class, whichever is first (an operational PNR copy no later than its
 * depersonalisation date: the exchange cannot mask ciphertext, so it removes it).
 */
export function scheduledRemoval(copy: FeedCopy): Removal {
  const s = copy.schedule;
  const endsAt = s.exchangeRemoveAt(copy.level);
  const code: ErasureCode =
    endsAt === s.deleteAt
      ? 'RETENTION_ENDED'
      : copy.level === 'operational' && endsAt === s.depersonaliseAt
        ? 'DEPERSONALISATION_DUE'
        : 'DELIVERY_WINDOW_ENDED';
  return { code, endsAt };
}

/**
 * The notice an amendment of this copy's would name: a rectification stands for the
 * notice it rectifies (an erasure request for that notice, or a later rectification,
 * removes it too); any other copy stands for itself.
 */
export function amendmentTargetOf(copy: FeedCopy): string {
  return copy.amendment?.action === 'rectification' ? copy.amendment.noticeId : copy.noticeId;
}

/** What an amendment copy does to the older copies of the notice it names, for its recipient: they go now. */
export function amendmentRemoval(amendment: FeedCopy, now: number): Removal | undefined {
  if (!amendment.amendment) return undefined;
  return {
    code: amendment.amendment.action === 'erasure-request' ? 'ERASURE_REQUESTED' : 'RECTIFIED',
    endsAt: now,
    amendmentId: amendment.noticeId,
  };
}
