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

/** How long deliveries stay in FEED and RECEIPTS, in nanoseconds. */
export function feedMaxAgeNs(s: Pick<TopologySettings, 'feedMaxAgeDays'>): number {
  return s.feedMaxAgeDays * DAY_MS * 1_000_000;
}

/**
 * The delivery ledger's bucket options: records live as long as the deliveries. Reads
 * go to the stream's leader (`allow_direct: false`): with direct gets any replica answers,
 * and one that is still catching up (a node just restarted) answers "no such record" for
 * a notice the gate has delivered — its read receipts were then refused as NOT_DELIVERED
 * and lost (found by the fault campaign, docs/exchange.md). The replay guard and the
 * read-once mark need to read what was written.
 */
export function deliveriesBucketOptions(s: Pick<TopologySettings, 'feedMaxAgeDays' | 'replicas'>): {
  ttl: number;
  replicas: number;
  allow_direct: false;
} {
  return { ttl: s.feedMaxAgeDays * DAY_MS, replicas: s.replicas, allow_direct: false };
}
