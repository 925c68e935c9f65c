import type {
  Classification,
  CrimeArea,
  HandlingCode,
  LayerName,
  Markings,
  NoticeKind,
  Source,
  Tlp,
} from '@liaison/notice';
import type { OriginFacts } from './provenance.js';

/** The PNR Directive Art. 11 facts for one third-country recipient, as the sender signed them. */
export interface PnrTransferFacts {
  recipient: string;
  ground: string;
  /** The PIU that collected the data; empty or absent = the sender. */
  originPiu?: string;
  consentReference?: string;
  dpoNotifiedAt: number;
  dpoReference: string;
}

/** The sender's requested audience (selectors: an agency id, `country:XX`, `kind:<agency kind>`). */
export interface AudienceFacts {
  recipients: readonly string[];
  allow: readonly string[];
  deny: readonly string[];
  /** Justifications of PNR transfers to third countries (Directive 2016/681 Art. 11). */
  pnrTransfers?: readonly PnrTransferFacts[];
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
  /** The sender opted in, for this notice, to strategic delivery of a kind that needs it. */
  strategicOptIn?: boolean;
  /** Where the content comes from (signed). */
  sources?: readonly Source[];
  classification?: Classification;
  /** The notice holds personal data (it has a review date). */
  personalData?: boolean;
  /** Wire 1.2: this notice rectifies, or asks for the erasure of, an earlier notice. */
  amendment?: 'rectification' | 'erasure-request';
  /** Wire 1.2: a reply or forward: what it answers or forwards (from the gate's ledger or the audit entry). */
  origin?: OriginFacts;
}

/** Facts from a notice's markings (as validated by the sender or read from a verified header). */
export function noticeFacts(input: {
  sender: string;
  kind: NoticeKind;
  createdAt: number;
  markings: Markings;
  layers: readonly LayerName[];
  audience?: Partial<AudienceFacts>;
  personalData?: boolean;
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
      pnrTransfers: input.audience?.pnrTransfers ?? [],
    },
    strategicOptIn: input.markings.strategicOptIn === true,
    sources: input.markings.sources ?? [],
    personalData: input.personalData ?? input.layers.includes('operational'),
  };
  if (input.markings.classification) f.classification = input.markings.classification;
  if (input.markings.tlp) f.tlp = input.markings.tlp;
  if (input.markings.expiresAt) f.expiresAt = Date.parse(input.markings.expiresAt);
  return f;
}
