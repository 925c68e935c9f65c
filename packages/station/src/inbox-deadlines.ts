import type { Db } from './db.js';
import type { StoredNotice } from './stored-notice.js';

/**
 * Requests' answer deadlines (Directive 2023/977 Art. 5), from the due time the
 * requester signed into the cleartext header (header metadata, so kept in clear like
 * the other header fields), and when this station sent the answer. Due, unanswered
 * requests come first in the inbox, soonest first.
 */
export const DUE_SCHEMA = `
CREATE TABLE IF NOT EXISTS inbox_due (
  notice_id TEXT PRIMARY KEY,
  due_at INTEGER NOT NULL,
  answered_at INTEGER
);`;

/** Columns of an inbox line: the due time and the answer time, when there are. */
export const DUE_COLUMNS =
  '(SELECT due_at FROM inbox_due d WHERE d.notice_id = inbox.notice_id) AS due_at, ' +
  '(SELECT answered_at FROM inbox_due d WHERE d.notice_id = inbox.notice_id) AS answered_at';

/** The inbox order's first key: open requests by due time, then everything else. */
export const DUE_ORDER =
  '(SELECT due_at FROM inbox_due d WHERE d.notice_id = inbox.notice_id AND d.answered_at IS NULL) IS NULL, ' +
  '(SELECT due_at FROM inbox_due d WHERE d.notice_id = inbox.notice_id AND d.answered_at IS NULL) ASC';

export function recordDue(db: Db, n: StoredNotice): void {
  const due = n.conversation?.dueAtMs;
  if (n.kind !== 'information-request' || typeof due !== 'number') return;
  db.prepare('INSERT OR IGNORE INTO inbox_due (notice_id, due_at) VALUES (?, ?)').run(n.noticeId, due);
}

/** The request was answered from this station (the first answer stops its clock here). */
export function markAnswered(db: Db, requestId: string, at = Date.now()): void {
  db.prepare('UPDATE inbox_due SET answered_at = ? WHERE notice_id = ? AND answered_at IS NULL').run(
    at,
    requestId,
  );
}

/** Every request received, by requester, with its deadline and when it was answered from here. */
export function requestDeadlines(
  db: Db,
): { sender: string; dueAt: number; answeredAt: number | undefined }[] {
  return (
    db
      .prepare(
        `SELECT i.sender AS sender, d.due_at AS dueAt, d.answered_at AS answeredAt
           FROM inbox_due d JOIN inbox i ON i.notice_id = d.notice_id ORDER BY d.due_at`,
      )
      .all() as { sender: string; dueAt: number; answeredAt: number | null }[]
  ).map((r) => ({ sender: r.sender, dueAt: r.dueAt, answeredAt: r.answeredAt ?? undefined }));
}
