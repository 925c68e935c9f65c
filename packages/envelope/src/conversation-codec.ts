import {
  type AnswerOutcome,
  type ConversationTerms,
  EUROPOL_COPY_REASONS,
  type EuropolCopyReason,
  type PermissionDecisionName,
  REFUSAL_GROUNDS,
  type RefusalGround,
  requestDueAt,
} from '@liaison/notice';
import {
  AnswerTermsSchema,
  AnswerType,
  create,
  EuropolCopySchema,
  HitAnswerTermsSchema,
  HitResult,
  MatchConfirmationSchema,
  type NoticeHeader,
  OnwardPermissionSchema,
  PermissionDecision,
  Priority,
  ProvenanceSchema,
  Relation,
  RequestTermsSchema,
} from '@liaison/wire';

// Wire 1.2: the conversation fields of the header (docs/conversations.md), between the
// terms as the notice package derives them from a body and the protobuf messages.

const ANSWER_TYPE: Record<AnswerOutcome, AnswerType> = {
  information: AnswerType.INFORMATION,
  refusal: AnswerType.REFUSAL,
  partial: AnswerType.PARTIAL,
  clarification: AnswerType.CLARIFICATION,
};
const DECISION: Record<PermissionDecisionName, PermissionDecision> = {
  requested: PermissionDecision.REQUESTED,
  granted: PermissionDecision.GRANTED,
  refused: PermissionDecision.REFUSED,
};

/** What a reply or forward names: the notice it answers or forwards (and the provider's grant). */
export interface ProvenanceRequest {
  relation: 'reply' | 'forward';
  noticeId: string;
  /** SHA-256 of that notice's header bytes (the delivery's grant carries it). */
  headerSha256: Uint8Array;
  /** The onward-permission notice (decision granted) a forward relies on. */
  permission?: { noticeId: string; headerSha256: Uint8Array };
}

export type HeaderConversation = Pick<
  NoticeHeader,
  'provenance' | 'request' | 'answer' | 'europolCopy' | 'permission' | 'hit' | 'matchConfirmation'
>;

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** The header's conversation fields for a notice created at `createdAtMs`. */
export function conversationToHeader(
  terms: ConversationTerms,
  priority: 'urgent' | 'non-urgent',
  createdAtMs: number,
  provenance?: ProvenanceRequest,
): Partial<HeaderConversation> {
  const out: Partial<HeaderConversation> = {};
  if (provenance)
    out.provenance = create(ProvenanceSchema, {
      relation: provenance.relation === 'reply' ? Relation.REPLY : Relation.FORWARD,
      noticeId: provenance.noticeId,
      headerSha256: provenance.headerSha256,
      permissionNoticeId: provenance.permission?.noticeId ?? '',
      permissionHeaderSha256: provenance.permission?.headerSha256 ?? new Uint8Array(),
    });
  if (terms.request)
    out.request = create(RequestTermsSchema, {
      directlyAccessible: terms.request.directlyAccessible,
      dueAtMs: BigInt(requestDueAt(createdAtMs, priority, terms.request.directlyAccessible)),
    });
  if (terms.answer)
    out.answer = create(AnswerTermsSchema, {
      type: ANSWER_TYPE[terms.answer.outcome],
      refusalGround: terms.answer.refusalGround ?? '',
    });
  if (terms.europolCopy)
    out.europolCopy = create(EuropolCopySchema, {
      copied: terms.europolCopy.copied,
      reasonNotCopied: terms.europolCopy.reasonNotCopied ?? '',
    });
  if (terms.permission)
    out.permission = create(OnwardPermissionSchema, {
      decision: DECISION[terms.permission.decision],
      noticeId: terms.permission.noticeId,
      headerSha256: Buffer.from(terms.permission.noticeHeaderSha256, 'hex'),
      grantee: terms.permission.grantee,
      recipients: [...terms.permission.recipients],
      validUntilMs: terms.permission.validUntil ? BigInt(Date.parse(terms.permission.validUntil)) : 0n,
    });
  if (terms.hit)
    out.hit = create(HitAnswerTermsSchema, {
      result: terms.hit.result === 'hit' ? HitResult.HIT : HitResult.NO_HIT,
    });
  if (terms.confirmation)
    out.matchConfirmation = create(MatchConfirmationSchema, {
      confirmedBy: terms.confirmation.confirmedBy,
      confirmedAtMs: BigInt(Date.parse(terms.confirmation.confirmedAt)),
    });
  return out;
}

function invert<K extends string, V extends number>(m: Record<K, V>): Map<number, K> {
  return new Map(Object.entries(m).map(([k, v]) => [v as number, k as K]));
}
const ANSWER_TYPE_R = invert(ANSWER_TYPE);
const DECISION_R = invert(DECISION);
const GROUNDS = new Set<string>(REFUSAL_GROUNDS);
const COPY_REASONS = new Set<string>(EUROPOL_COPY_REASONS);

/** The conversation fields of a header as terms, or undefined when they are malformed. */
export interface HeaderTerms extends ConversationTerms {
  provenance?: {
    relation: 'reply' | 'forward';
    noticeId: string;
    headerSha256: string;
    permission?: { noticeId: string; headerSha256: string };
  };
  /** Information requests: the signed due time (ms). */
  dueAtMs?: number;
}

/**
 * Reads a header's conversation fields. Undefined when they are inconsistent: a
 * field on a kind that may not carry it, an unknown token, a missing digest.
 */
export function conversationFromHeader(h: NoticeHeader): HeaderTerms | undefined {
  const t: HeaderTerms = {};
  const p = h.provenance;
  if (p) {
    if (p.relation !== Relation.REPLY && p.relation !== Relation.FORWARD) return undefined;
    if (p.headerSha256.length !== 32 || p.noticeId === '') return undefined;
    const hasPermission = p.permissionNoticeId !== '' || p.permissionHeaderSha256.length > 0;
    if (hasPermission && p.permissionHeaderSha256.length !== 32) return undefined;
    t.provenance = {
      relation: p.relation === Relation.REPLY ? 'reply' : 'forward',
      noticeId: p.noticeId,
      headerSha256: hex(p.headerSha256),
    };
    if (hasPermission)
      t.provenance.permission = {
        noticeId: p.permissionNoticeId,
        headerSha256: hex(p.permissionHeaderSha256),
      };
  }
  const isRequest = h.kind === 'information-request';
  const isAnswer = h.kind === 'answer';
  if (isRequest !== (h.request !== undefined)) return undefined;
  if (isAnswer !== (h.answer !== undefined)) return undefined;
  if ((isRequest || isAnswer) !== (h.europolCopy !== undefined)) return undefined;
  if ((h.kind === 'onward-permission') !== (h.permission !== undefined)) return undefined;
  if ((h.kind === 'hit-answer') !== (h.hit !== undefined)) return undefined;
  if (h.matchConfirmation && !isRequest) return undefined;
  if (h.hit) {
    if (h.hit.result !== HitResult.HIT && h.hit.result !== HitResult.NO_HIT) return undefined;
    t.hit = { result: h.hit.result === HitResult.HIT ? 'hit' : 'no-hit' };
  }
  if (h.matchConfirmation) {
    const c = h.matchConfirmation;
    if (!/^[a-z0-9][a-z0-9._-]{1,63}$/.test(c.confirmedBy) || c.confirmedAtMs <= 0n) return undefined;
    const at = new Date(Number(c.confirmedAtMs));
    if (Number.isNaN(at.getTime())) return undefined;
    t.confirmation = { confirmedBy: c.confirmedBy, confirmedAt: at.toISOString() };
  }
  if (h.request) {
    t.request = { directlyAccessible: h.request.directlyAccessible };
    t.dueAtMs = Number(h.request.dueAtMs);
  }
  if (h.answer) {
    const outcome = ANSWER_TYPE_R.get(h.answer.type);
    if (!outcome) return undefined;
    if (h.answer.refusalGround && !GROUNDS.has(h.answer.refusalGround)) return undefined;
    t.answer = { outcome };
    if (h.answer.refusalGround) t.answer.refusalGround = h.answer.refusalGround as RefusalGround;
  }
  if (h.europolCopy) {
    const r = h.europolCopy.reasonNotCopied;
    if (r && !COPY_REASONS.has(r)) return undefined;
    if (h.europolCopy.copied === (r !== '')) return undefined;
    t.europolCopy = { copied: h.europolCopy.copied };
    if (r) t.europolCopy.reasonNotCopied = r as EuropolCopyReason;
  }
  if (h.permission) {
    const decision = DECISION_R.get(h.permission.decision);
    if (!decision || h.permission.headerSha256.length !== 32) return undefined;
    t.permission = {
      decision,
      noticeId: h.permission.noticeId,
      noticeHeaderSha256: hex(h.permission.headerSha256),
      grantee: h.permission.grantee,
      recipients: [...h.permission.recipients],
    };
    if (h.permission.validUntilMs > 0n)
      t.permission.validUntil = new Date(Number(h.permission.validUntilMs)).toISOString();
  }
  return t;
}

/** The priority of a header as the deadline rules read it. */
export function priorityOf(h: NoticeHeader): 'urgent' | 'non-urgent' {
  return h.priority === Priority.URGENT ? 'urgent' : 'non-urgent';
}

/** Whether the terms derived from an opened body are the ones the header signed. */
export function sameTerms(fromBody: ConversationTerms, fromHeader: HeaderTerms): boolean {
  const { provenance: _p, dueAtMs: _d, ...signed } = fromHeader;
  return JSON.stringify(normalise(fromBody)) === JSON.stringify(normalise(signed));
}

function normalise(t: ConversationTerms): unknown {
  const sort = (o: unknown): unknown =>
    o && typeof o === 'object' && !Array.isArray(o)
      ? Object.fromEntries(
          Object.entries(o as Record<string, unknown>)
            .filter(([, v]) => v !== undefined)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, v]) => [k, sort(v)]),
        )
      : o;
  return sort(t);
}
