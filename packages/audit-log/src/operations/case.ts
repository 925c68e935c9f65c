import { conversationFromHeader, type HeaderTerms } from '@liaison/envelope';
import type { LogAccess } from '@liaison/log-reader';
import { STREAMS } from '@liaison/topology';
import {
  type AuditEntry,
  AuditEntryKind,
  fromBinary,
  type NoticeHeader,
  NoticeHeaderSchema,
} from '@liaison/wire';
import { z } from 'zod';
import { AuditError } from '../errors.js';
import { readRecords } from '../read-log.js';
import { decodeRecord } from '../records.js';
import { parseQuery } from './parse-query.js';
import { readingStream } from './stream-missing.js';

export const CaseQuerySchema = z
  .object({
    /** Any notice of the case: the thread is everything linked to it by provenance. */
    notice: z.uuid(),
    stream: z.string().min(1).optional(),
  })
  .strict();
export type CaseQuery = z.input<typeof CaseQuerySchema>;

/** One notice of a case as the audit log records it: metadata and signed terms only. */
export interface AuditCaseItem {
  /** The log record of its submission entry. */
  index: number;
  noticeId: string;
  at: string;
  sender: string;
  kind: string;
  relation?: 'reply' | 'forward';
  answers?: string;
  permission?: string;
  terms: Omit<HeaderTerms, 'provenance'>;
  /** Recipients given something, with the level. */
  delivered: { recipient: string; level: string }[];
  /** Read receipts recorded (recipient, when). */
  read: { recipient: string; at: string }[];
  /** The deadline service's escalations (stage, requested agency, when). */
  escalations: { recipient: string; stage: string; at: string }[];
}

export interface AuditCaseThread {
  notice: string;
  items: AuditCaseItem[];
}

function headerOf(e: AuditEntry): NoticeHeader | undefined {
  if (!e.header.length) return undefined;
  try {
    return fromBinary(NoticeHeaderSchema, e.header);
  } catch {
    return undefined;
  }
}

/** The notices a header links to: what it answers or forwards, the grant cited, the notice a permission concerns. */
function linksOf(t: HeaderTerms | undefined): string[] {
  if (!t) return [];
  return [t.provenance?.noticeId, t.provenance?.permission?.noticeId, t.permission?.noticeId].filter(
    (x): x is string => !!x,
  );
}

class Components {
  private readonly parent = new Map<string, string>();
  find(x: string): string {
    let r = x;
    while (this.parent.has(r) && this.parent.get(r) !== r) r = this.parent.get(r)!;
    this.parent.set(x, r);
    return r;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra, rb);
  }
}

/**
 * The auditor's version of a case's thread, from the audit log alone: the case
 * reference is sealed (the log holds digests and signed headers, never content), so a
 * case is linked the way its notices link themselves — every reply, forward, answer,
 * permission and follow-up names its origin by id and header digest in its signed
 * header (`provenance`; a permission also names the notice it concerns). The thread of
 * `notice` is everything connected to it by those links (in both directions), with the
 * deliveries, read receipts and escalations the log records. NOT_FOUND when the log has
 * no submission of that notice. Decision: docs/decisions/0015-two-step-hit-no-hit.md.
 */
export async function auditCase(nc: LogAccess, query: CaseQuery): Promise<AuditCaseThread> {
  const q = parseQuery(CaseQuerySchema, query, 'case query');
  const stream = q.stream ?? STREAMS.audit;
  return readingStream(stream, async () => {
    const items = new Map<string, AuditCaseItem>();
    const reads: AuditEntry[] = [];
    const groups = new Components();
    for await (const { data } of readRecords(nc, stream)) {
      const { record, entry: e } = decodeRecord(data);
      const index = record.index;
      if (e.kind === AuditEntryKind.READ || e.kind === AuditEntryKind.ESCALATION) reads.push(e);
      if (e.kind !== AuditEntryKind.SUBMISSION) continue;
      const h = headerOf(e);
      if (!h || items.has(h.noticeId)) continue;
      const t = conversationFromHeader(h);
      for (const l of linksOf(t)) groups.union(h.noticeId, l);
      const p = t?.provenance;
      const { provenance: _p, ...terms } = t ?? {};
      items.set(h.noticeId, {
        index: Number(index),
        noticeId: h.noticeId,
        at: new Date(Number(e.atMs)).toISOString(),
        sender: h.sender,
        kind: h.kind,
        ...(p ? { relation: p.relation, answers: p.noticeId } : {}),
        ...(p?.permission ? { permission: p.permission.noticeId } : {}),
        terms,
        delivered: e.decisions
          .filter((d) => d.level !== 'none' && d.level !== '')
          .map((d) => ({ recipient: d.recipient, level: d.level })),
        read: [],
        escalations: [],
      });
    }
    if (!items.has(q.notice)) throw new AuditError('NOT_FOUND', `no submission of ${q.notice} in the log`);
    const root = groups.find(q.notice);
    const thread = [...items.values()].filter((i) => groups.find(i.noticeId) === root);
    const byId = new Map(thread.map((i) => [i.noticeId, i]));
    for (const e of reads) {
      const item = byId.get(e.noticeId);
      const at = new Date(Number(e.atMs)).toISOString();
      if (item && e.kind === AuditEntryKind.READ) item.read.push({ recipient: e.recipient, at });
      if (item && e.kind === AuditEntryKind.ESCALATION)
        item.escalations.push({ recipient: e.recipient, stage: e.code, at });
    }
    return { notice: q.notice, items: thread.sort((a, b) => a.index - b.index) };
  });
}
