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

  async send(
    officer: Officer,
    draftId: string,
    j: { purpose: Purpose; note?: string },
  ): Promise<{ receipt: SubmissionReceipt; entry: SignedEntry }> {
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
  ): Promise<{ receipt: SubmissionReceipt; entry: SignedEntry }> {
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
  ): Promise<{ receipt: SubmissionReceipt; entry: SignedEntry }> {
    const markings = m as { priority: string; caseReference?: string };
    let sealed: { s: SealedSubmission; entry: SignedEntry } | undefined;
    const record = (status: 'accepted' | 'rejected' | 'unconfirmed', recipients: unknown[], code?: string) =>
      sealed &&
      this.outbox.record({
        noticeId: sealed.s.noticeId,
        sentAt: Date.now(),
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
    try {
      const receipt = await run({
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
          sealed = { s, entry };
        },
      });
      record(
        'accepted',
        receipt.recipients.map((r) => ({ recipient: r.recipient, level: r.level })),
      );
      return { receipt, entry: sealed!.entry };
    } catch (err) {
      if (err instanceof ClientError && err.code === 'REJECTED') {
        const code = err.issues[0]?.code ?? 'REJECTED';
        record('rejected', [], code);
        throw new StationError('PUBLISH_REJECTED', `the gate rejected the notice: ${code}`, { cause: err });
      }
      record('unconfirmed', sealed?.s.recipients.map((r) => ({ recipient: r.agency, level: r.level })) ?? []);
      throw err;
    }
  }

  private forgetOld(): void {
    const now = Date.now();
    for (const [id, d] of this.drafts) if (now - d.at > DRAFT_TTL_MS) this.drafts.delete(id);
    if (this.drafts.size >= MAX_DRAFTS) this.drafts.delete(this.drafts.keys().next().value!);
  }
}
