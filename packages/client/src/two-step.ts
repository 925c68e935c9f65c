import type { AudienceRequest, SubmissionReceipt } from '@liaison/envelope';
import { type HitIdentifier, type HitResultName, hitProbe } from '@liaison/notice';
import type {
  Conversation,
  ConversationPublisher,
  NoticeDraft,
  NoticeRef,
  PublishOptions,
} from './conversation.js';
import { withEuropolCopy } from './conversation.js';

/** A hit query as an agency writes it: the identifier in clear stays with the SDK. */
export interface HitQueryDraft {
  identifier: HitIdentifier;
  offences: string[];
  /** Why the check is made (screened free text; no names or identifiers). */
  purpose: string;
  markings: Record<string, unknown>;
}

/** A person's confirmation that a hit is the one searched for (Prüm step 2). */
export interface MatchConfirmation {
  /** The officer's pseudonymous reference in this agency (e.g. the station's officer id), never a name. */
  confirmedBy: string;
  /** Default: now. */
  confirmedAt?: Date;
}

type Options = Omit<PublishOptions, 'provenance'>;

/** Markings of what a notice answers, without what is only its own. */
function answeringMarkings(m: NoticeRef['markings']): Record<string, unknown> {
  const { inReplyTo: _r, reviewAt: _v, expiresAt: _e, ...rest } = m;
  return rest;
}

/**
 * Two-step hit / no-hit exchanges (Prüm style, docs/decisions/0015), reached as
 * `client.hits`: step 1 a query that carries only a keyed hash of the identifier and an
 * automated hit / no-hit answer with a reference; step 2 a follow-up information
 * request, a reply to the hit, carrying the confirmation of a person that the match is
 * one (the gate refuses it otherwise: MATCH_NOT_CONFIRMED, FOLLOW_UP_WITHOUT_HIT).
 */
export class TwoStep {
  constructor(
    private readonly client: ConversationPublisher,
    private readonly conversation: Conversation,
  ) {}

  /**
   * Asks `holders` whether they hold something on `identifier`: the query carries the
   * identifier only as HMAC-SHA256 under a fresh salt, in its operational layer.
   *
   * @example
   * await client.hits.query({ identifier: { type: 'vehicle', registrationCountry: 'AT', plate: 'W 12345 X' },
   *   offences: ['drug-trafficking'], purpose: 'vehicle seen at a handover', markings }, ['at-bmi', 'pl-kgp']);
   */
  async query(
    draft: HitQueryDraft,
    holders: readonly string[],
    options: Options = {},
  ): Promise<SubmissionReceipt> {
    const body = {
      identifierType: draft.identifier.type,
      offences: draft.offences,
      purpose: draft.purpose,
      probe: hitProbe(draft.identifier),
    };
    return this.client.publish(
      { kind: 'hit-query', markings: draft.markings, body },
      { recipients: [...holders] },
      options,
    );
  }

  /** A holder's answer to a query it received (a reply to it): hit with a reference, or no-hit. */
  async answer(query: NoticeRef, result: HitResultName, reference?: string, options: Options = {}) {
    const body = result === 'hit' ? { result, reference } : { result };
    return this.conversation.reply(
      query,
      { kind: 'hit-answer', markings: answeringMarkings(query.markings), body },
      { recipients: [query.sender] },
      options,
    );
  }

  /**
   * Step 2: asks the holder of a hit for the data, once a person has confirmed the match
   * (an information request replying to the hit-answer, with the confirmation signed
   * into its header). Europol is added when the body says it gets a copy.
   */
  async followUp(
    hit: NoticeRef,
    draft: Omit<NoticeDraft, 'kind'>,
    confirmation: MatchConfirmation,
    options: Options = {},
  ): Promise<SubmissionReceipt> {
    const matchConfirmation = {
      confirmedBy: confirmation.confirmedBy,
      confirmedAt: (confirmation.confirmedAt ?? new Date()).toISOString(),
    };
    const notice: NoticeDraft = {
      ...draft,
      kind: 'information-request',
      body: { ...draft.body, matchConfirmation },
    };
    const audience: AudienceRequest = withEuropolCopy(notice, { recipients: [hit.sender] });
    return this.conversation.reply(hit, notice, audience, options);
  }
}
