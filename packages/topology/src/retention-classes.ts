import { LEGAL_LIMITS, type NoticeKind } from '@liaison/notice';
import { DEFAULT_TOPOLOGY, type TopologySettings } from './retention.js';

const DAY_MS = 86_400_000;

/**
 * How long a notice's content may be kept, and what happens on the way (docs/policy.md,
 * "Retention classes"). One class per notice, from its kind, its sources and whether
 * it holds personal data — all in the signed cleartext header, so the gate, the
 * retention service, the stations and an auditor derive the same class.
 */
export const RETENTION_CLASSES = {
  /**
   * PNR/API-derived personal data (PNR Directive 2016/681 Art. 12): masked six months
   * after collection, deleted after five years; reviewed like any personal data.
   */
  'pnr-personal': {
    review: true,
    depersonaliseAfterMs: LEGAL_LIMITS.pnrDepersonaliseAfterMs,
    deleteAfterMs: LEGAL_LIMITS.pnrDeleteAfterMs,
  },
  /**
   * Other personal data (border alerts, hits without PNR sources): reviewed by the
   * review date (at most three years, Europol Regulation Art. 31) and erased then
   * unless a reasoned decision keeps it.
   */
  personal: { review: true, depersonaliseAfterMs: undefined, deleteAfterMs: undefined },
  /**
   * No personal data (threat notices, depersonalised hits): kept until the notice's
   * validity ends (`expiresAt`), at most three years when it states none.
   */
  'non-personal': {
    review: false,
    depersonaliseAfterMs: undefined,
    deleteAfterMs: LEGAL_LIMITS.personalDataReviewMs,
  },
} as const satisfies Record<
  string,
  { review: boolean; depersonaliseAfterMs: number | undefined; deleteAfterMs: number | undefined }
>;

export type RetentionClass = keyof typeof RETENTION_CLASSES;

/** What the class of a notice is derived from: signed header facts only. */
export interface RetentionFacts {
  kind: NoticeKind | string;
  sources: readonly string[];
  /** The header carries a review date (exactly when the notice holds personal data). */
  personalData: boolean;
  createdAt: number;
  /** The review date (ms), 0/undefined when none. */
  reviewAt?: number;
  /** The end of validity (ms), 0/undefined when none. */
  expiresAt?: number;
  /**
   * When the PNR data was collected (the body's `dataCollectedAt`): the Directive's
   * clocks run from then. Only holders of the content know it; the exchange uses the
   * creation time, which is later, and removes its copies far sooner anyway.
   */
  collectedAt?: number;
}

export function retentionClassOf(
  f: Pick<RetentionFacts, 'kind' | 'sources' | 'personalData'>,
): RetentionClass {
  if (!f.personalData) return 'non-personal';
  const pnr = f.kind === 'passenger-data-hit' || f.sources.includes('pnr') || f.sources.includes('api');
  return pnr ? 'pnr-personal' : 'personal';
}

/** The dates of one notice's lifecycle (ms since the epoch). */
export interface RetentionSchedule {
  class: RetentionClass;
  /** Personal data: review by then; erased then unless a reasoned decision keeps it. */
  reviewAt: number | undefined;
  /** PNR: the Art. 12(2) fields are masked in every copy from then on. */
  depersonaliseAt: number | undefined;
  /** When the content ends absent a review decision keeping it (the review date for personal data). */
  deleteAt: number;
  /**
   * The class's absolute limit, which no review decision extends (PNR: five years; no
   * personal data: its validity); undefined when only reviews bound it (other personal data).
   */
  limitAt: number | undefined;
  /**
   * When the exchange removes a delivery from FEED: the end of the delivery window, or
   * sooner when the class ends sooner (or, for an operational PNR copy, when its
   * identifying fields would have to be masked: the exchange cannot mask ciphertext).
   */
  exchangeRemoveAt: (level: 'operational' | 'strategic') => number;
  /**
   * When the retention service deletes the notice's delivery-ledger record: at the
   * class's absolute limit, never before the delivery window has ended (by then every
   * FEED copy is gone and any replay of the envelope is long past the gate's freshness
   * window: the replay guard no longer needs the record). Undefined for other personal
   * data (only reviews bound it: the ledger bucket's TTL is the end).
   */
  ledgerRemoveAt: number | undefined;
}

/** The delivery window: how long the exchange keeps a delivery for a recipient to fetch. */
export function deliveryWindowMs(s: Pick<TopologySettings, 'feedMaxAgeDays'> = DEFAULT_TOPOLOGY): number {
  return s.feedMaxAgeDays * DAY_MS;
}

/** A notice's lifecycle dates from its header facts (and, for holders of the content, the collection time). */
export function retentionSchedule(
  f: RetentionFacts,
  s: Pick<TopologySettings, 'feedMaxAgeDays'> = DEFAULT_TOPOLOGY,
): RetentionSchedule {
  const cls = retentionClassOf(f);
  const c = RETENTION_CLASSES[cls];
  const anchor = f.collectedAt && f.collectedAt > 0 ? Math.min(f.collectedAt, f.createdAt) : f.createdAt;
  const reviewAt = c.review ? f.reviewAt || f.createdAt + LEGAL_LIMITS.personalDataReviewMs : undefined;
  const depersonaliseAt = c.depersonaliseAfterMs === undefined ? undefined : anchor + c.depersonaliseAfterMs;
  let deleteAt: number;
  if (cls === 'non-personal') deleteAt = f.expiresAt || f.createdAt + c.deleteAfterMs!;
  else if (c.deleteAfterMs !== undefined) deleteAt = anchor + c.deleteAfterMs;
  else deleteAt = reviewAt!;
  const window = f.createdAt + deliveryWindowMs(s);
  return {
    class: cls,
    reviewAt,
    depersonaliseAt,
    deleteAt,
    limitAt: cls === 'personal' ? undefined : deleteAt,
    ledgerRemoveAt: cls === 'personal' ? undefined : Math.max(deleteAt, window),
    exchangeRemoveAt: (level) =>
      Math.min(window, deleteAt, level === 'operational' && depersonaliseAt ? depersonaliseAt : Infinity),
  };
}
