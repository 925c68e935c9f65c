import { conversationFromHeader } from '@liaison/envelope';
import type { NoticeHeader } from '@liaison/wire';

/** Why a step of a two-step (hit / no-hit) exchange is refused as a whole (the gate's codes). */
export type TwoStepCode =
  /** A hit-answer that does not reply to a hit-query. */
  | 'HIT_ANSWER_WITHOUT_QUERY'
  /** A follow-up of a no-hit, or a match confirmation on a request that follows up no hit. */
  | 'FOLLOW_UP_WITHOUT_HIT'
  /** A follow-up of a hit without a person's confirmation of the match (at or after the hit). */
  | 'MATCH_NOT_CONFIRMED';

/**
 * The two-step rules (Prüm style, docs/decisions/0015) of a notice, given the header of
 * the notice it names (`origin`, undefined when it names none): a hit-answer replies to
 * a hit-query; an information-request that follows up a hit-answer follows up a *hit*,
 * and carries the confirmation, by a person of the requesting agency, that the match
 * is one, made at or after the hit was answered. Step 2's personal data is asked for
 * only then. The gate applies it before the policy; the auditor re-derives it.
 */
export function twoStepViolation(h: NoticeHeader, origin: NoticeHeader | undefined): TwoStepCode | undefined {
  const terms = conversationFromHeader(h);
  const relation = terms?.provenance?.relation;
  if (h.kind === 'hit-answer' && (origin?.kind !== 'hit-query' || relation !== 'reply'))
    return 'HIT_ANSWER_WITHOUT_QUERY';
  if (h.kind !== 'information-request') return undefined;
  const followsHit = origin?.kind === 'hit-answer';
  if (!followsHit) return terms?.confirmation ? 'FOLLOW_UP_WITHOUT_HIT' : undefined;
  if (conversationFromHeader(origin)?.hit?.result !== 'hit') return 'FOLLOW_UP_WITHOUT_HIT';
  const c = h.matchConfirmation;
  if (!c || c.confirmedAtMs < origin.createdAtMs || c.confirmedAtMs > h.createdAtMs)
    return 'MATCH_NOT_CONFIRMED';
  return undefined;
}
