import type { LogAccess } from '@liaison/log-reader';
import { STREAMS } from '@liaison/topology';
import { z } from 'zod';
import { RequestBook, type RequestState } from '../conversations/request-book.js';
import { readRecords } from '../read-log.js';
import { decodeRecord } from '../records.js';
import { parseQuery } from './parse-query.js';
import { readingStream } from './stream-missing.js';

export const StatsQuerySchema = z
  .object({
    /** Only this agency's row. */
    agency: z.string().min(1).optional(),
    /** Requests accepted in [from, to) (ISO instants or ms). */
    from: z.coerce.date().optional(),
    to: z.coerce.date().optional(),
    stream: z.string().min(1).optional(),
    /** The instant "late" is judged at for open requests (default now). */
    at: z.coerce.date().optional(),
  })
  .strict();
export type StatsQuery = z.input<typeof StatsQuerySchema>;

/** Counts of requests by urgency. */
export interface ByUrgency {
  total: number;
  urgent: number;
  nonUrgent: number;
}

/** One agency's Directive 2023/977 Art. 18 figures for the period. */
export interface AgencyStats {
  agency: string;
  sent: ByUrgency;
  received: ByUrgency;
  /** Requests this agency received, by how they were answered (first final answer). */
  answered: { inTime: number; late: number; open: number; overdue: number };
  byAnswer: { information: number; partial: number; refusal: number; unanswered: number };
  /** Clarifications this agency asked for. */
  clarifications: number;
  refusalsByGround: Record<string, number>;
}

export interface StatsReport {
  from?: string;
  to?: string;
  at: string;
  requests: number;
  agencies: AgencyStats[];
}

const zero = (): ByUrgency => ({ total: 0, urgent: 0, nonUrgent: 0 });
function blank(agency: string): AgencyStats {
  return {
    agency,
    sent: zero(),
    received: zero(),
    answered: { inTime: 0, late: 0, open: 0, overdue: 0 },
    byAnswer: { information: 0, partial: 0, refusal: 0, unanswered: 0 },
    clarifications: 0,
    refusalsByGround: {},
  };
}
const count = (u: ByUrgency, urgent: boolean) => {
  u.total++;
  if (urgent) u.urgent++;
  else u.nonUrgent++;
};

/** Folds the requests of a book into per-agency figures (pure: the CLI and the tests call it). */
export function requestStats(
  requests: Iterable<RequestState>,
  o: { at: number; from?: number; to?: number; agency?: string },
): AgencyStats[] {
  const rows = new Map<string, AgencyStats>();
  const row = (a: string) => rows.get(a) ?? rows.set(a, blank(a)).get(a)!;
  for (const r of requests) {
    if ((o.from !== undefined && r.at < o.from) || (o.to !== undefined && r.at >= o.to)) continue;
    count(row(r.requester).sent, r.urgent);
    for (const requested of r.requested) {
      const s = row(requested);
      count(s.received, r.urgent);
      s.clarifications += r.answers.filter((a) => a.by === requested && a.outcome === 'clarification').length;
      const final = r.final?.by === requested ? r.final : undefined;
      const inTime = final ? final.at <= RequestBook.dueAt(r, final.at) : undefined;
      if (inTime === true) s.answered.inTime++;
      else if (inTime === false) s.answered.late++;
      else if (o.at > RequestBook.dueAt(r, o.at)) s.answered.overdue++;
      else s.answered.open++;
      if (!final) s.byAnswer.unanswered++;
      else if (final.outcome !== 'clarification') s.byAnswer[final.outcome]++;
      if (final?.refusalGround)
        s.refusalsByGround[final.refusalGround] = (s.refusalsByGround[final.refusalGround] ?? 0) + 1;
    }
  }
  return [...rows.values()]
    .filter((r) => !o.agency || r.agency === o.agency)
    .sort((a, b) => a.agency.localeCompare(b.agency));
}

/**
 * Directive (EU) 2023/977 Art. 18 statistics from the audit log, so that they are
 * evidence and not a counter: requests sent and received per agency, by urgency; the
 * requests received by how they were answered (information, partial, refusal, none) and
 * whether within the deadline (clarification pauses included); refusals by ground.
 * LOG_MISSING without a log.
 *
 * @example
 * const report = await auditStats(nc, { from: '2026-01-01', to: '2027-01-01' });
 */
export async function auditStats(nc: LogAccess, query: StatsQuery = {}): Promise<StatsReport> {
  const q = parseQuery(StatsQuerySchema, query, 'stats query');
  const stream = q.stream ?? STREAMS.audit;
  const at = (q.at ?? new Date()).getTime();
  return readingStream(stream, async () => {
    const book = new RequestBook();
    for await (const { data } of readRecords(nc, stream)) {
      try {
        book.apply(decodeRecord(data).entry);
      } catch {
        // An undecodable record is `audit verify`'s finding, not a statistic.
      }
    }
    const window = {
      at,
      ...(q.from ? { from: q.from.getTime() } : {}),
      ...(q.to ? { to: q.to.getTime() } : {}),
      ...(q.agency ? { agency: q.agency } : {}),
    };
    const agencies = requestStats(book.requests.values(), window);
    const report: StatsReport = { at: new Date(at).toISOString(), requests: 0, agencies };
    report.requests = [...book.requests.values()].filter(
      (r) =>
        (window.from === undefined || r.at >= window.from) && (window.to === undefined || r.at < window.to),
    ).length;
    if (q.from) report.from = q.from.toISOString();
    if (q.to) report.to = q.to.toISOString();
    return report;
  });
}
