import { LiaisonError } from '@liaison/core';

export type ClientErrorCode =
  | 'PLAN_FAILED'
  | 'BAD_GATE_SIGNATURE'
  | 'RECEIPT_TIMEOUT'
  | 'REJECTED'
  | 'CLOSED'
  | 'RECEIPTS_FAILED'
  | 'NOT_A_PERMISSION_REQUEST'
  | 'REPLAY_FAILED'
  /** Only an accepted notice of this agency (with its header digest) can be rectified or erased. */
  | 'NOT_AMENDABLE'
  /** A hit responder's records file is not valid JSON of its schema. */
  | 'RECORDS_INVALID'
  /** The gate did not record a station's access-log checkpoint (its code in `issues`). */
  | 'CHECKPOINT_REFUSED';

/** A failure of the SDK itself (the gate's rejection codes travel in `cause` / `issues`). */
export class ClientError extends LiaisonError<ClientErrorCode> {}

/** The plan endpoint's own error codes; any other is a gate rejection code. */
const PLAN_ERRORS = new Set(['BAD_REQUEST', 'RATE_LIMITED', 'UNAVAILABLE']);

/**
 * The error for a refused plan request: REJECTED with the gate's code when the gate
 * refused the notice itself already at the plan (a conversation's provenance or
 * permission), PLAN_FAILED otherwise.
 */
export function planError(cause: { error?: { code?: string } }): ClientError {
  const code = cause.error?.code;
  if (code && !PLAN_ERRORS.has(code))
    return new ClientError('REJECTED', `the gate rejected the notice: ${code}`, {
      issues: [{ code, path: [], message: '' }],
      cause,
    });
  return new ClientError('PLAN_FAILED', 'the gate refused the plan request', { cause });
}
