import type { HeaderTerms, OpenedNotice } from '@liaison/envelope';
import type { SentJournal, SentNotice } from './sent-journal.js';
import type { ReceiptStatus, ReplayItem } from './types.js';

/** One notice of a case as this agency may see it: one it sent or one delivered to it. */
export interface CaseItem {
  noticeId: string;
  direction: 'sent' | 'received';
  sender: string;
  kind: string;
  createdAt: string;
  /** What the notice answers or forwards (its provenance), and the grant a forward cites. */
  relation?: 'reply' | 'forward';
  answers?: string;
  permission?: string;
  /** Received: the level this agency was given. */
  level?: string;
  /** Sent: each recipient with its level and whether it sent its read receipt. */
  recipients?: { recipient: string; level: string; read: boolean }[];
  /** The signed conversation terms (deadline, answer, permission, hit, confirmation). */
  terms: Omit<HeaderTerms, 'provenance'>;
}

/** A case's thread as one agency may rebuild it. */
export interface CaseThread {
  reference: string;
  agency: string;
  items: CaseItem[];
  /** Notices the thread's provenance names that this agency neither sent nor was given. */
  unseen: string[];
}

/** What `caseThread` needs of a client (`LiaisonClient` has it all). */
export interface CaseSource {
  readonly agency: string;
  readonly sent: SentJournal;
  replay(o: { since: Date | number; signal?: AbortSignal }): AsyncIterable<ReplayItem>;
  receiptsFor(noticeId: string): Promise<ReceiptStatus[]>;
}

const FEED_RETENTION_MS = 30 * 24 * 3600_000;

function termsOf(c: HeaderTerms): CaseItem['terms'] {
  const { provenance: _p, ...rest } = c;
  return rest;
}

function provenanceOf(c: HeaderTerms): Pick<CaseItem, 'relation' | 'answers' | 'permission'> {
  const p = c.provenance;
  if (!p) return {};
  return {
    relation: p.relation,
    answers: p.noticeId,
    ...(p.permission ? { permission: p.permission.noticeId } : {}),
  };
}

function received(n: OpenedNotice): CaseItem {
  return {
    noticeId: n.noticeId,
    direction: 'received',
    sender: n.sender,
    kind: n.kind,
    createdAt: n.createdAt.toISOString(),
    ...provenanceOf(n.conversation),
    level: n.level,
    terms: termsOf(n.conversation),
  };
}

async function sent(n: SentNotice, agency: string, status: ReceiptStatus[]): Promise<CaseItem> {
  const read = new Set(status.filter((s) => s.readAt !== undefined).map((s) => s.recipient));
  return {
    noticeId: n.noticeId,
    direction: 'sent',
    sender: agency,
    kind: n.kind,
    createdAt: n.createdAt,
    ...provenanceOf(n.conversation),
    recipients: n.recipients.map((r) => ({ ...r, read: read.has(r.recipient) })),
    terms: termsOf(n.conversation),
  };
}

/**
 * Rebuilds a case's thread — requests, answers, replies, forwards, permission requests
 * and grants, hit queries and answers, with the read receipts of what this agency sent —
 * from what this agency may see: the notices it sent (its journal) and the deliveries
 * stored for it (replayed from the feed, `since` default 30 days, the feed's retention).
 * The case reference is sealed content: the match is made here, after opening. Ordered
 * by creation time.
 *
 * @example
 * const thread = await caseThread(client, 'DE-BKA-2026-7731');
 */
export async function caseThread(
  client: CaseSource,
  reference: string,
  options: { since?: Date | number; signal?: AbortSignal } = {},
): Promise<CaseThread> {
  const items = new Map<string, CaseItem>();
  for (const n of await client.sent.list())
    if (n.markings.caseReference === reference && !items.has(n.noticeId))
      items.set(n.noticeId, await sent(n, client.agency, await client.receiptsFor(n.noticeId)));
  const since = options.since ?? Date.now() - FEED_RETENTION_MS;
  for await (const r of client.replay({ since, ...(options.signal ? { signal: options.signal } : {}) }))
    if (r.notice.markings.caseReference === reference && !items.has(r.notice.noticeId))
      items.set(r.notice.noticeId, received(r.notice));
  const ordered = [...items.values()].sort(
    (a, b) => a.createdAt.localeCompare(b.createdAt) || a.noticeId.localeCompare(b.noticeId),
  );
  const named = ordered.flatMap((i) => [i.answers, i.permission]).filter((x): x is string => !!x);
  const unseen = [...new Set(named.filter((id) => !items.has(id)))];
  return { reference, agency: client.agency, items: ordered, unseen };
}
