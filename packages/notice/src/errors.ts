import { LiaisonError } from '@liaison/core';

export type NoticeErrorCode =
  | 'SCHEMA_INVALID'
  | 'UNKNOWN_KIND'
  | 'NOT_HUMAN_REVIEWED'
  | 'PNR_DEPERSONALISATION_REQUIRED'
  | 'PNR_RETENTION_EXCEEDED'
  | 'PERSONAL_DATA_IN_STRATEGIC'
  | 'FIELD_NOT_MARKED'
  /** The classification is above what the exchange is accredited for. */
  | 'CLASSIFICATION_NOT_ACCREDITED';

/** Every refusal of a notice's content. `issues` names each field (path) and why. */
export class NoticeError extends LiaisonError<NoticeErrorCode> {}
