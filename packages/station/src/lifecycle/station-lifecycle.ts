import { KINDS, LEGAL_LIMITS, maskPnr } from '@liaison/notice';
import { z } from 'zod';
import { type AccessLog, type LifecycleRecord, type SignedEntry, SYSTEM_ACTOR } from '../access-log.js';
import { StationError } from '../errors.js';
import type { Inbox, InboxEntry } from '../inbox.js';
import type { Officer } from '../officers.js';
import { can, type Permission, PURPOSES, type Purpose } from '../roles.js';
import type { StoredNotice } from '../stored-notice.js';
import { type AmendmentReceived, amendmentsReceived } from './amendments-received.js';
import type { NoticeLifecycle } from './lifecycle-store.js';

/** A line of the review list: header metadata and the lifecycle dates, never content. */
export interface ReviewLine {
  entry: InboxEntry;
  lifecycle: NoticeLifecycle;
}

export const ReviewDecisionSchema = z.discriminatedUnion('decision', [
  z
    .object({
      decision: z.literal('keep'),
      /** Why the data is still needed (kept in the station's access log and review table). */
      reason: z.string().trim().min(10).max(500),
      /** Until when (ISO 8601); the next review date. */
      until: z.iso.datetime({ offset: true }),
    })
    .strict(),
  z.object({ decision: z.literal('expire'), reason: z.string().trim().max(500).default('') }).strict(),
]);
export type ReviewDecision = z.input<typeof ReviewDecisionSchema>;

/** The authorisation PNR Directive Art. 12(3) requires to disclose masked data in full. */
export const AuthorisationSchema = z
  .object({
    /** The judicial or other competent authority that approved it. */
    authority: z.string().trim().min(3).max(200),
    reference: z.string().trim().min(1).max(100),
    decidedAt: z.iso.datetime({ offset: true }),
  })
  .strict();
export type Authorisation = z.infer<typeof AuthorisationSchema>;

export interface RetentionSweep {
  masked: string[];
  erased: { noticeId: string; code: string }[];
}

/** What a provider's amendment did here, for its confirmation receipt. */
export interface AmendmentOutcome {
  applied: boolean;
  /** ERASED, RECTIFIED, NOT_HELD (this station never held the notice), MISMATCH (another sender or header). */
  code: 'ERASED' | 'RECTIFIED' | 'NOT_HELD' | 'MISMATCH';
}

/** Amendment facts as the SDK opened them from the signed header. */
export interface AmendmentFacts {
  action: 'rectification' | 'erasure-request';
  noticeId: string;
  headerSha256: string;
  reason: string;
}

const YEARS_3 = LEGAL_LIMITS.personalDataReviewMs;

/**
 * The lifecycle of the personal data a station holds (docs/lifecycle.md): the review
 * list and decisions, masking of PNR data at six months, erasure by crypto-shredding
 * at the end of retention or on the provider's request, rectifications, and the
 * authorised re-disclosure of masked PNR data. Every step is an access-log entry;
 * scheduled ones name the station itself as the actor.
 */
export class StationLifecycle {
  constructor(
    private readonly inbox: Inbox,
    private readonly log: AccessLog,
    private readonly clock: () => number = Date.now,
  ) {}

  private require(officer: Officer, p: Permission): void {
    if (!can(officer.role, p)) throw new StationError('FORBIDDEN', 'not allowed for your role');
  }

  private ref(noticeId: string) {
    const line = this.inbox.entry(noticeId);
    const header = this.inbox.headerSha256(noticeId);
    return { id: noticeId, sender: line.sender, kind: line.kind, level: line.level, headerSha256: header };
  }

  private system(
    action: 'mask' | 'erase' | 'rectify',
    noticeId: string,
    lifecycle: LifecycleRecord,
    at: number,
  ) {
    const purpose = lifecycle.amendmentId ? 'provider-amendment' : 'retention-schedule';
    return this.log.append(
      { officer: SYSTEM_ACTOR, action, purpose, notice: this.ref(noticeId), lifecycle },
      new Date(at),
    );
  }

  private derivedCopies(noticeId: string): number {
    return this.log.query({ noticeId, action: 'disclose', limit: 10_000 }).length;
  }

  /** Notices whose review date falls before `before` (default: 30 days from now), soonest first. */
  reviewsDue(officer: Officer, o: { before?: number } = {}): ReviewLine[] {
    this.require(officer, 'review.list');
    const before = o.before ?? this.clock() + 30 * 86_400_000;
    return this.inbox.lifecycle.reviewsDue(before).map((lifecycle) => ({
      entry: this.inbox.entry(lifecycle.noticeId),
      lifecycle,
    }));
  }

  /** The provider amendments applied here and whether each was confirmed (metadata only). */
  amendmentsReceived(officer: Officer): AmendmentReceived[] {
    this.require(officer, 'review.list');
    return amendmentsReceived(this.log, this.inbox);
  }

  /** Masked PNR hits (Art. 12(2)), for a supervisor who may re-disclose one with an authorisation. */
  maskedNotices(officer: Officer): ReviewLine[] {
    this.require(officer, 'pnr.redisclose');
    return this.inbox.lifecycle
      .inState('masked')
      .map((lifecycle) => ({ entry: this.inbox.entry(lifecycle.noticeId), lifecycle }));
  }

  /**
   * Records a review decision: keep, with a reason, until a date (the new review date,
   * within three years and never past the class's end), or let it expire (erased at its
   * review date by the next sweep). Logged before it takes effect.
   */
  recordReview(officer: Officer, noticeId: string, input: ReviewDecision): SignedEntry {
    this.require(officer, 'review.decide');
    const parsed = ReviewDecisionSchema.safeParse(input);
    if (!parsed.success) throw new StationError('INVALID_INPUT', 'state the decision, a reason and a date');
    const d = parsed.data;
    const now = this.clock();
    const lifecycle = this.inbox.lifecycle.get(noticeId);
    if (!lifecycle || lifecycle.state === 'erased')
      throw new StationError('NOT_FOUND', 'no such notice to review');
    if (lifecycle.reviewAt === undefined)
      throw new StationError('INVALID_INPUT', 'this notice holds no personal data to review');
    let until: number | undefined;
    if (d.decision === 'keep') {
      until = Date.parse(d.until);
      const limit = Math.min(now + YEARS_3, lifecycle.limitAt ?? Number.POSITIVE_INFINITY);
      if (until <= now || until > limit)
        throw new StationError(
          'INVALID_INPUT',
          `keep it until a date after now and no later than ${new Date(limit).toISOString()} (three years, or the class's limit)`,
        );
    }
    const entry = this.log.append(
      {
        officer,
        action: 'review',
        purpose: 'data-protection-review',
        notice: this.ref(noticeId),
        lifecycle: {
          code: d.decision === 'keep' ? 'KEEP' : 'EXPIRE',
          retentionClass: lifecycle.retentionClass,
          reason: d.reason,
          ...(until ? { until: new Date(until).toISOString() } : {}),
        },
      },
      new Date(now),
    );
    this.inbox.recordReview(noticeId, d.decision, d.reason, until, officer.id, now);
    if (until) this.inbox.lifecycle.setReviewAt(noticeId, until);
    return entry;
  }

  /**
   * The station's schedule at `now`: masks the Art. 12(2) fields of PNR hits past six
   * months (the values kept apart under a key of their own), and crypto-shreds every
   * notice whose class ended or whose review date passed without a decision to keep it.
   */
  applyRetention(now = this.clock()): RetentionSweep {
    const out: RetentionSweep = { masked: [], erased: [] };
    for (const l of this.inbox.lifecycle.erasureDue(now)) {
      const code = l.limitAt !== undefined && l.limitAt <= now ? 'RETENTION_ENDED' : 'REVIEW_NOT_EXTENDED';
      this.erase(l.noticeId, { code, retentionClass: l.retentionClass }, now);
      out.erased.push({ noticeId: l.noticeId, code });
    }
    for (const l of this.inbox.lifecycle.maskingDue(now)) {
      this.mask(l.noticeId, now);
      out.masked.push(l.noticeId);
    }
    return out;
  }

  private erase(noticeId: string, record: LifecycleRecord, at: number, replacedBy?: string): void {
    this.system(
      record.code === 'RECTIFIED' ? 'rectify' : 'erase',
      noticeId,
      {
        ...record,
        derivedCopies: this.derivedCopies(noticeId),
      },
      at,
    );
    this.inbox.shred(noticeId);
    this.inbox.lifecycle.setState(noticeId, 'erased', record.code, at, replacedBy);
  }

  private mask(noticeId: string, at: number): void {
    const n = this.inbox.read(noticeId);
    const { masked, removed } = maskPnr(KINDS[n.kind].body, n.body);
    this.system('mask', noticeId, { code: 'PNR_ART_12', retentionClass: 'pnr-personal' }, at);
    if (Object.keys(removed).length > 0) this.inbox.sealPnrFull(noticeId, removed);
    this.inbox.reseal({ ...n, body: masked });
    this.inbox.lifecycle.setState(noticeId, 'masked', 'PNR_ART_12', at);
  }

  /**
   * Re-discloses a masked PNR hit in full: only a supervisor, only with the authorisation
   * Art. 12(3) requires (authority, reference, date), logged with it before the content
   * is returned.
   */
  redisclose(
    officer: Officer,
    noticeId: string,
    o: { authorisation: Authorisation; purpose: Purpose; note?: string },
  ): { notice: StoredNotice; entry: SignedEntry } {
    this.require(officer, 'pnr.redisclose');
    const auth = AuthorisationSchema.safeParse(o.authorisation);
    if (!auth.success)
      throw new StationError(
        'AUTHORISATION_REQUIRED',
        'name the authority, its reference and the date of its decision',
      );
    if (!PURPOSES.includes(o.purpose)) throw new StationError('INVALID_INPUT', 'state a purpose');
    const lifecycle = this.inbox.lifecycle.get(noticeId);
    if (lifecycle?.state !== 'masked') throw new StationError('NOT_FOUND', 'no masked notice with this id');
    const masked = this.inbox.read(noticeId);
    const entry = this.log.append({
      officer,
      action: 'redisclose',
      purpose: o.purpose,
      ...(o.note ? { note: o.note.slice(0, 200) } : {}),
      notice: this.ref(noticeId),
      lifecycle: { code: 'PNR_ART_12_3', authorisation: auth.data },
    });
    return { notice: { ...masked, body: { ...masked.body, ...this.inbox.openPnrFull(noticeId) } }, entry };
  }

  /**
   * Applies a provider's rectification or erasure request (already stored as its own
   * inbox line): checks that this station holds the amended notice from that sender with
   * that header, then erases it — or, for a rectification, replaces it by the new notice
   * (the old content is shredded) — together with any earlier rectification of it.
   * Disclosures of it are counted in the entry: those derived copies are the DPO's to follow up.
   */
  applyAmendment(amendment: StoredNotice, a: AmendmentFacts): AmendmentOutcome {
    const now = this.clock();
    let target: InboxEntry;
    try {
      target = this.inbox.entry(a.noticeId);
    } catch {
      return { applied: false, code: 'NOT_HELD' };
    }
    if (target.sender !== amendment.sender || this.inbox.headerSha256(a.noticeId) !== a.headerSha256)
      return { applied: false, code: 'MISMATCH' };
    const rectify = a.action === 'rectification';
    const done = this.inbox.lifecycle.get(a.noticeId);
    // The same amendment delivered again: already applied, confirmed again.
    if (
      done?.state === 'erased' &&
      (done.replacedBy === amendment.noticeId || (!rectify && done.code === 'ERASURE_REQUESTED'))
    )
      return { applied: true, code: rectify ? 'RECTIFIED' : 'ERASED' };
    const chain = [a.noticeId];
    for (let l = this.inbox.lifecycle.get(a.noticeId); l?.replacedBy && !chain.includes(l.replacedBy); ) {
      if (l.replacedBy === amendment.noticeId) break;
      chain.push(l.replacedBy);
      l = this.inbox.lifecycle.get(l.replacedBy);
    }
    for (const id of chain) {
      if (this.inbox.lifecycle.get(id)?.state === 'erased' && !rectify) continue;
      const record: LifecycleRecord = {
        code: rectify ? 'RECTIFIED' : 'ERASURE_REQUESTED',
        amendmentId: amendment.noticeId,
        reason: a.reason,
      };
      this.erase(id, record, now, rectify ? amendment.noticeId : undefined);
    }
    return { applied: true, code: rectify ? 'RECTIFIED' : 'ERASED' };
  }
}
