import { LiaisonError } from '@liaison/core';

export type EnvelopeErrorCode =
  | 'MALFORMED'
  | 'BAD_SIGNATURE'
  | 'UNKNOWN_KEY'
  | 'KEY_NOT_VALID'
  | 'KEY_REVOKED'
  | 'LAYER_TAMPERED'
  | 'AUDIENCE_MISMATCH'
  | 'NOT_A_RECIPIENT'
  | 'DECRYPTION_FAILED'
  | 'BAD_COUNTERSIGNATURE'
  | 'UNKNOWN_KIND'
  | 'SCHEMA_INVALID'
  | 'BAD_KEY'
  /** Wire 1.2: an information request whose signed due time is not the Directive's deadline. */
  | 'DEADLINE_MISMATCH';

/**
 * Every failure to seal, verify or open an envelope. Messages stay vague on
 * cryptographic failures (they may reach a peer); the detail is in `cause`.
 */
export class EnvelopeError extends LiaisonError<EnvelopeErrorCode> {}
