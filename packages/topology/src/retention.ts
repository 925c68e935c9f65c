import { LEGAL_LIMITS } from '@liaison/notice';

const MINUTE_NS = 60_000_000_000;
const DAY_MS = 86_400_000;

/** What the topology depends on that an operator may configure. */
export interface TopologySettings {
  /** Subject prefix (default "liaison"). */
  prefix: string;
  /** Stream and bucket replicas: 1, or 3 in a cluster. */
  replicas: number;
  /** How long deliveries, receipts and ledger records are kept. */
  feedMaxAgeDays: number;
  /** Largest accepted envelope (the intake stream takes twice that). */
  maxEnvelopeBytes: number;
}

export const DEFAULT_TOPOLOGY: TopologySettings = {
  prefix: 'liaison',
  replicas: 1,
  feedMaxAgeDays: 30,
  maxEnvelopeBytes: 256 * 1024,
};

/** Deduplication windows (ns): a retried publish with the same `Nats-Msg-Id` within one is dropped. */
export const DUPLICATE_WINDOW_NS = {
  /** Intake and policy: a retry comes within a leader election. */
  short: 2 * MINUTE_NS,
  /** Deliveries, receipts, acks, audit: the gate may redeliver after its ack wait. */
  long: 10 * MINUTE_NS,
} as const;

/** How long receipts stay in RECEIPTS (the delivery window), in nanoseconds. */
export function feedMaxAgeNs(s: Pick<TopologySettings, 'feedMaxAgeDays'>): number {
  return s.feedMaxAgeDays * DAY_MS * 1_000_000;
}

/**
 * FEED's age limit, in nanoseconds: the delivery window plus a week. The retention
 * service removes (and records) each delivery at the end of the window or of its
 * retention class, whichever comes first; this limit is only a backstop.
 */
export function feedBackstopNs(s: Pick<TopologySettings, 'feedMaxAgeDays'>): number {
  return (s.feedMaxAgeDays * DAY_MS + FEED_BACKSTOP_GRACE_MS) * 1_000_000;
}

/**
 * A week: what FEED's age limit adds to the delivery window, in case the retention
 * service is down. A delivery that goes this way is not recorded as erased, and
 * `audit verify --content` reports it (CONTENT_EXPIRED_UNRECORDED).
 */
export const FEED_BACKSTOP_GRACE_MS = 7 * DAY_MS;

/**
 * The delivery ledger's bucket options: records (metadata only) live as long as any
 * copy of the content may (the PNR class's five years, and a month), so that a
 * rectification or an erasure request still finds every recipient of the original.
 * Reads go to the stream's leader (`allow_direct: false`): with direct gets any replica
 * answers, and one that is still catching up (a node just restarted) answers "no such
 * record" for a notice the gate has delivered — its read receipts were then refused as
 * NOT_DELIVERED and lost (found by the fault campaign, docs/exchange.md). The replay guard
 * and the read-once mark need to read what was written.
 */
export function deliveriesBucketOptions(s: Pick<TopologySettings, 'replicas'>): {
  ttl: number;
  replicas: number;
  allow_direct: false;
} {
  return { ttl: LEDGER_TTL_MS, replicas: s.replicas, allow_direct: false };
}

/**
 * The retention service's state bucket: one value per key (history 1), read from the
 * stream's leader like the ledger; entries left behind expire with the ledger's TTL.
 */
export function retentionBucketOptions(s: Pick<TopologySettings, 'replicas'>): {
  ttl: number;
  history: number;
  replicas: number;
  allow_direct: false;
} {
  return { ttl: LEDGER_TTL_MS, history: 1, replicas: s.replicas, allow_direct: false };
}

/** The PNR Directive's five years and a month. */
const LEDGER_TTL_MS = Math.round(LEGAL_LIMITS.pnrDeleteAfterMs) + 30 * DAY_MS;
