import { LiaisonError } from '@liaison/core';

/**
 * The station's one error class. The code is what a caller (the console, a test)
 * branches on; messages shown to officers stay short and never name the step
 * that failed in a cryptographic check.
 */
export type StationErrorCode =
  | 'CONFIG_INVALID'
  | 'NO_KEYS'
  | 'INBOX_KEY_MISMATCH'
  | 'DECRYPTION_FAILED'
  | 'NOT_FOUND'
  | 'BAD_CREDENTIALS'
  | 'LOCKED_OUT'
  | 'FORBIDDEN'
  | 'OFFICER_EXISTS'
  | 'INVALID_INPUT'
  | 'LOG_TAMPERED'
  | 'PUBLISH_REJECTED';

export class StationError extends LiaisonError<StationErrorCode> {}
