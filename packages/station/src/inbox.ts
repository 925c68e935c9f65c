import { z } from 'zod';
import type { Db } from './db.js';
import { StationError } from './errors.js';
import type { InboxCipher } from './inbox-crypto.js';
import {
  DUE_COLUMNS,
  DUE_ORDER,
  DUE_SCHEMA,
  markAnswered,
  recordDue,
  requestDeadlines,
} from './inbox-deadlines.js';
import { LifecycleStore } from './lifecycle/lifecycle-store.js';
import { NoticeKeys } from './lifecycle/notice-keys.js';
import type { StoredNotice } from './stored-notice.js';

/**
 * The agency's deliveries. The header fields an officer filters on (kind, case,
 * sender, crime areas, dates, priority, level) are the notice's signed cleartext
 * header, which by construction holds no personal data and which the gate saw
 * too; they are stored in clear so SQLite can filter and order them. Everything
 * else — the body, markings' free text, provenance — is one ciphertext per row.
 */
export const InboxFilterSchema = z
  .object({
    kind: z.string().max(64).optional(),
    caseReference: z.string().max(128).optional(),
    sender: z.string().max(128).optional(),
    crimeArea: z.string().max(64).optional(),
    priority: z.enum(['urgent', 'non-urgent']).optional(),
    /** ISO dates (inclusive, on the notice's creation time). */
    from: z.iso.date().optional(),
    to: z.iso.date().optional(),
    unread: z.boolean().optional(),
    limit: z.number().int().min(1).max(500).default(100),
  })
  .strict();
export type InboxFilter = z.input<typeof InboxFilterSchema>;

/** One inbox line: header metadata only, never content. */
export interface InboxEntry {
  seq: number;
  noticeId: string;
  receivedAt: number;
  createdAt: number;
  sender: string;
  kind: string;
  priority: 'urgent' | 'non-urgent';
  level: string;
  caseReference: string | undefined;
  crimeAreas: string[];
  reviewAt: number | undefined;
  firstOpenedAt: number | undefined;
  receiptSentAt: number | undefined;
  /** Information requests: the answer deadline the requester signed (ms), and when this station answered. */
  dueAt?: number | undefined;
  answeredAt?: number | undefined;
}

interface Row {
  seq: number;
  notice_id: string;
  received_at: number;
  created_at: number;
  sender: string;
  kind: string;
  priority: 'urgent' | 'non-urgent';
  level: string;
  case_reference: string | null;
  crime_areas: string;
  review_at: number | null;
  first_opened_at: number | null;
  receipt_sent_at: number | null;
  due_at: number | null;
  answered_at: number | null;
}

const toEntry = (r: Row): InboxEntry => ({
  seq: r.seq,
  noticeId: r.notice_id,
  receivedAt: r.received_at,
  createdAt: r.created_at,
  sender: r.sender,
  kind: r.kind,
  priority: r.priority,
  level: r.level,
  caseReference: r.case_reference ?? undefined,
  crimeAreas: JSON.parse(r.crime_areas) as string[],
  reviewAt: r.review_at ?? undefined,
  firstOpenedAt: r.first_opened_at ?? undefined,
  receiptSentAt: r.receipt_sent_at ?? undefined,
  dueAt: r.due_at ?? undefined,
  answeredAt: r.answered_at ?? undefined,
});

const COLUMNS = `seq, notice_id, received_at, created_at, sender, kind, priority, level, case_reference, crime_areas, review_at, first_opened_at, receipt_sent_at, ${DUE_COLUMNS}`;

export class Inbox {
  /** Per-notice data keys (crypto-shredding one notice destroys its keys only). */
  readonly keys: NoticeKeys;
  /** Each notice's retention class, dates and state (docs/lifecycle.md). */
  readonly lifecycle: LifecycleStore;

  constructor(
    private readonly db: Db,
    cipher: InboxCipher,
    agency: string,
  ) {
    this.keys = new NoticeKeys(db, cipher, agency);
    this.lifecycle = new LifecycleStore(db);
    db.exec(DUE_SCHEMA);
  }

  /** Stores a delivery once (a redelivery of the same notice is a no-op); true when new. */
  store(n: StoredNotice, receivedAt = Date.now()): boolean {
    if (this.db.prepare('SELECT 1 FROM inbox WHERE notice_id = ?').get(n.noticeId)) return false;
    const { nonce, ciphertext } = this.keys.seal(
      n.noticeId,
      'content',
      new TextEncoder().encode(JSON.stringify(n)),
    );
    const result = this.db
      .prepare(
        `INSERT OR IGNORE INTO inbox (notice_id, received_at, created_at, sender, kind, priority, level,
           case_reference, crime_areas, review_at, nonce, ciphertext)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        n.noticeId,
        receivedAt,
        Date.parse(n.createdAt),
        n.sender,
        n.kind,
        n.markings.priority,
        n.level,
        n.markings.caseReference ?? null,
        JSON.stringify(n.markings.crimeAreas),
        n.markings.reviewAt ? Date.parse(String(n.markings.reviewAt)) : null,
        nonce,
        ciphertext,
      );
    if (result.changes === 1) {
      this.lifecycle.track(n);
      recordDue(this.db, n);
    }
    return result.changes === 1;
  }

  /** Schedules the rows stored before the lifecycle existed (run once at start; cheap when there are none). */
  backfillLifecycle(): number {
    const rows = this.db
      .prepare(
        `SELECT notice_id FROM inbox WHERE length(ciphertext) > 0
           AND notice_id NOT IN (SELECT notice_id FROM notice_lifecycle)`,
      )
      .all() as { notice_id: string }[];
    for (const r of rows) this.lifecycle.track(this.read(r.notice_id));
    return rows.length;
  }

  /** Replaces a notice's stored content (masked, rectified) under a fresh key; the old key is destroyed. */
  reseal(n: StoredNotice): void {
    const { nonce, ciphertext } = this.keys.seal(
      n.noticeId,
      'content',
      new TextEncoder().encode(JSON.stringify(n)),
    );
    this.db
      .prepare('UPDATE inbox SET nonce = ?, ciphertext = ? WHERE notice_id = ?')
      .run(nonce, ciphertext, n.noticeId);
  }

  /**
   * Crypto-shreds one notice: destroys its keys and overwrites its ciphertext (and any
   * masked PNR values kept aside). The header line stays, so the inbox shows that it
   * existed and why it is gone; its content can never be opened again.
   */
  shred(noticeId: string): void {
    this.db.transaction(() => {
      this.keys.destroy(noticeId);
      this.db.prepare("UPDATE inbox SET nonce = x'', ciphertext = x'' WHERE notice_id = ?").run(noticeId);
      this.db.prepare('DELETE FROM pnr_full WHERE notice_id = ?').run(noticeId);
    })();
  }

  /** The requests received, their deadlines and answers (the DPO's deadline compliance). */
  deadlines() {
    return requestDeadlines(this.db);
  }

  /** An information request answered from this station: it leaves the top of the inbox. */
  markAnswered(requestId: string): void {
    markAnswered(this.db, requestId);
  }

  /** Filtered lines: open requests by due time, then urgent, then unread, then newest. */
  list(filter: InboxFilter = {}): InboxEntry[] {
    const parsed = InboxFilterSchema.safeParse(filter);
    if (!parsed.success) throw new StationError('INVALID_INPUT', 'invalid inbox filter');
    const f = parsed.data;
    const where: string[] = [];
    const args: (string | number)[] = [];
    const eq = (col: string, v: string | undefined) => {
      if (v) {
        where.push(`${col} = ?`);
        args.push(v);
      }
    };
    eq('kind', f.kind);
    eq('case_reference', f.caseReference);
    eq('sender', f.sender);
    eq('priority', f.priority);
    if (f.crimeArea) {
      where.push('EXISTS (SELECT 1 FROM json_each(inbox.crime_areas) WHERE value = ?)');
      args.push(f.crimeArea);
    }
    if (f.from) {
      where.push('created_at >= ?');
      args.push(Date.parse(`${f.from}T00:00:00Z`));
    }
    if (f.to) {
      where.push('created_at < ?');
      args.push(Date.parse(`${f.to}T00:00:00Z`) + 86_400_000);
    }
    if (f.unread === true) where.push('first_opened_at IS NULL');
    if (f.unread === false) where.push('first_opened_at IS NOT NULL');
    const sql = `SELECT ${COLUMNS} FROM inbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${DUE_ORDER}, (priority = 'urgent') DESC, (first_opened_at IS NULL) DESC, received_at DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, f.limit) as Row[]).map(toEntry);
  }

  entry(noticeId: string): InboxEntry {
    const row = this.db.prepare(`SELECT ${COLUMNS} FROM inbox WHERE notice_id = ?`).get(noticeId) as
      | Row
      | undefined;
    if (!row) throw new StationError('NOT_FOUND', 'no such notice');
    return toEntry(row);
  }

  /** Decrypts one notice (callers log the consultation first: see Station.openNotice). */
  read(noticeId: string): StoredNotice {
    const row = this.db.prepare('SELECT nonce, ciphertext FROM inbox WHERE notice_id = ?').get(noticeId) as
      | { nonce: Uint8Array; ciphertext: Uint8Array }
      | undefined;
    if (!row) throw new StationError('NOT_FOUND', 'no such notice');
    const lifecycle = this.lifecycle.get(noticeId);
    if (lifecycle?.state === 'erased' || row.ciphertext.length === 0)
      throw new StationError(
        'ERASED',
        lifecycle?.replacedBy
          ? `this notice was replaced by its rectification ${lifecycle.replacedBy}`
          : 'this notice was erased',
      );
    return JSON.parse(
      new TextDecoder().decode(this.keys.open(noticeId, 'content', row.nonce, row.ciphertext)),
    );
  }

  /** The SHA-256 (hex) of the notice's signed header, from its stored provenance (kept even after erasure). */
  headerSha256(noticeId: string): string {
    const row = this.db
      .prepare('SELECT header_sha256 FROM notice_lifecycle WHERE notice_id = ?')
      .get(noticeId) as { header_sha256: string | null } | undefined;
    if (!row?.header_sha256) throw new StationError('NOT_FOUND', 'no such notice');
    return row.header_sha256;
  }

  /** Keeps the PNR values a masking removed, under a key of their own (opened only for an authorised re-disclosure). */
  sealPnrFull(noticeId: string, removed: Record<string, unknown>): void {
    const { nonce, ciphertext } = this.keys.seal(
      noticeId,
      'pnr-full',
      new TextEncoder().encode(JSON.stringify(removed)),
    );
    this.db
      .prepare('INSERT OR REPLACE INTO pnr_full (notice_id, nonce, ciphertext) VALUES (?, ?, ?)')
      .run(noticeId, nonce, ciphertext);
  }

  openPnrFull(noticeId: string): Record<string, unknown> {
    const row = this.db.prepare('SELECT nonce, ciphertext FROM pnr_full WHERE notice_id = ?').get(noticeId) as
      | { nonce: Uint8Array; ciphertext: Uint8Array }
      | undefined;
    if (!row) return {};
    return JSON.parse(
      new TextDecoder().decode(this.keys.open(noticeId, 'pnr-full', row.nonce, row.ciphertext)),
    );
  }

  recordReview(
    noticeId: string,
    decision: string,
    reason: string,
    until: number | undefined,
    officerId: string,
    at: number,
  ): void {
    this.db
      .prepare(
        'INSERT INTO reviews (notice_id, decision, reason, until, officer_id, at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(noticeId, decision, reason, until ?? null, officerId, at);
  }

  markOpened(noticeId: string, at = Date.now()): void {
    this.db
      .prepare('UPDATE inbox SET first_opened_at = ? WHERE notice_id = ? AND first_opened_at IS NULL')
      .run(at, noticeId);
  }

  markReceiptSent(noticeId: string, at = Date.now()): void {
    this.db.prepare('UPDATE inbox SET receipt_sent_at = ? WHERE notice_id = ?').run(at, noticeId);
  }

  /** Opened notices whose read receipt has not gone out yet (the delivery must come back first). */
  receiptsOwed(): string[] {
    return (
      this.db
        .prepare('SELECT notice_id FROM inbox WHERE first_opened_at IS NOT NULL AND receipt_sent_at IS NULL')
        .all() as { notice_id: string }[]
    ).map((r) => r.notice_id);
  }

  /** Every stored delivery in arrival order from `afterSeq` (replay from the station's store). */
  *replay(afterSeq = 0): Generator<InboxEntry> {
    for (const row of this.db
      .prepare(`SELECT ${COLUMNS} FROM inbox WHERE seq > ? ORDER BY seq`)
      .iterate(afterSeq) as IterableIterator<Row>)
      yield toEntry(row);
  }

  count(): { total: number; unread: number; urgentUnread: number } {
    return this.db
      .prepare(
        `SELECT COUNT(*) AS total, COALESCE(SUM(first_opened_at IS NULL), 0) AS unread,
           COALESCE(SUM(first_opened_at IS NULL AND priority = 'urgent'), 0) AS urgentUnread FROM inbox`,
      )
      .get() as { total: number; unread: number; urgentUnread: number };
  }

  /** Header metadata of every stored delivery (sender, level, time): the DPO's traffic figures. */
  traffic(): { sender: string; level: string; receivedAt: number }[] {
    return this.db
      .prepare('SELECT sender, level, received_at AS receivedAt FROM inbox ORDER BY seq')
      .all() as {
      sender: string;
      level: string;
      receivedAt: number;
    }[];
  }
}
