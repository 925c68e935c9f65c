import { decodeRecord, readRecords, verifyLog } from '@liaison/audit-log';
import { decodeEnvelope, decodeHeader, verifyReceipt } from '@liaison/envelope';
import { resolverOf } from '@liaison/registry';
import { STREAMS } from '@liaison/topology';
import { AuditEntryKind } from '@liaison/wire';
import type { Seen, Sent } from './agencies.js';
import { AUDIT_LOG_ID, type ClusterExchange } from './exchange.js';
import { readAll } from './read-stream.js';

/** What the exchange did, checked against the senders' and recipients' own records. */
export interface Findings {
  notices: number;
  /** Publishes the sender gave up on (never stored by the broker: the sender knows). */
  givenUp: number;
  accepted: number;
  rejected: Record<string, number>;
  /** Stored notices the gate never answered. */
  unanswered: string[];
  /** Notices answered both accepted and rejected. */
  conflicting: string[];
  deliveries: number;
  expectedDeliveries: number;
  /** `<notice> → <recipient>` entitled (in the accepted receipt) but not on its feed. */
  lost: string[];
  /** `<notice> → <recipient>` on its feed more than once. */
  duplicated: string[];
  /** `<notice> → <recipient>` on a feed without being in the accepted receipt and the plan. */
  notEntitled: string[];
  /** Entitled deliveries the recipient's reader never saw. */
  unseen: string[];
  /** Deliveries handed to a reader more than once (at-least-once consumption; not a fault). */
  redeliveredToReaders: number;
  readReceiptsSent: number;
  readReceiptsRelayed: number;
  readLost: string[];
  readDuplicated: string[];
  auditRecords: number;
  auditDiscrepancies: string[];
  /** Accepted notices whose SUBMISSION entry is not in the log exactly once (or entries of notices not accepted). */
  auditNotOnce: string[];
  maxDeliveryDelayMs: number;
  p99DeliveryDelayMs: number;
}

export async function check(x: ClusterExchange, sent: Sent[], seen: Seen[]): Promise<Findings> {
  await x.store.refresh();
  const snapshot = x.store.registry.current;
  const resolve = resolverOf(snapshot);
  const stored = sent.filter((s) => s.stored);
  const byId = new Map(stored.map((s) => [s.noticeId, s]));

  // The answers, as the senders' receipt subjects hold them.
  const answers = new Map<string, { accepted?: string[]; rejected?: string }>();
  const reads = new Map<string, number>();
  for await (const { data } of readAll(x.admin, STREAMS.receipts)) {
    const { receipt } = await verifyReceipt(new TextDecoder().decode(data), resolve);
    if (receipt.type === 'submission') {
      const a = answers.get(receipt.noticeId) ?? {};
      if (receipt.status === 'accepted') a.accepted = receipt.recipients.map((r) => r.recipient);
      else a.rejected = receipt.code ?? 'REJECTED';
      answers.set(receipt.noticeId, a);
    } else {
      const key = `${receipt.noticeId} → ${receipt.recipient}`;
      reads.set(key, (reads.get(key) ?? 0) + 1);
    }
  }

  // The deliveries, as the feeds hold them.
  const feeds = new Map<string, number>();
  let deliveries = 0;
  for await (const { subject, data } of readAll(x.admin, STREAMS.feed)) {
    const tokens = subject.split('.');
    const recipient = tokens[tokens.length - 2]!;
    const noticeId = decodeHeader(decodeEnvelope(data).header).noticeId;
    const key = `${noticeId} → ${recipient}`;
    feeds.set(key, (feeds.get(key) ?? 0) + 1);
    deliveries++;
  }

  const f: Findings = {
    notices: sent.length,
    givenUp: sent.length - stored.length,
    accepted: 0,
    rejected: {},
    unanswered: [],
    conflicting: [],
    deliveries,
    expectedDeliveries: 0,
    lost: [],
    duplicated: [],
    notEntitled: [],
    unseen: [],
    redeliveredToReaders: seen.filter((s) => s.times > 1).length,
    readReceiptsSent: 0,
    readReceiptsRelayed: [...reads.values()].reduce((a, b) => a + b, 0),
    readLost: [],
    readDuplicated: [],
    auditRecords: 0,
    auditDiscrepancies: [],
    auditNotOnce: [],
    maxDeliveryDelayMs: 0,
    p99DeliveryDelayMs: 0,
  };
  const entitled = new Set<string>();
  for (const s of stored) {
    const a = answers.get(s.noticeId);
    if (!a) f.unanswered.push(s.noticeId);
    else if (a.accepted && a.rejected) f.conflicting.push(s.noticeId);
    else if (a.rejected) f.rejected[a.rejected] = (f.rejected[a.rejected] ?? 0) + 1;
    if (!a?.accepted) continue;
    f.accepted++;
    for (const r of a.accepted) if (s.planned.includes(r)) entitled.add(`${s.noticeId} → ${r}`);
  }
  f.expectedDeliveries = entitled.size;
  for (const key of entitled) {
    const n = feeds.get(key) ?? 0;
    if (n === 0) f.lost.push(key);
    if (n > 1) f.duplicated.push(key);
  }
  for (const [key, n] of feeds) if (!entitled.has(key)) f.notEntitled.push(`${key} (×${n})`);

  const seenBy = new Map(seen.map((s) => [`${s.noticeId} → ${s.recipient}`, s]));
  const delays: number[] = [];
  for (const key of entitled) {
    const s = seenBy.get(key);
    if (!s) {
      f.unseen.push(key);
      continue;
    }
    delays.push(s.firstAt - byId.get(s.noticeId)!.publishedAt);
    if (!s.readSent) continue;
    f.readReceiptsSent++;
    const n = reads.get(key) ?? 0;
    if (n === 0) f.readLost.push(key);
    if (n > 1) f.readDuplicated.push(key);
  }
  delays.sort((a, b) => a - b);
  f.maxDeliveryDelayMs = delays.at(-1) ?? 0;
  f.p99DeliveryDelayMs = delays[Math.floor(delays.length * 0.99)] ?? 0;

  // The audit log: verified as an auditor would, and every accepted submission in it once.
  const k = x.keys.get(AUDIT_LOG_ID)!.signing;
  const report = await verifyLog({
    nc: x.admin,
    registry: x.store.registry,
    logKey: { name: AUDIT_LOG_ID, publicRaw: k.publicRaw, publicKey: k.publicKey },
  });
  f.auditDiscrepancies = report.discrepancies.map((d) => JSON.stringify(d));
  const submissions = new Map<string, number>();
  for await (const { data } of readRecords(x.admin, STREAMS.audit)) {
    f.auditRecords++;
    const { entry } = decodeRecord(data);
    if (entry.kind === AuditEntryKind.SUBMISSION)
      submissions.set(entry.noticeId, (submissions.get(entry.noticeId) ?? 0) + 1);
  }
  for (const s of stored) {
    const n = submissions.get(s.noticeId) ?? 0;
    const accepted = answers.get(s.noticeId)?.accepted !== undefined;
    if ((accepted && n !== 1) || (!accepted && n !== 0)) f.auditNotOnce.push(`${s.noticeId} (×${n})`);
  }
  return f;
}

/** Whether nothing was lost, duplicated, misdelivered, left unanswered or left out of the log. */
export function passed(f: Findings): boolean {
  return (
    f.unanswered.length +
      f.conflicting.length +
      f.lost.length +
      f.duplicated.length +
      f.notEntitled.length +
      f.unseen.length +
      f.readLost.length +
      f.readDuplicated.length +
      f.auditDiscrepancies.length +
      f.auditNotOnce.length ===
    0
  );
}
