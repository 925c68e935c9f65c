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
  /** Evidence cannot be written (the audit log's inbox unavailable or too far behind). */
  | 'AUDIT_UNAVAILABLE';

/** Why a submission was rejected. The code is what the sender's receipt carries. */
export class GateError extends LiaisonError<GateErrorCode> {}
