import { LiaisonError } from '@liaison/core';

export type LauncherErrorCode =
  | 'NATS_SERVER_NOT_FOUND'
  | 'NATS_SERVER_START_FAILED'
  | 'NATS_SERVER_NOT_READY'
  | 'NATS_SERVER_STATE';

export class LauncherError extends LiaisonError<LauncherErrorCode> {}
