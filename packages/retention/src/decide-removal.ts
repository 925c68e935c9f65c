import type { ErasureCode } from '@liaison/audit-log';
import type { FeedCopy } from './feed-copies.js';

/** Why and when one copy goes, or undefined while it stays. */
export interface Removal {
  code: ErasureCode;
  /** When its time in FEED ended (recorded in the erasure entry). */
  endsAt: number;
  amendmentId?: string;
}

/** Amendments seen in FEED: per (amended notice, recipient), the latest one (by FEED sequence). */
export type Amendments = Map<
  string,
  { action: 'rectification' | 'erasure-request'; id: string; seq: number }
>;

export const amendmentKey = (noticeId: string, recipient: string) => `${noticeId}/${recipient}`;

/** Records the amendments among FEED copies (the latest per amended notice and recipient wins). */
export function collectAmendments(copies: Iterable<FeedCopy>): Amendments {
  const out: Amendments = new Map();
  for (const c of copies) {
    if (!c.amendment) continue;
    const key = amendmentKey(c.amendment.noticeId, c.recipient);
    const known = out.get(key);
    if (!known || known.seq < c.seq) out.set(key, { action: c.amendment.action, id: c.noticeId, seq: c.seq });
  }
  return out;
}

/**
 * When a FEED copy must go: at once when its provider later asked for the erasure of
 * the notice or rectified it (for this recipient) — an earlier rectification of the
 * same notice goes too; otherwise at the end of the delivery window or of its
 * retention class, whichever is first (an operational PNR copy no later than its
 * depersonalisation date: the exchange cannot mask ciphertext, so it removes it).
 */
export function removalOf(copy: FeedCopy, amendments: Amendments, now: number): Removal | undefined {
  const target = copy.amendment?.action === 'rectification' ? copy.amendment.noticeId : copy.noticeId;
  const later = amendments.get(amendmentKey(target, copy.recipient));
  if (later && later.seq > copy.seq)
    return {
      code: later.action === 'erasure-request' ? 'ERASURE_REQUESTED' : 'RECTIFIED',
      endsAt: now,
      amendmentId: later.id,
    };
  const s = copy.schedule;
  const endsAt = s.exchangeRemoveAt(copy.level);
  if (now < endsAt) return undefined;
  const code: ErasureCode =
    endsAt === s.deleteAt
      ? 'RETENTION_ENDED'
      : copy.level === 'operational' && endsAt === s.depersonaliseAt
        ? 'DEPERSONALISATION_DUE'
        : 'DELIVERY_WINDOW_ENDED';
  return { code, endsAt };
}
