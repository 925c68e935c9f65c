import { LiaisonError } from '@liaison/core';

export type AuditErrorCode = 'BAD_CHECKPOINT' | 'BAD_REQUEST' | 'NOT_FOUND' | 'LOG_CONFLICT' | 'CORRUPT_LOG';

export class AuditError extends LiaisonError<AuditErrorCode> {}
