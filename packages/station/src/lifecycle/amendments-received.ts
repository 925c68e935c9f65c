import type { AccessLog } from '../access-log.js';
import type { Inbox } from '../inbox.js';

/** A provider's rectification or erasure request this station applied, and its confirmation. */
export interface AmendmentReceived {
  /** The amendment notice's id. */
  amendmentId: string;
  sender: string;
  action: 'rectification' | 'erasure-request';
  /** The provider's reason token (`inaccurate`, `wrongly-identified`, …). */
  reason: string;
  /** When the station applied it (the first access-log entry). */
  appliedAt: number;
  /** The notices it replaced or erased here. */
  notices: string[];
  /** When the signed confirmation (a read receipt with `applied`) went to the provider; undefined: not yet. */
  confirmedAt: number | undefined;
}

/**
 * The amendments applied here, newest first, from the access log's entries the station
 * wrote on the provider's request (codes and ids, never content) and the confirmation
 * time kept on the amendment's inbox line.
 */
export function amendmentsReceived(log: AccessLog, inbox: Inbox, limit = 200): AmendmentReceived[] {
  const byId = new Map<string, AmendmentReceived>();
  for (const { entry } of log.query({ limit: 10_000 })) {
    const l = entry.lifecycle;
    if (entry.purpose !== 'provider-amendment' || !l?.amendmentId || !entry.notice) continue;
    const at = Date.parse(entry.at);
    const known = byId.get(l.amendmentId);
    if (known) {
      if (!known.notices.includes(entry.notice.id)) known.notices.push(entry.notice.id);
      known.appliedAt = Math.min(known.appliedAt, at);
      continue;
    }
    if (byId.size >= limit) continue;
    let confirmedAt: number | undefined;
    try {
      confirmedAt = inbox.entry(l.amendmentId).receiptSentAt;
    } catch {
      confirmedAt = undefined;
    }
    byId.set(l.amendmentId, {
      amendmentId: l.amendmentId,
      sender: entry.notice.sender,
      action: l.code === 'RECTIFIED' ? 'rectification' : 'erasure-request',
      reason: l.reason ?? '',
      appliedAt: at,
      notices: [entry.notice.id],
      confirmedAt,
    });
  }
  return [...byId.values()].sort((a, b) => b.appliedAt - a.appliedAt);
}
