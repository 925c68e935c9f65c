import { LiaisonError } from '@liaison/core';

export type ClientErrorCode =
  | 'PLAN_FAILED'
  | 'BAD_GATE_SIGNATURE'
  | 'RECEIPT_TIMEOUT'
  | 'REJECTED'
  | 'CLOSED'
  | 'RECEIPTS_FAILED'
  | 'NOT_A_PERMISSION_REQUEST';

/** A failure of the SDK itself (the gate's rejection codes travel in `cause` / `issues`). */
export class ClientError extends LiaisonError<ClientErrorCode> {}
