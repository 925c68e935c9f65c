import type { CrimeArea, HandlingCode, LayerName, Markings, NoticeKind, Tlp } from '@liaison/notice';

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

/** Facts from a notice's markings (as validated by the sender or read from a verified header). */
export function noticeFacts(input: {
  sender: string;
  kind: NoticeKind;
  createdAt: number;
  markings: Markings;
  layers: readonly LayerName[];
  audience?: Partial<AudienceFacts>;
}): NoticeFacts {
  const f: NoticeFacts = {
    sender: input.sender,
    kind: input.kind,
    createdAt: input.createdAt,
    handlingCode: input.markings.handlingCode,
    crimeAreas: input.markings.crimeAreas,
    layers: input.layers,
    audience: {
      recipients: input.audience?.recipients ?? [],
      allow: input.audience?.allow ?? [],
      deny: input.audience?.deny ?? [],
    },
  };
  if (input.markings.tlp) f.tlp = input.markings.tlp;
  if (input.markings.expiresAt) f.expiresAt = Date.parse(input.markings.expiresAt);
  return f;
}
