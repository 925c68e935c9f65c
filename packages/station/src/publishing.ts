import { randomBytes } from 'node:crypto';
import {
  ClientError,
  inheritMarkings,
  type LiaisonClient,
  type PublishOptions,
  type SealedSubmission,
  withEuropolCopy,
} from '@liaison/client';
import { isLiaisonError } from '@liaison/core';
import type { AudienceRequest, SubmissionReceipt } from '@liaison/envelope';
import { isNoticeKind, type NoticeInput, type NoticeKind, validateNotice } from '@liaison/notice';
import type { AccessLog, SignedEntry } from './access-log.js';
import {
  audienceFor,
  type ConversationIntent,
  checkIntent,
  provenanceFor,
  sendConversation,
} from './conversations.js';
import { StationError } from './errors.js';
import type { Officer } from './officers.js';
import type { Outbox } from './outbox.js';
import type { Purpose } from './roles.js';

/** A problem with what the officer wrote: where (a path, never the value) and why. */
export interface DraftProblem {
  code: string;
  path: string;
  message: string;
}

/** What the officer sees before sending: screening, the layers, whom it would go to. */
export interface Preview {
  kind: NoticeKind;
  notice: NoticeInput;
  audience: AudienceRequest;
  /** Set when the notice is valid and screened: what `send` takes. */
  draftId?: string;
  problems: DraftProblem[];
  /** Strategic free text screened for personal identifiers (hits name the field, not the value). */
  screening: { passed: boolean; hits: DraftProblem[] };
  /** Which body fields go into which layer (from the schema's marks). */
  layers?: { strategic: string[]; operational: string[] };
  /** The gate's signed plan: each recipient and its level, under the current policy. */
  plan?: { agency: string; level: 'operational' | 'strategic' }[];
}

interface Draft {
  officerId: string;
  notice: NoticeInput;
  audience: AudienceRequest;
  kind: NoticeKind;
  at: number;
  conversation?: ConversationIntent;
}

type Run = (options: Omit<PublishOptions, 'provenance'>) => Promise<SubmissionReceipt>;

/** What sending a draft did: the gate's receipt, or (at a site) queued in the site's outbox for the hub. */
export interface SentDraft {
  noticeId: string;
  /** The gate's signed answer, when it came within the wait. */
  receipt?: SubmissionReceipt;
  /** In the site's outbox, not yet answered (the link to the hub is down, or slow): it goes when it can. */
  queued: boolean;
  /** The disclosure's access-log entry. */
  entry: SignedEntry;
}

/** How a station at an agency site publishes (docs/station.md, "At an agency site"). */
export interface SitePublishing {
  /** After the notice is in the outbox, how long to wait for the gate's receipt before answering "queued". */
  queueAfterMs: number;
  /** How long the SDK keeps waiting for the receipt in the background. */
  receiptWaitMs: number;
}

interface Draft {
  officerId: string;
  notice: NoticeInput;
  audience: AudienceRequest;
  kind: NoticeKind;
  at: number;
}

const DRAFT_TTL_MS = 15 * 60_000;
const MAX_DRAFTS = 1000;
const SCREENING = 'PERSONAL_DATA_IN_STRATEGIC';

const path = (p: readonly PropertyKey[]) => p.map(String).join('.');

/**
 * Publishing for officers: a notice from the console's form is validated and screened
 * with `@liaison/notice` (`validateNotice`, the same checks the SDK makes), planned
 * with the gate, and kept as a draft of that officer; sending it publishes through the
 * SDK and records the disclosure — officer, purpose, notice, recipients with levels —
 * in the access log once it is sealed and before it leaves (`onSealed`).
 */
export class Publisher {
  private readonly drafts = new Map<string, Draft>();

  constructor(
    private readonly agency: string,
    private readonly client: LiaisonClient | undefined,
    private readonly log: AccessLog,
    private readonly outbox: Outbox,
    /** Told when an answer to a request went out (the request leaves the top of the inbox). */
    private readonly onAnswered: (requestId: string) => void = () => undefined,
    /** At an agency site: how long an officer waits for the gate once the notice is in the site's outbox. */
    private readonly site?: SitePublishing,
  ) {}

  async preview(
    officer: Officer,
    input: NoticeInput,
    asked: AudienceRequest,
    conversation?: ConversationIntent,
  ): Promise<Preview> {
    if (!isNoticeKind(input.kind)) throw new StationError('INVALID_INPUT', 'unknown notice kind');
    const kind: NoticeKind = input.kind;
    let notice = input;
    let audience = asked;
    if (conversation) {
      checkIntent(conversation);
      // What the SDK's conversation operation will send: the original's strictest markings.
      const o = conversation.original;
      if (o && conversation.relation !== 'request') {
        const inReplyTo = conversation.relation === 'forward' ? undefined : o.noticeId;
        notice = inheritMarkings(o.markings, notice as never, inReplyTo) as NoticeInput;
      }
      audience = withEuropolCopy(notice as never, audienceFor(conversation, asked));
    }
    const out: Preview = { kind, notice, audience, problems: [], screening: { passed: true, hits: [] } };
    let valid: ReturnType<typeof validateNotice>;
    try {
      valid = validateNotice(notice);
    } catch (err) {
      if (!isLiaisonError(err)) throw err;
      for (const i of err.issues.length ? err.issues : [{ code: err.code, path: [], message: err.message }]) {
        const p = { code: i.code, path: path(i.path), message: i.message };
        if (i.code === SCREENING) out.screening.hits.push(p);
        else out.problems.push(p);
      }
      out.screening.passed = out.screening.hits.length === 0;
      return out;
    }
    out.layers = {
      strategic: Object.keys(valid.layers.strategic ?? {}),
      operational: Object.keys(valid.layers.operational ?? {}),
    };
    if (!this.client) throw new StationError('CONFIG_INVALID', 'this station has no exchange client');
    const provenance = conversation ? provenanceFor(conversation) : undefined;
    out.plan = (await this.client.plan(notice, audience, provenance)).map((r) => ({
      agency: r.agency,
      level: r.level,
    }));
    this.forgetOld();
    const draftId = randomBytes(16).toString('base64url');
    this.drafts.set(draftId, {
      officerId: officer.id,
      notice,
      audience,
      kind,
      at: Date.now(),
      ...(conversation ? { conversation } : {}),
    });
    out.draftId = draftId;
    return out;
  }

  async send(officer: Officer, draftId: string, j: { purpose: Purpose; note?: string }): Promise<SentDraft> {
    const d = this.drafts.get(draftId);
    if (!d || d.officerId !== officer.id || Date.now() - d.at > DRAFT_TTL_MS)
      throw new StationError('NOT_FOUND', 'no such draft; preview the notice again');
    const client = this.client;
    if (!client) throw new StationError('CONFIG_INVALID', 'this station has no exchange client');
    this.drafts.delete(draftId);
    const conv = d.conversation;
    const run: Run = (o) =>
      conv
        ? sendConversation(client, conv, d.notice, d.audience, o)
        : client.publish(d.notice, d.audience, o);
    const sent = await this.logged(officer, d.kind, d.notice.markings as Record<string, unknown>, j, run);
    if (conv?.relation === 'answer' && conv.original) this.onAnswered(conv.original.noticeId);
    return sent;
  }

  /**
   * A conversation notice with no form of its own (an onward-permission request or
   * decision, `client.conversation.requestPermission` / `decidePermission`): published
   * and recorded like any other, the disclosure logged before it leaves.
   */
  sendDirect(
    officer: Officer,
    kind: NoticeKind,
    markings: Record<string, unknown>,
    j: { purpose: Purpose; note?: string },
    run: Run,
  ): Promise<SentDraft> {
    if (!this.client) throw new StationError('CONFIG_INVALID', 'this station has no exchange client');
    return this.logged(officer, kind, markings, j, run);
  }

  get exchange(): LiaisonClient | undefined {
    return this.client;
  }

  private async logged(
    officer: Officer,
    kind: NoticeKind,
    m: Record<string, unknown>,
    j: { purpose: Purpose; note?: string },
    run: Run,
  ): Promise<SentDraft> {
    const markings = m as { priority: string; caseReference?: string };
    let sealed: { s: SealedSubmission; entry: SignedEntry; at: number } | undefined;
    let answered = false;
    const record = (status: 'accepted' | 'rejected' | 'unconfirmed', recipients: unknown[], code?: string) =>
      sealed &&
      this.outbox.record({
        noticeId: sealed.s.noticeId,
        sentAt: sealed.at,
        officerId: officer.id,
        kind,
        priority: markings.priority,
        caseReference: markings.caseReference,
        headerSha256: sealed.s.headerSha256,
        accessSeq: sealed.entry.entry.seq,
        status,
        code,
        recipients: recipients as { recipient: string; level: string }[],
      });
    const planned = () => sealed?.s.recipients.map((r) => ({ recipient: r.agency, level: r.level })) ?? [];
    let stored: () => void = () => undefined;
    const inOutbox = new Promise<void>((resolve) => {
      stored = resolve;
    });
    const settled = run({
      ...(this.site ? { timeoutMs: this.site.receiptWaitMs } : {}),
      onStored: () => stored(),
      onSealed: (s) => {
        const entry = this.log.append({
          officer,
          action: 'disclose',
          ...j,
          notice: {
            id: s.noticeId,
            sender: this.agency,
            kind,
            level: s.recipients.some((r) => r.level === 'operational') ? 'operational' : 'strategic',
            headerSha256: s.headerSha256,
          },
          recipients: s.recipients.map((r) => `${r.agency} (${r.level})`),
        });
        sealed = { s, entry, at: Date.now() };
      },
    }).then(
      (receipt) => {
        answered = true;
        record(
          'accepted',
          receipt.recipients.map((r) => ({ recipient: r.recipient, level: r.level })),
        );
        return receipt;
      },
      (err: unknown) => {
        if (err instanceof ClientError && err.code === 'REJECTED') {
          answered = true;
          const code = err.issues[0]?.code ?? 'REJECTED';
          record('rejected', [], code);
          throw new StationError('PUBLISH_REJECTED', `the gate rejected the notice: ${code}`, { cause: err });
        }
        // Unless the site's confirmer has recorded the gate's answer meanwhile.
        if (!answered && !this.answeredElsewhere(sealed?.s.noticeId)) record('unconfirmed', planned());
        throw err;
      },
    );
    if (!this.site) {
      const receipt = await settled;
      return { noticeId: receipt.noticeId, receipt, queued: false, entry: sealed!.entry };
    }
    // At a site (docs/station.md): once the notice is in the site's outbox it reaches the
    // hub without the officer, however long the link is down; the answer is recorded when
    // it comes (or by the site's confirmer, after a restart or a longer outage).
    settled.catch(() => undefined);
    const queueAfterMs = this.site.queueAfterMs;
    const queued = inOutbox.then(
      () => new Promise<'queued'>((resolve) => setTimeout(() => resolve('queued'), queueAfterMs)),
    );
    const first = await Promise.race([settled, queued]);
    if (first !== 'queued')
      return { noticeId: first.noticeId, receipt: first, queued: false, entry: sealed!.entry };
    if (!answered) record('unconfirmed', planned());
    return { noticeId: sealed!.s.noticeId, queued: true, entry: sealed!.entry };
  }

  private answeredElsewhere(noticeId: string | undefined): boolean {
    if (!noticeId) return false;
    try {
      return this.outbox.entry(noticeId).status !== 'unconfirmed';
    } catch {
      return false; // not recorded yet
    }
  }

  private forgetOld(): void {
    const now = Date.now();
    for (const [id, d] of this.drafts) if (now - d.at > DRAFT_TTL_MS) this.drafts.delete(id);
    if (this.drafts.size >= MAX_DRAFTS) this.drafts.delete(this.drafts.keys().next().value!);
  }
}
