import { NOTICE_KINDS } from '@liaison/notice';

/** Durable consumer names of the services (the gate's are shared by all its instances). */
export const DURABLES = {
  /** The gates' consumer of INTAKE. */
  gate: 'gate',
  /** The gates' consumer of ACKS. */
  gateAcks: 'gate-acks',
  /** The audit log's consumer of AUDIT_IN. */
  auditLog: 'audit-log',
} as const;

/** An agency's durable consumer of its feed: `feed-<agency>`, or `feed-<agency>-<kind>` for one kind. */
export function feedDurable(agency: string, kind?: string): string {
  return kind ? `feed-${agency}-${kind}` : `feed-${agency}`;
}

/** Every feed durable an agency may use: its whole feed, and one per notice kind. */
export function feedDurables(agency: string): string[] {
  return [feedDurable(agency), ...NOTICE_KINDS.map((k) => feedDurable(agency, k))];
}

/** A gate's short-lived reader of one notice's receipts (receipts queries): `receipts-<gate>-<nonce>`. */
export function receiptConsumerName(reader: string, nonce: string): string {
  return `receipts-${reader}-${nonce}`;
}

/** A gate's short-lived reader of one agency's feed (replay requests): `replay-<gate>-<nonce>`. */
export function replayConsumerName(reader: string, nonce: string): string {
  return `replay-${reader}-${nonce}`;
}
