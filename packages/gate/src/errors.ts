import { LiaisonError } from '@liaison/core';
import type { EnvelopeErrorCode } from '@liaison/envelope';

export type GateErrorCode =
  | EnvelopeErrorCode
  | 'OVERSIZED'
  | 'WRONG_SUBJECT'
  | 'STALE'
  | 'FUTURE'
  | 'REPLAYED'
  | 'EXPIRED'
  | 'NOT_A_PUBLISHER'
  | 'BAD_REQUEST'
  | 'RATE_LIMITED'
  | 'AUDIT_UNAVAILABLE';

/** Why a submission was rejected. The code is what the sender's receipt carries. */
export class GateError extends LiaisonError<GateErrorCode> {}
