import { createHash } from 'node:crypto';
import type { LogSource } from '@liaison/log-reader';
import { FEED_BACKSTOP_GRACE_MS, retentionSchedule, STREAMS } from '@liaison/topology';
import {
  AmendmentAction,
  type AuditEntry,
  AuditEntryKind,
  DeliveryGrantSchema,
  fromBinary,
  NoticeHeaderSchema,
} from '@liaison/wire';
import type { Discrepancy } from './entry-checks.js';
import { readRecords } from './read-log.js';
import { decodeRecord } from './records.js';

/** What the content check found, in numbers (the findings are discrepancies). */
export interface ContentReport {
  /** Deliveries the log records (with a grant). */
  deliveries: number;
  /** Of those, still in FEED. */
  present: number;
  /** Removed, as a signed erasure entry records: at the end of their retention, or as the provider asked. */
  erased: number;
  /** Gone with no erasure recorded (CONTENT_MISSING or CONTENT_EXPIRED_UNRECORDED). */
  missing: number;
}

export interface ContentCheckOptions {
  log: LogSource;
  stream: string;
  /** The delivery window the exchange runs with (days; the gate's feedMaxAgeDays). */
  feedMaxAgeDays: number;
  now: number;
}

type Header = ReturnType<typeof fromBinary<typeof NoticeHeaderSchema>>;

const LEDGER_CODE = 'LEDGER_RECORD_ENDED';
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest();

function scheduleOf(h: Header, o: Pick<ContentCheckOptions, 'feedMaxAgeDays'>) {
  return retentionSchedule(
    {
      kind: h.kind,
      sources: h.sources,
      personalData: h.reviewAtMs > 0n,
      createdAt: Number(h.createdAtMs),
      reviewAt: Number(h.reviewAtMs),
      expiresAt: Number(h.expiresAtMs),
    },
    { feedMaxAgeDays: o.feedMaxAgeDays },
  );
}

/**
 * The deletion of a notice's ledger record: it names a recorded submission (with its
 * header digest and sender) and comes no earlier than the end its class gives
 * (`ledgerRemoveAt`, re-derived from the recorded header).
 */
function checkLedgerErasure(
  at: number,
  e: AuditEntry,
  s: { header: Header; headerSha256: string } | undefined,
  o: Pick<ContentCheckOptions, 'feedMaxAgeDays'>,
  out: Discrepancy[],
): void {
  const what = `deletion of the ledger record of ${e.noticeId}`;
  if (!s || s.headerSha256 !== hex(e.headerSha256) || s.header.sender !== e.sender) {
    out.push({
      index: at,
      code: 'ERASURE_WITHOUT_DELIVERY',
      message: `${what}: no such submission is recorded`,
    });
    return;
  }
  const due = scheduleOf(s.header, o).ledgerRemoveAt;
  if (due === undefined || Number(e.atMs) < due || Number(e.retentionEndsAtMs) < due)
    out.push({ index: at, code: 'ERASED_EARLY', message: `${what}: before the end of its class` });
}

interface RecordedDelivery {
  index: number;
  atMs: number;
  noticeId: string;
  recipient: string;
  level: 'operational' | 'strategic';
  digest: string;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** SHA-256 of every message FEED holds (the whole stream, read as the log is). */
async function feedDigests(log: LogSource): Promise<Set<string>> {
  const out = new Set<string>();
  const state = await log.streamState(STREAMS.feed);
  if (!state || state.messages === 0) return out;
  for await (const m of log.messages(STREAMS.feed))
    out.add(createHash('sha256').update(m.data).digest('hex'));
  return out;
}

/**
 * Erasure without a gap in the evidence: every delivery the log records is either
 * still in FEED, or removed as a signed erasure entry records (at the end of its
 * retention, re-derived from its header, or as its provider's amendment asked) —
 * anything else is a finding. Erasure entries must match a recorded delivery and
 * leave nothing behind.
 *
 * - `CONTENT_MISSING` — gone before FEED's own age limit, with no erasure recorded;
 * - `CONTENT_EXPIRED_UNRECORDED` — gone by FEED's age limit (the backstop) because the
 *   retention service did not remove and record it in time;
 * - `ERASURE_WITHOUT_DELIVERY` — an erasure entry that matches no recorded delivery;
 * - `ERASURE_NOT_DONE` — an erasure entry whose delivery is still in FEED;
 * - `ERASED_EARLY` — an erasure whose recorded end is before the one its retention class gives;
 * - `ERASURE_NOT_REQUESTED` — an amendment erasure no matching amendment by the provider asked for.
 */
export async function checkContent(o: ContentCheckOptions, out: Discrepancy[]): Promise<ContentReport> {
  const inFeed = await feedDigests(o.log);
  const deliveries = new Map<string, RecordedDelivery>();
  const submissions = new Map<string, { header: Header; headerSha256: string; recipients: Set<string> }>();
  const erasures: { index: number; e: AuditEntry }[] = [];
  let index = 0;
  for await (const { data } of readRecords(o.log, o.stream)) {
    const at = index++;
    let e: AuditEntry;
    try {
      e = decodeRecord(data).entry;
    } catch {
      continue; // the replay reports undecodable records
    }
    if (e.kind === AuditEntryKind.ERASURE) erasures.push({ index: at, e });
    if (e.kind !== AuditEntryKind.SUBMISSION) continue;
    let header: Header;
    try {
      header = fromBinary(NoticeHeaderSchema, e.header);
    } catch {
      continue;
    }
    const recipients = new Set<string>();
    for (const d of e.deliveries) {
      if (d.grant.length === 0) continue;
      const grant = fromBinary(DeliveryGrantSchema, d.grant);
      recipients.add(d.recipient);
      const digest = hex(d.envelopeSha256);
      deliveries.set(`${e.noticeId}/${d.recipient}/${digest}`, {
        index: at,
        atMs: Number(e.atMs),
        noticeId: e.noticeId,
        recipient: d.recipient,
        level: grant.level === 'operational' ? 'operational' : 'strategic',
        digest,
      });
    }
    submissions.set(e.noticeId, { header, headerSha256: hex(sha256(e.header)), recipients });
  }
  const erased = new Set<string>();
  for (const { index: at, e } of erasures) {
    if (e.code === LEDGER_CODE) {
      checkLedgerErasure(at, e, submissions.get(e.noticeId), o, out);
      continue;
    }
    const what = `erasure of ${e.noticeId} for ${e.recipient}`;
    const key = `${e.noticeId}/${e.recipient}/${hex(e.envelopeSha256)}`;
    const d = deliveries.get(key);
    if (!d) {
      out.push({
        index: at,
        code: 'ERASURE_WITHOUT_DELIVERY',
        message: `${what}: no such delivery is recorded`,
      });
      continue;
    }
    erased.add(key);
    if (inFeed.has(d.digest))
      out.push({ index: at, code: 'ERASURE_NOT_DONE', message: `${what}: the delivery is still in FEED` });
    const original = submissions.get(e.noticeId)!;
    if (e.code === 'ERASURE_REQUESTED' || e.code === 'RECTIFIED') {
      const a = submissions.get(e.amendmentId);
      const target =
        original.header.amendment?.action === AmendmentAction.RECTIFICATION
          ? original.header.amendment.noticeId
          : e.noticeId;
      const action =
        e.code === 'ERASURE_REQUESTED' ? AmendmentAction.ERASURE_REQUEST : AmendmentAction.RECTIFICATION;
      if (
        !a ||
        a.header.sender !== original.header.sender ||
        a.header.amendment?.noticeId !== target ||
        a.header.amendment.action !== action ||
        !a.recipients.has(e.recipient)
      )
        out.push({
          index: at,
          code: 'ERASURE_NOT_REQUESTED',
          message: `${what}: no amendment of the provider to this recipient asked for it`,
        });
      continue;
    }
    const schedule = scheduleOf(original.header, o);
    const due = schedule.exchangeRemoveAt(d.level);
    if (Number(e.atMs) < due || Number(e.retentionEndsAtMs) < due)
      out.push({
        index: at,
        code: 'ERASED_EARLY',
        message: `${what}: erased before ${new Date(due).toISOString()}, when its time in the exchange ended`,
      });
  }
  const report: ContentReport = { deliveries: deliveries.size, present: 0, erased: 0, missing: 0 };
  const backstop = o.feedMaxAgeDays * 86_400_000 + FEED_BACKSTOP_GRACE_MS;
  for (const [key, d] of deliveries) {
    if (inFeed.has(d.digest)) report.present++;
    else if (erased.has(key)) report.erased++;
    else {
      report.missing++;
      const expired = o.now - d.atMs >= backstop;
      out.push({
        index: d.index,
        code: expired ? 'CONTENT_EXPIRED_UNRECORDED' : 'CONTENT_MISSING',
        message: expired
          ? `delivery of ${d.noticeId} to ${d.recipient}: removed by FEED's age limit, no erasure recorded`
          : `delivery of ${d.noticeId} to ${d.recipient}: not in FEED, and no erasure is recorded`,
      });
    }
  }
  return report;
}
