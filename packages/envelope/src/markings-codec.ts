import type { Markings } from '@liaison/notice';
import {
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

function invert<K extends string, V extends number>(m: Record<K, V>): Map<number, K> {
  return new Map(Object.entries(m).map(([k, v]) => [v as number, k as K]));
}
const HANDLING_R = invert(HANDLING);
const SOURCE_R = invert(SOURCE);
const INFO_R = invert(INFO);
const TLP_R = invert(TLP);
const PRIORITY_R = invert(PRIORITY);

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
>;

export function markingsToHeader(m: Markings): HeaderMarkings {
  return {
    priority: PRIORITY[m.priority],
    handlingCode: HANDLING[m.handlingCode],
    handlingRestriction: m.handlingRestriction ?? '',
    sourceReliability: SOURCE[m.evaluation.source],
    informationAccuracy: INFO[m.evaluation.information],
    tlp: m.tlp ? TLP[m.tlp] : Tlp.UNSPECIFIED,
    crimeAreas: [...m.crimeAreas],
    caseReference: m.caseReference ?? '',
    inReplyTo: m.inReplyTo ?? '',
    expiresAtMs: m.expiresAt ? BigInt(Date.parse(m.expiresAt)) : 0n,
  };
}

/** The markings of a header, or undefined when an enum is unspecified or unknown. */
export function markingsFromHeader(h: NoticeHeader): Markings | undefined {
  const priority = PRIORITY_R.get(h.priority);
  const handlingCode = HANDLING_R.get(h.handlingCode);
  const source = SOURCE_R.get(h.sourceReliability);
  const information = INFO_R.get(h.informationAccuracy);
  if (!priority || !handlingCode || !source || !information) return undefined;
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
  if (h.reviewAtMs > 0n) m.reviewAt = new Date(Number(h.reviewAtMs)).toISOString();
  if (h.expiresAtMs > 0n) m.expiresAt = new Date(Number(h.expiresAtMs)).toISOString();
  return m;
}
