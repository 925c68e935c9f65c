/** The exchange's stream names (see docs/architecture.md). */
export const STREAMS = {
  intake: 'INTAKE',
  feed: 'FEED',
  receipts: 'RECEIPTS',
  acks: 'ACKS',
  auditIn: 'AUDIT_IN',
  audit: 'AUDIT',
  auditCheckpoints: 'AUDIT_CHECKPOINTS',
  policy: 'POLICY',
} as const;

export type StreamName = (typeof STREAMS)[keyof typeof STREAMS];

/** The streams the gate creates if missing (AUDIT_IN too: whichever of gate and audit log starts first). */
export const GATE_STREAMS: readonly StreamName[] = [
  STREAMS.intake,
  STREAMS.feed,
  STREAMS.receipts,
  STREAMS.acks,
  STREAMS.auditIn,
];

/** The streams the audit log's writer creates if missing. */
export const AUDIT_LOG_STREAMS: readonly StreamName[] = [
  STREAMS.auditIn,
  STREAMS.audit,
  STREAMS.auditCheckpoints,
];

/**
 * The streams the log reader serves (docs/decisions/0014): the audit log, its checkpoints,
 * the policy log and the deliveries (cleartext headers and ciphertext, for
 * `audit verify --content`). Auditors read all four, administrators the policy log.
 */
export const READABLE_STREAMS: readonly StreamName[] = [
  STREAMS.audit,
  STREAMS.auditCheckpoints,
  STREAMS.policy,
  STREAMS.feed,
];

/** The KV bucket holding the replay guard and delivery ledger (one record per notice). */
export const DELIVERIES_BUCKET = 'LIAISON_DELIVERIES';

/**
 * The retention service's own state (docs/lifecycle.md, "The sweep's cursor"): how far
 * it has read FEED, and what it has still to remove and when — metadata only.
 */
export const RETENTION_BUCKET = 'LIAISON_RETENTION';

/** The stream behind a KV bucket (`KV_<bucket>`). */
export function kvStreamName(bucket: string): string {
  return `KV_${bucket}`;
}

/** Every subject of a KV bucket (`$KV.<bucket>.>`). */
export function kvSubjects(bucket: string): string {
  return `$KV.${bucket}.>`;
}

/** One key's subject in a KV bucket (`$KV.<bucket>.<key>`; a key may end in a wildcard for a filter). */
export function kvKeySubject(bucket: string, key: string): string {
  return `$KV.${bucket}.${key}`;
}
