import { type RetentionClass, retentionSchedule } from '@liaison/topology';
import type { Db } from '../db.js';
import type { StoredNotice } from '../stored-notice.js';

export type LifecycleState = 'active' | 'masked' | 'erased';

/** One stored notice's lifecycle, as the station keeps it (dates in ms). */
export interface NoticeLifecycle {
  noticeId: string;
  retentionClass: RetentionClass;
  /** The review date in force (the header's, or the last "keep until"); undefined without personal data. */
  reviewAt: number | undefined;
  depersonaliseAt: number | undefined;
  /** The class's absolute end (PNR five years, a threat notice's validity): no review keeps the content past it. */
  limitAt: number | undefined;
  state: LifecycleState;
  changedAt: number | undefined;
  code: string | undefined;
  replacedBy: string | undefined;
}

interface Row {
  notice_id: string;
  retention_class: RetentionClass;
  review_at: number | null;
  depersonalise_at: number | null;
  limit_at: number | null;
  state: LifecycleState;
  changed_at: number | null;
  code: string | null;
  replaced_by: string | null;
}

const toLifecycle = (r: Row): NoticeLifecycle => ({
  noticeId: r.notice_id,
  retentionClass: r.retention_class,
  reviewAt: r.review_at ?? undefined,
  depersonaliseAt: r.depersonalise_at ?? undefined,
  limitAt: r.limit_at ?? undefined,
  state: r.state,
  changedAt: r.changed_at ?? undefined,
  code: r.code ?? undefined,
  replacedBy: r.replaced_by ?? undefined,
});

const time = (iso: unknown) => (typeof iso === 'string' ? Date.parse(iso) || undefined : undefined);

/**
 * The schedule of a stored notice: its class from the signed header fields, and — the
 * station holding the content — the PNR clocks from the body's `dataCollectedAt`.
 * Personal data is what the header said (a review date exists exactly when it holds
 * any); a strategic copy of a hit holds none of the Art. 12(2) fields.
 */
export function scheduleOf(n: StoredNotice) {
  const collectedAt = time(n.body.dataCollectedAt);
  return retentionSchedule({
    kind: n.kind,
    sources: n.markings.sources ?? [],
    personalData: n.markings.reviewAt !== undefined,
    createdAt: Date.parse(n.createdAt),
    reviewAt: time(n.markings.reviewAt) ?? 0,
    expiresAt: time(n.markings.expiresAt) ?? 0,
    ...(collectedAt ? { collectedAt } : {}),
  });
}

export class LifecycleStore {
  constructor(private readonly db: Db) {}

  /** Records a newly stored notice's class and dates (once; a redelivery changes nothing). */
  track(n: StoredNotice): void {
    const s = scheduleOf(n);
    this.db
      .prepare(
        `INSERT OR IGNORE INTO notice_lifecycle (notice_id, header_sha256, retention_class, review_at, depersonalise_at, limit_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(
        n.noticeId,
        n.provenance.headerSha256,
        s.class,
        s.reviewAt ?? null,
        s.depersonaliseAt ?? null,
        s.limitAt ?? null,
      );
  }

  get(noticeId: string): NoticeLifecycle | undefined {
    const r = this.db.prepare('SELECT * FROM notice_lifecycle WHERE notice_id = ?').get(noticeId) as
      | Row
      | undefined;
    return r ? toLifecycle(r) : undefined;
  }

  /** Notices not yet erased whose review date is before `before`, soonest first. */
  reviewsDue(before: number): NoticeLifecycle[] {
    return (
      this.db
        .prepare(
          `SELECT * FROM notice_lifecycle WHERE state != 'erased' AND review_at IS NOT NULL AND review_at <= ?
           ORDER BY review_at`,
        )
        .all(before) as Row[]
    ).map(toLifecycle);
  }

  /** Notices in one state, most recently changed first. */
  inState(state: LifecycleState, limit = 500): NoticeLifecycle[] {
    return (
      this.db
        .prepare('SELECT * FROM notice_lifecycle WHERE state = ? ORDER BY changed_at DESC LIMIT ?')
        .all(state, limit) as Row[]
    ).map(toLifecycle);
  }

  /** Notices whose identifying PNR fields must be masked by `now`. */
  maskingDue(now: number): NoticeLifecycle[] {
    return (
      this.db
        .prepare(
          `SELECT * FROM notice_lifecycle WHERE state = 'active' AND depersonalise_at IS NOT NULL AND depersonalise_at <= ?`,
        )
        .all(now) as Row[]
    ).map(toLifecycle);
  }

  /** Notices whose content must be erased by `now`: the class ended, or the review date passed without a keep. */
  erasureDue(now: number): NoticeLifecycle[] {
    return (
      this.db
        .prepare(
          `SELECT * FROM notice_lifecycle WHERE state != 'erased' AND (limit_at <= ? OR review_at <= ?)`,
        )
        .all(now, now) as Row[]
    ).map(toLifecycle);
  }

  setReviewAt(noticeId: string, reviewAt: number): void {
    this.db.prepare('UPDATE notice_lifecycle SET review_at = ? WHERE notice_id = ?').run(reviewAt, noticeId);
  }

  setState(noticeId: string, state: LifecycleState, code: string, at: number, replacedBy?: string): void {
    this.db
      .prepare(
        'UPDATE notice_lifecycle SET state = ?, code = ?, changed_at = ?, replaced_by = COALESCE(?, replaced_by) WHERE notice_id = ?',
      )
      .run(state, code, at, replacedBy ?? null, noticeId);
  }
}
