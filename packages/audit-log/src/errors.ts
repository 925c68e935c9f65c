import { LiaisonError } from '@liaison/core';

export type AuditErrorCode =
  | 'BAD_CHECKPOINT'
  | 'BAD_REQUEST'
  | 'NOT_FOUND'
  | 'LOG_CONFLICT'
  | 'CORRUPT_LOG'
  /** Bytes stored in the log that are not a record holding an entry. */
  | 'MALFORMED_RECORD'
  /** An audit stream (AUDIT, AUDIT_CHECKPOINTS) does not exist. */
  | 'LOG_MISSING'
  /** The audit-log service did not answer a request (not running, or too slow). */
  | 'LOG_UNAVAILABLE'
  /** The registry has no valid signing key for the log. */
  | 'NO_LOG_KEY'
  /** The identity asked to audit has no `auditor` role in the registry. */
  | 'NOT_AN_AUDITOR';

const CODES: readonly AuditErrorCode[] = [
  'BAD_CHECKPOINT',
  'BAD_REQUEST',
  'NOT_FOUND',
  'LOG_CONFLICT',
  'CORRUPT_LOG',
  'MALFORMED_RECORD',
  'LOG_MISSING',
  'LOG_UNAVAILABLE',
  'NO_LOG_KEY',
  'NOT_AN_AUDITOR',
];

/** A code received from the service, if it is one of ours (else BAD_REQUEST). */
export function auditErrorCode(code: unknown): AuditErrorCode {
  return CODES.includes(code as AuditErrorCode) ? (code as AuditErrorCode) : 'BAD_REQUEST';
}

export class AuditError extends LiaisonError<AuditErrorCode> {}
