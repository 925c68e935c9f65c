import { LiaisonError } from '@liaison/core';

export type OpsErrorCode =
  /** The metrics port is taken (another process, or a second instance on the same port). */
  'METRICS_PORT_UNAVAILABLE';

export class OpsError extends LiaisonError<OpsErrorCode> {}
