import {
  type Classification as ClassificationName,
  LEGAL_BASES,
  type Markings,
  SOURCES,
} from '@liaison/notice';
import {
  Classification,
  HandlingCode,
  InformationAccuracy,
  type NoticeHeader,
  Priority,
  SourceReliability,
  Tlp,
} from '@liaison/wire';

// Mapping between the markings as people write them and the protobuf enums.

const HANDLING = {
  H0: HandlingCode.H0,
  H1: HandlingCode.H1,
  H2: HandlingCode.H2,
  H3: HandlingCode.H3,
} as const;
const SOURCE = {
  A: SourceReliability.A,
  B: SourceReliability.B,
  C: SourceReliability.C,
  X: SourceReliability.X,
} as const;
const INFO = {
  '1': InformationAccuracy.INFORMATION_ACCURACY_1,
  '2': InformationAccuracy.INFORMATION_ACCURACY_2,
  '3': InformationAccuracy.INFORMATION_ACCURACY_3,
  '4': InformationAccuracy.INFORMATION_ACCURACY_4,
} as const;
const TLP = {
  'TLP:RED': Tlp.RED,
  'TLP:AMBER+STRICT': Tlp.AMBER_STRICT,
  'TLP:AMBER': Tlp.AMBER,
  'TLP:GREEN': Tlp.GREEN,
  'TLP:CLEAR': Tlp.CLEAR,
} as const;
const PRIORITY = { urgent: Priority.URGENT, 'non-urgent': Priority.NON_URGENT } as const;
const CLASSIFICATION = {
  'RESTREINT-UE': Classification.RESTREINT_UE,
  'CONFIDENTIEL-UE': Classification.CONFIDENTIEL_UE,
  'SECRET-UE': Classification.SECRET_UE,
  'TRES-SECRET-UE': Classification.TRES_SECRET_UE,
} as const;

function invert<K extends string, V extends number>(m: Record<K, V>): Map<number, K> {
  return new Map(Object.entries(m).map(([k, v]) => [v as number, k as K]));
}
const HANDLING_R = invert(HANDLING);
const SOURCE_R = invert(SOURCE);
const INFO_R = invert(INFO);
const TLP_R = invert(TLP);
const PRIORITY_R = invert(PRIORITY);
const CLASSIFICATION_R = invert(CLASSIFICATION);

export type HeaderMarkings = Pick<
  NoticeHeader,
  | 'priority'
  | 'handlingCode'
  | 'handlingRestriction'
  | 'sourceReliability'
  | 'informationAccuracy'
  | 'tlp'
  | 'crimeAreas'
  | 'caseReference'
  | 'inReplyTo'
  | 'expiresAtMs'
  | 'strategicOptIn'
  | 'sources'
  | 'legalBasis'
  | 'classification'
  | 'hasHandlingRestriction'
>;

/**
 * The markings that may hold free text travel sealed, in every layer, under this key
 * (wire 1.1): the cleartext header never holds them.
 */
export const SEALED_MARKINGS_KEY = '$markings';

export type SealedMarkings = Pick<Markings, 'caseReference' | 'handlingRestriction'>;

/** The free-text markings of a notice, or undefined when it has none. */
export function sealedMarkingsOf(m: Markings): SealedMarkings | undefined {
  const out: SealedMarkings = {};
  if (m.caseReference) out.caseReference = m.caseReference;
  if (m.handlingRestriction) out.handlingRestriction = m.handlingRestriction;
  return Object.keys(out).length > 0 ? out : undefined;
}

export function markingsToHeader(m: Markings): HeaderMarkings {
  return {
    priority: PRIORITY[m.priority],
    handlingCode: HANDLING[m.handlingCode],
    handlingRestriction: '',
    sourceReliability: SOURCE[m.evaluation.source],
    informationAccuracy: INFO[m.evaluation.information],
    tlp: m.tlp ? TLP[m.tlp] : Tlp.UNSPECIFIED,
    crimeAreas: [...m.crimeAreas],
    caseReference: '',
    inReplyTo: m.inReplyTo ?? '',
    expiresAtMs: m.expiresAt ? BigInt(Date.parse(m.expiresAt)) : 0n,
    strategicOptIn: m.strategicOptIn === true,
    sources: [...(m.sources ?? [])],
    legalBasis: m.legalBasis ?? '',
    classification: m.classification ? CLASSIFICATION[m.classification] : Classification.UNSPECIFIED,
    hasHandlingRestriction: m.handlingRestriction !== undefined,
  };
}

const KNOWN_SOURCES = new Set<string>(SOURCES);
const KNOWN_BASES = new Set<string>(LEGAL_BASES);

/** An instant of the header as ISO 8601, or undefined beyond what a Date holds (±8.64e15 ms). */
function isoOf(ms: bigint): string | undefined {
  const d = new Date(Number(ms));
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/**
 * The markings of a header, or undefined when an enum is unspecified or unknown, or an instant out of range. A
 * wire 1.1 header carries no free text: the restriction text and case reference come
 * from the sealed layers (`open`); a 1.0 header (audit history) may still hold them.
 */
export function markingsFromHeader(h: NoticeHeader): Markings | undefined {
  const priority = PRIORITY_R.get(h.priority);
  const handlingCode = HANDLING_R.get(h.handlingCode);
  const source = SOURCE_R.get(h.sourceReliability);
  const information = INFO_R.get(h.informationAccuracy);
  if (!priority || !handlingCode || !source || !information) return undefined;
  if (h.sources.some((x) => !KNOWN_SOURCES.has(x))) return undefined;
  if (h.legalBasis && !KNOWN_BASES.has(h.legalBasis)) return undefined;
  const classification = CLASSIFICATION_R.get(h.classification);
  if (h.classification !== Classification.UNSPECIFIED && !classification) return undefined;
  const restricted = h.hasHandlingRestriction || h.handlingRestriction !== '';
  if ((handlingCode === 'H3') !== restricted) return undefined;
  const m: Markings = {
    priority,
    handlingCode,
    evaluation: { source, information },
    crimeAreas: h.crimeAreas as Markings['crimeAreas'],
  };
  const tlp = TLP_R.get(h.tlp);
  if (tlp) m.tlp = tlp;
  if (h.handlingRestriction) m.handlingRestriction = h.handlingRestriction;
  if (h.caseReference) m.caseReference = h.caseReference;
  if (h.inReplyTo) m.inReplyTo = h.inReplyTo;
  if (h.reviewAtMs > 0n) {
    const reviewAt = isoOf(h.reviewAtMs);
    if (!reviewAt) return undefined;
    m.reviewAt = reviewAt;
  }
  if (h.expiresAtMs > 0n) {
    const expiresAt = isoOf(h.expiresAtMs);
    if (!expiresAt) return undefined;
    m.expiresAt = expiresAt;
  }
  if (h.strategicOptIn) m.strategicOptIn = true;
  if (h.sources.length > 0) m.sources = h.sources as Markings['sources'];
  if (h.legalBasis) m.legalBasis = h.legalBasis as Markings['legalBasis'];
  if (classification) m.classification = classification as ClassificationName;
  return m;
}
