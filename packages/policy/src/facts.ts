import type { CrimeArea, HandlingCode, LayerName, NoticeKind, Tlp } from '@liaison/notice';

/** The sender's requested audience (selectors: an agency id, `country:XX`, `kind:<agency kind>`). */
export interface AudienceFacts {
  recipients: readonly string[];
  allow: readonly string[];
  deny: readonly string[];
}

/**
 * What the policy sees of a notice: its signed cleartext header, never its
 * content. The gate builds this from a verified header and audience.
 */
export interface NoticeFacts {
  sender: string;
  kind: NoticeKind;
  /** Creation time (ms): the agreements in force then apply. */
  createdAt: number;
  handlingCode: HandlingCode;
  tlp?: Tlp;
  crimeAreas: readonly CrimeArea[];
  /** 0 or absent = no expiry. */
  expiresAt?: number;
  /** Layers the notice has. */
  layers: readonly LayerName[];
  audience: AudienceFacts;
}
