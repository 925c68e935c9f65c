import type { LayerContent } from '../split.js';
import { findDates } from './dates.js';
import { compact, fold, phonetic, words } from './normalise.js';

/** Keys in the operational layer whose values are codes, not identifiers. */
const NOT_IDENTIFYING = new Set([
  'nationality',
  'sex',
  'type',
  'issuingCountry',
  'method',
  'make',
  'count',
  'expiresOn',
  'documentType',
  'borderType',
  'direction',
  'dataSource',
  'matchedAgainst',
  'outcome',
  'reviewedByPerson',
  'carrier',
  'departureAirport',
  'arrivalAirport',
]);
/** Quasi-identifiers sit exact in the operational layer too; they are not a person's values. */
const QUASI_KEYS = new Set(['observedAt', 'crossingPoint', 'flight', 'dataCollectedAt', 'humanReview']);
/** Name particles and month words: too common to count on their own. */
const TOO_COMMON = new Set([
  'de',
  'van',
  'der',
  'den',
  'von',
  'la',
  'le',
  'del',
  'da',
  'dos',
  'di',
  'du',
  'ten',
  'ter',
  'jan',
  'mar',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'oct',
  'nov',
  'dec',
  'the',
  'and',
  'bin',
  'ibn',
  'al',
  'el',
]);
const MIN_WORD = 3;
const MIN_COMPACT = 5;

/** The notice's own personal values in the forms screening compares. */
export interface OwnValues {
  /** Name-like words (phonetic form). */
  words: Set<string>;
  /** Identifiers with digits, compact form (and the last 8 digits of long digit strings). */
  compacts: Set<string>;
  /** Dates (y-m-d). */
  dates: Set<string>;
}

const ymd = (y: number, m: number, d: number) => `${y}-${m}-${d}`;

/** Every identifying value of the operational layer, in every normal form screening compares. */
export function ownValuesOf(operational: LayerContent | undefined): OwnValues {
  const own: OwnValues = { words: new Set(), compacts: new Set(), dates: new Set() };
  const visit = (value: unknown, key: string): void => {
    if (NOT_IDENTIFYING.has(key)) return;
    if (typeof value === 'string') {
      const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
      if (iso) {
        own.dates.add(ymd(Number(iso[1]), Number(iso[2]), Number(iso[3])));
        return;
      }
      const c = compact(value);
      if (/\d/.test(c)) {
        if (c.length >= MIN_COMPACT) own.compacts.add(c);
        const ds = c.replace(/\D/g, '');
        if (ds.length >= 8) own.compacts.add(ds.slice(-8));
        return;
      }
      for (const w of words(value))
        if (w.length >= MIN_WORD && !TOO_COMMON.has(w)) own.words.add(phonetic(w));
      if (value.includes('@')) own.compacts.add(c);
    } else if (Array.isArray(value)) {
      for (const v of value) visit(v, key);
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, k);
    }
  };
  for (const [k, v] of Object.entries(operational ?? {})) if (!QUASI_KEYS.has(k)) visit(v, k);
  return own;
}

/** Whether the text holds one of the notice's own personal values, in any normal form. */
export function holdsOwnValue(text: string, own: OwnValues, nowYear: number): boolean {
  if (own.words.size > 0 && words(text).some((w) => own.words.has(phonetic(w)))) return true;
  if (own.compacts.size > 0) {
    const c = compact(text);
    const ds = c.replace(/\D/g, '');
    for (const id of own.compacts) if (c.includes(id) || (/^\d+$/.test(id) && ds.includes(id))) return true;
  }
  if (own.dates.size > 0)
    for (const d of findDates(text, nowYear)) if (own.dates.has(ymd(d.y, d.m, d.d))) return true;
  return fold(text).length < 0;
}
