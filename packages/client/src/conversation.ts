import {
  type AudienceRequest,
  type DeadlineReport,
  isDeadlineReport,
  type KeyResolver,
  type OpenedNotice,
  type ProvenanceRequest,
  type SubmissionReceipt,
  verifyDeadlineReport,
} from '@liaison/envelope';
import {
  CLASSIFICATIONS,
  classificationRank,
  EUROPOL_AGENCY,
  HANDLING_CODES,
  type Markings,
  SOURCES,
  TLP_LABELS,
} from '@liaison/notice';
import { ClientError } from './errors.js';
import type { PublishOptions } from './types.js';

/** What the conversation operations need of the client: its agency and `publish`. */
export interface ConversationPublisher {
  readonly agency: string;
  publish(notice: unknown, audience?: AudienceRequest, options?: PublishOptions): Promise<SubmissionReceipt>;
}

export type { PublishOptions };

/**
 * What a conversation needs of a notice it answers or forwards: a delivered notice as
 * the SDK opened it, or one saved by `liaison feed tail --save` and read back.
 */
export type NoticeRef = Pick<
  OpenedNotice,
  'noticeId' | 'sender' | 'kind' | 'markings' | 'headerSha256' | 'conversation'
>;

/** A delivered notice as JSON (`feed tail --save`): its content too, so it is written 0600. */
export function savedNotice(n: OpenedNotice): Record<string, unknown> {
  return {
    noticeId: n.noticeId,
    sender: n.sender,
    kind: n.kind,
    createdAt: n.createdAt.toISOString(),
    level: n.level,
    markings: n.markings,
    conversation: n.conversation,
    headerSha256: Buffer.from(n.headerSha256).toString('hex'),
    body: n.body,
  };
}

/** A saved notice read back as a reference to answer or forward. */
export function noticeRefOf(saved: Record<string, unknown>): NoticeRef {
  return {
    noticeId: String(saved.noticeId),
    sender: String(saved.sender),
    kind: saved.kind as NoticeRef['kind'],
    markings: saved.markings as NoticeRef['markings'],
    conversation: (saved.conversation ?? {}) as NoticeRef['conversation'],
    headerSha256: new Uint8Array(Buffer.from(String(saved.headerSha256), 'hex')),
  };
}

/** A notice as a sender writes it (validated by `publish`). */
export interface NoticeDraft {
  kind: string;
  markings: Record<string, unknown>;
  body: Record<string, unknown>;
  screeningOverrides?: string[];
}

const tlpRank = (t: unknown) =>
  typeof t === 'string' ? TLP_LABELS.length - TLP_LABELS.indexOf(t as never) : 0;

/**
 * The draft's markings raised to at least the original's: the stricter handling code
 * (H3 with the original's restriction text when the draft has none), TLP and
 * classification, every source of the original, its case reference when the draft has
 * none, and `inReplyTo`. The gate refuses anything weaker; this is what a reply or a
 * forward sends unless told otherwise.
 */
export function inheritMarkings(original: Markings, draft: NoticeDraft, inReplyTo?: string): NoticeDraft {
  const m = { ...draft.markings } as Record<string, unknown>;
  const code = String(m.handlingCode ?? 'H0');
  if (HANDLING_CODES.indexOf(original.handlingCode) > HANDLING_CODES.indexOf(code as never)) {
    m.handlingCode = original.handlingCode;
    if (original.handlingCode === 'H3') m.handlingRestriction ??= original.handlingRestriction;
    else delete m.handlingRestriction;
  }
  if (tlpRank(original.tlp) > tlpRank(m.tlp)) m.tlp = original.tlp;
  const cls = m.classification as Markings['classification'];
  if (classificationRank(original.classification) > classificationRank(cls))
    m.classification = original.classification;
  if (m.classification && !CLASSIFICATIONS.includes(m.classification as never)) delete m.classification;
  const sources = new Set([...((m.sources as string[]) ?? []), ...(original.sources ?? [])]);
  if (sources.size > 0) m.sources = SOURCES.filter((s) => sources.has(s));
  if (original.caseReference && !m.caseReference) m.caseReference = original.caseReference;
  if (inReplyTo) m.inReplyTo = inReplyTo;
  return { ...draft, markings: m };
}

/** The provenance of a reply to or forward of a delivered notice. */
export function provenanceOf(
  relation: 'reply' | 'forward',
  original: NoticeRef,
  permission?: NoticeRef,
): ProvenanceRequest {
  const p: ProvenanceRequest = {
    relation,
    noticeId: original.noticeId,
    headerSha256: original.headerSha256,
  };
  if (permission) p.permission = { noticeId: permission.noticeId, headerSha256: permission.headerSha256 };
  return p;
}

/** Europol is named when the draft's body says it is copied (Directive 2023/977 Art. 12). */
export function withEuropolCopy(draft: NoticeDraft, audience: AudienceRequest): AudienceRequest {
  const copy = draft.body.europolCopy as { copied?: boolean } | undefined;
  if (!copy?.copied) return audience;
  const recipients = [...(audience.recipients ?? [])];
  if (!recipients.includes(EUROPOL_AGENCY)) recipients.push(EUROPOL_AGENCY);
  return { ...audience, recipients };
}

/**
 * The conversation operations of an agency (reached as `client.conversation`): each
 * publishes a notice with provenance through the client, markings inherited.
 */
export class Conversation {
  constructor(private readonly client: ConversationPublisher) {}

  /**
   * Answers a delivered notice: inherits its strictest markings (handling code, TLP,
   * classification, sources, case reference), names it by id and header digest, and
   * goes to its provider unless another audience is given (anyone else is onward
   * dissemination, under the gate's rules).
   *
   * @example
   * const item = await next(client.feed());
   * await client.reply(item.notice, { kind: 'threat-notice', markings, body });
   */
  async reply(
    original: NoticeRef,
    draft: NoticeDraft,
    audience: AudienceRequest = { recipients: [original.sender] },
    options: Omit<PublishOptions, 'provenance'> = {},
  ): Promise<SubmissionReceipt> {
    const notice = inheritMarkings(original.markings, draft, original.noticeId);
    return this.client.publish(notice, withEuropolCopy(notice, audience), {
      ...options,
      provenance: provenanceOf('reply', original),
    });
  }

  /**
   * Forwards a delivered notice's information onward, to `audience`: inherits its
   * markings and names it; an H2 / TLP:RED / TLP:AMBER+STRICT notice (or a recipient its
   * audience excluded) needs the provider's grant (`permission`, an onward-permission
   * notice with decision granted, as this agency received it).
   */
  async forward(
    original: NoticeRef,
    draft: NoticeDraft,
    audience: AudienceRequest,
    options: Omit<PublishOptions, 'provenance'> & { permission?: NoticeRef } = {},
  ): Promise<SubmissionReceipt> {
    const { permission, ...rest } = options;
    const notice = inheritMarkings(original.markings, draft);
    return this.client.publish(notice, audience, {
      ...rest,
      provenance: provenanceOf('forward', original, permission),
    });
  }

  /**
   * Sends an information request (Directive 2023/977) to the agencies it names; Europol
   * is added when the body says it gets a copy. The deadline is signed in at sealing.
   */
  async request(
    draft: NoticeDraft,
    requested: readonly string[],
    options: Omit<PublishOptions, 'provenance'> = {},
  ): Promise<SubmissionReceipt> {
    const notice = { ...draft, kind: 'information-request' };
    return this.client.publish(notice, withEuropolCopy(notice, { recipients: [...requested] }), options);
  }

  /** Answers an information request (information, refusal, partial, clarification): a reply to it. */
  async answer(
    request: NoticeRef,
    draft: Omit<NoticeDraft, 'kind'>,
    options: Omit<PublishOptions, 'provenance'> = {},
  ): Promise<SubmissionReceipt> {
    return this.reply(request, { ...draft, kind: 'answer' }, { recipients: [request.sender] }, options);
  }

  /** Asks a notice's provider for permission to disseminate it onward to `recipients`. */
  async requestPermission(
    original: NoticeRef,
    recipients: readonly string[],
    markings: Record<string, unknown>,
    conditions?: string,
    options: Omit<PublishOptions, 'provenance'> = {},
  ): Promise<SubmissionReceipt> {
    const body = {
      decision: 'requested',
      noticeId: original.noticeId,
      noticeHeaderSha256: Buffer.from(original.headerSha256).toString('hex'),
      grantee: this.client.agency,
      recipients: [...recipients],
      ...(conditions ? { conditions } : {}),
    };
    return this.reply(original, { kind: 'onward-permission', markings, body }, undefined, options);
  }

  /** The provider's answer to a permission request it received: granted or refused, for the recipients named. */
  async decidePermission(
    request: NoticeRef,
    decision: 'granted' | 'refused',
    options: { recipients?: readonly string[]; validUntil?: string; conditions?: string } & Omit<
      PublishOptions,
      'provenance'
    > = {},
  ): Promise<SubmissionReceipt> {
    const asked = request.conversation.permission;
    if (request.kind !== 'onward-permission' || !asked)
      throw new ClientError('NOT_A_PERMISSION_REQUEST', 'not a permission request');
    const body = {
      decision,
      noticeId: asked.noticeId,
      noticeHeaderSha256: asked.noticeHeaderSha256,
      grantee: asked.grantee,
      recipients: [...(options.recipients ?? asked.recipients)],
      ...(options.validUntil ? { validUntil: options.validUntil } : {}),
      ...(options.conditions ? { conditions: options.conditions } : {}),
    };
    const { inReplyTo: _r, reviewAt: _v, expiresAt: _e, ...markings } = request.markings;
    const { recipients: _rs, validUntil: _vu, conditions: _c, ...publish } = options;
    return this.reply(request, { kind: 'onward-permission', markings, body }, undefined, publish);
  }
}

/** The provenance member of a plan request (hex digests), or nothing. */
export function planProvenance(p: ProvenanceRequest | undefined): { provenance?: Record<string, unknown> } {
  if (!p) return {};
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  const permission = p.permission
    ? { permission: { noticeId: p.permission.noticeId, headerSha256: hex(p.permission.headerSha256) } }
    : {};
  return {
    provenance: {
      relation: p.relation,
      noticeId: p.noticeId,
      headerSha256: hex(p.headerSha256),
      ...permission,
    },
  };
}

/** The deadline reports among an agency's stored receipts for a request, verified. */
export function verifiedReports(
  receipts: readonly string[],
  resolver: KeyResolver,
): Promise<DeadlineReport[]> {
  return Promise.all(receipts.filter(isDeadlineReport).map((jws) => verifyDeadlineReport(jws, resolver)));
}
