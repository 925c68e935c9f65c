import { LiaisonError } from '@liaison/core';

/** The retention service's one error class. */
export type RetentionErrorCode = 'CONFIG_INVALID' | 'SWEEP_FAILED';

export class RetentionError extends LiaisonError<RetentionErrorCode> {}
