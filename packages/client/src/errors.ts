import { LiaisonError } from '@liaison/core';

export type ClientErrorCode =
  | 'PLAN_FAILED'
  | 'BAD_GATE_SIGNATURE'
  | 'RECEIPT_TIMEOUT'
  | 'REJECTED'
  | 'CLOSED'
  | 'RECEIPTS_FAILED'
  | 'REPLAY_FAILED'
  /** Only an accepted notice of this agency (with its header digest) can be rectified or erased. */
  | 'NOT_AMENDABLE';

/** A failure of the SDK itself (the gate's rejection codes travel in `cause` / `issues`). */
export class ClientError extends LiaisonError<ClientErrorCode> {}
