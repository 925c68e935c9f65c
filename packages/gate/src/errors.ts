import { LiaisonError } from '@liaison/core';
import type { EnvelopeErrorCode } from '@liaison/envelope';

export type GateErrorCode =
  | EnvelopeErrorCode
  | 'OVERSIZED'
  | 'WRONG_SUBJECT'
  | 'STALE'
  | 'FUTURE'
  | 'REPLAYED'
  /** Internal: the same signed envelope again in a new intake message (answered with its original receipt, never sent). */
  | 'RESUBMITTED'
  | 'EXPIRED'
  | 'NOT_A_PUBLISHER'
  | 'BAD_REQUEST'
  | 'RATE_LIMITED'
  /** Wire 1.1: the cleartext header holds a case reference or restriction text (they go sealed). */
  | 'CLEARTEXT_FREE_TEXT'
  /** The notice's classification is above what the exchange is accredited for. */
  | 'CLASSIFICATION_NOT_ACCREDITED'
  // Conversations (wire 1.2, docs/conversations.md):
  /** A reply (in_reply_to, an answer, a permission) that does not name what it answers. */
  | 'PROVENANCE_MISSING'
  /** The notice named is not one this exchange delivered (or not with that header). */
  | 'PROVENANCE_UNKNOWN'
  /** The sender was neither given the notice it answers or forwards nor its provider. */
  | 'NOT_A_RECIPIENT_OF_ORIGIN'
  | 'HANDLING_CODE_NOT_INHERITED'
  | 'TLP_NOT_INHERITED'
  | 'CLASSIFICATION_NOT_INHERITED'
  | 'SOURCES_NOT_INHERITED'
  /** The permission cited is not the provider's grant for this notice and sender. */
  | 'PERMISSION_INVALID'
  /** A permission granted or refused by someone other than the provider, or not in reply to a request. */
  | 'PERMISSION_NOT_PROVIDER'
  | 'ANSWER_WITHOUT_REQUEST'
  | 'REQUEST_NOT_ADDRESSED'
  | 'EUROPOL_COPY_MISSING'
  // Two-step hit / no-hit (wire 1.3, docs/decisions/0015):
  | 'HIT_ANSWER_WITHOUT_QUERY'
  | 'FOLLOW_UP_WITHOUT_HIT'
  /** A follow-up of a hit that no person of the requesting agency confirmed (Prüm step 2). */
  | 'MATCH_NOT_CONFIRMED'
  /** Evidence cannot be written (the audit log's inbox unavailable or too far behind). */
  | 'AUDIT_UNAVAILABLE'
  /** Wire 1.2: an amendment names no notice this sender sent with that header (or one the ledger no longer knows). */
  | 'AMENDMENT_TARGET_UNKNOWN'
  /** Wire 1.2: an amendment must name exactly the recipients the original was delivered to. */
  | 'AMENDMENT_RECIPIENTS_MISMATCH'
  /** A station checkpoint not signed by the requesting agency, or naming another log. */
  | 'BAD_CHECKPOINT'
  /** Internal: the gate's settings contradict each other (at start; never sent). */
  | 'CONFIG_INVALID';

/** Why a submission was rejected. The code is what the sender's receipt carries. */
export class GateError extends LiaisonError<GateErrorCode> {}
