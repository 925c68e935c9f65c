import type { LogAccess } from '@liaison/log-reader';
import { STREAMS } from '@liaison/topology';
import {
  AuditEntryKind,
  type DeliveryGrant,
  DeliveryGrantSchema,
  fromBinary,
  NoticeHeaderSchema,
} from '@liaison/wire';
import { z } from 'zod';
import { readRecords } from '../read-log.js';
import { decodeRecord } from '../records.js';
import { parseQuery } from './parse-query.js';
import { readingStream } from './stream-missing.js';

export const KIND_NAMES: Record<number, string> = {
  [AuditEntryKind.SUBMISSION]: 'submission',
  [AuditEntryKind.REJECTION]: 'rejection',
  [AuditEntryKind.READ]: 'read',
  [AuditEntryKind.ERASURE]: 'erasure',
  [AuditEntryKind.ESCALATION]: 'escalation',
  [AuditEntryKind.STATION_CHECKPOINT]: 'station-checkpoint',
};

export const HistoryQuerySchema = z
  .object({
    /** Only rows where this agency sent or received. */
    agency: z.string().min(1).optional(),
    /** Only rows of this notice. */
    notice: z.string().min(1).optional(),
    stream: z.string().min(1).optional(),
  })
  .strict();
export type HistoryQuery = z.input<typeof HistoryQuerySchema>;

/** One line of the history: metadata only, never notice content. */
export interface HistoryRow {
  at: string;
  event: string;
  notice: string;
  kind: string;
  from: string;
  to: string;
  level: string;
  why: string;
  revision: string;
  /**
   * The fields whose screening the sender overrode for this notice (signed in its
   * header, `screening_overrides`), comma-separated; '' when none (or not known).
   */
  overrides: string;
}

/**
 * Who sent what kind to whom, at which level, when and why (reason codes,
 * registry revision), read from the log's entries. LOG_MISSING without a log.
 */
export async function auditHistory(nc: LogAccess, query: HistoryQuery = {}): Promise<HistoryRow[]> {
  const q = parseQuery(HistoryQuerySchema, query, 'history query');
  const stream = q.stream ?? STREAMS.audit;
  return readingStream(stream, async () => {
    const rows: HistoryRow[] = [];
    const kinds = new Map<string, string>();
    const overrides = new Map<string, string>();
    for await (const { data } of readRecords(nc, stream)) {
      const { entry: e } = decodeRecord(data);
      if (e.kind === AuditEntryKind.SUBMISSION) {
        const header = e.header.length ? headerOf(e.header) : undefined;
        kinds.set(e.noticeId, header?.kind ?? '');
        overrides.set(e.noticeId, header?.screeningOverrides.join(',') ?? '');
      }
      if (q.notice && e.noticeId !== q.notice) continue;
      const at = new Date(Number(e.atMs)).toISOString();
      const row = (event: string, to: string, level: string, why: string, revision = e.policyRevision) => {
        if (q.agency && e.sender !== q.agency && to !== q.agency) return;
        rows.push({
          at,
          event,
          notice: e.noticeId,
          kind: kinds.get(e.noticeId) ?? '',
          from: e.sender,
          to,
          level,
          why,
          revision: revision ? String(revision) : '',
          overrides: overrides.get(e.noticeId) ?? '',
        });
      };
      row(KIND_NAMES[e.kind] ?? String(e.kind), e.recipient, '', e.code, 0n);
      for (const d of e.decisions) row('decision', d.recipient, d.level, d.reasons.join(','));
      for (const d of e.deliveries) {
        const grant = d.grant.length ? grantOf(d.grant) : undefined;
        row(
          'delivery',
          d.recipient,
          grant?.level ?? 'none',
          d.code || (grant?.grantedLayers.join('+') ?? ''),
        );
      }
    }
    return rows;
  });
}

/** A delivery's grant (metadata only), or undefined when it cannot be decoded. */
function grantOf(bytes: Uint8Array): DeliveryGrant | undefined {
  try {
    return fromBinary(DeliveryGrantSchema, bytes);
  } catch {
    return undefined;
  }
}

/** The signed header in a submission entry (metadata only), or undefined when it cannot be decoded. */
function headerOf(header: Uint8Array): { kind: string; screeningOverrides: readonly string[] } | undefined {
  try {
    return fromBinary(NoticeHeaderSchema, header);
  } catch {
    return undefined;
  }
}
