import type { HitResultName } from '../hits/identifiers.js';
import type { NoticeKind } from '../kinds/index.js';
import type { AnswerOutcome, EuropolCopyReason, PermissionDecisionName, RefusalGround } from './terms.js';

/**
 * The conversation terms a notice's body implies, as they go (signed) into the
 * cleartext header: derived from the body's non-personal fields, never written twice
 * by hand. A recipient re-derives them from what it opened and compares.
 */
export interface ConversationTerms {
  request?: { directlyAccessible: boolean };
  answer?: { outcome: AnswerOutcome; refusalGround?: RefusalGround };
  europolCopy?: { copied: boolean; reasonNotCopied?: EuropolCopyReason };
  permission?: {
    decision: PermissionDecisionName;
    noticeId: string;
    noticeHeaderSha256: string;
    grantee: string;
    recipients: string[];
    validUntil?: string;
  };
  /** Wire 1.3: a hit-answer's result. */
  hit?: { result: HitResultName };
  /** Wire 1.3: the person's confirmation an information-request following up a hit carries. */
  confirmation?: { confirmedBy: string; confirmedAt: string };
}

/** The header terms of a validated body of `kind` (empty for the kinds that have none). */
export function conversationTerms(kind: NoticeKind, body: Record<string, unknown>): ConversationTerms {
  const t: ConversationTerms = {};
  if (kind === 'information-request' || kind === 'answer') {
    const c = body.europolCopy as ConversationTerms['europolCopy'];
    if (c) t.europolCopy = { ...c };
  }
  if (kind === 'information-request') {
    t.request = { directlyAccessible: body.directlyAccessible === true };
    const c = body.matchConfirmation as ConversationTerms['confirmation'];
    if (c)
      t.confirmation = { confirmedBy: c.confirmedBy, confirmedAt: new Date(c.confirmedAt).toISOString() };
  }
  if (kind === 'hit-answer') t.hit = { result: body.result as HitResultName };
  if (kind === 'answer') {
    t.answer = { outcome: body.outcome as AnswerOutcome };
    if (body.refusalGround) t.answer.refusalGround = body.refusalGround as RefusalGround;
  }
  if (kind === 'onward-permission') {
    const p = body as Required<ConversationTerms>['permission'];
    t.permission = {
      decision: p.decision,
      noticeId: p.noticeId,
      noticeHeaderSha256: p.noticeHeaderSha256,
      grantee: p.grantee,
      recipients: [...p.recipients],
    };
    if (p.validUntil) t.permission.validUntil = p.validUntil;
  }
  return t;
}
