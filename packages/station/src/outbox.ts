import type { Db } from './db.js';
import { StationError } from './errors.js';

/** One notice this agency's officers published: header metadata and the gate's answer, never content. */
export interface OutboxEntry {
  noticeId: string;
  sentAt: number;
  officerId: string;
  kind: string;
  priority: string;
  caseReference: string | undefined;
  headerSha256: string;
  /** The access-log entry that recorded the disclosure. */
  accessSeq: number;
  status: 'accepted' | 'rejected' | 'unconfirmed';
  code: string | undefined;
  /** Whom the gate delivered it to, and at which level (from its signed receipt). */
  recipients: { recipient: string; level: string }[];
}

interface Row {
  notice_id: string;
  sent_at: number;
  officer_id: string;
  kind: string;
  priority: string;
  case_reference: string | null;
  header_sha256: string;
  access_seq: number;
  status: 'accepted' | 'rejected' | 'unconfirmed';
  code: string | null;
  recipients: string;
}

const toEntry = (r: Row): OutboxEntry => ({
  noticeId: r.notice_id,
  sentAt: r.sent_at,
  officerId: r.officer_id,
  kind: r.kind,
  priority: r.priority,
  caseReference: r.case_reference ?? undefined,
  headerSha256: r.header_sha256,
  accessSeq: r.access_seq,
  status: r.status,
  code: r.code ?? undefined,
  recipients: JSON.parse(r.recipients),
});

/** What the station's officers sent (the console's "Sent" page and its receipts). */
export class Outbox {
  constructor(private readonly db: Db) {}

  record(e: OutboxEntry): void {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO outbox (notice_id, sent_at, officer_id, kind, priority, case_reference,
           header_sha256, access_seq, status, code, recipients) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        e.noticeId,
        e.sentAt,
        e.officerId,
        e.kind,
        e.priority,
        e.caseReference ?? null,
        e.headerSha256,
        e.accessSeq,
        e.status,
        e.code ?? null,
        JSON.stringify(e.recipients),
      );
  }

  list(limit = 200): OutboxEntry[] {
    return (this.db.prepare('SELECT * FROM outbox ORDER BY sent_at DESC LIMIT ?').all(limit) as Row[]).map(
      toEntry,
    );
  }

  entry(noticeId: string): OutboxEntry {
    const row = this.db.prepare('SELECT * FROM outbox WHERE notice_id = ?').get(noticeId) as Row | undefined;
    if (!row) throw new StationError('NOT_FOUND', 'no such notice');
    return toEntry(row);
  }
}
