import type { Issue } from '@liaison/core';
import type { LayerContent } from './split.js';

/**
 * Screening of free text bound for strategic recipients. It looks for the
 * identifiers of the notice's own operational layer (names, document numbers,
 * dates of birth, ...) and for patterns of identifiers in general. It is a safety
 * net for a person's mistake, not a guarantee: see docs/decisions/0003-screening.md.
 */

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
]);
const MIN_IDENTIFIER_LENGTH = 3;
/** A person of this age or older may hold a date of birth that looks like any past date. */
const DOB_MIN_AGE_YEARS = 14;

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
const PHONE = /(?:\+|\b00)\d[\d\s()./-]{6,}\d/;
const IBAN = /\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]){11,30}\b/g;
/** Upper-case token of 6-12 letters and digits with at least 5 digits and a letter, or 9 digits. */
const DOCUMENT_NUMBER = /\b(?=[A-Z0-9]{6,12}\b)(?=(?:[A-Z]*\d){5})[A-Z0-9]*[A-Z][A-Z0-9]*\b|\b\d{9}\b/;
const DATE = /\b(\d{4})-(\d{2})-(\d{2})\b|\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b/g;
const BIRTH_WORDS = /\b(born|dob|d\.o\.b\.?|date of birth|geb\.?|geboren|né|née|nacido)\b/i;

function ibanChecksumOk(candidate: string): boolean {
  const iban = candidate.replace(/\s/g, '');
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const digits = /[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of digits) remainder = (remainder * 10 + Number(d)) % 97;
  }
  return remainder === 1;
}

function looksLikeBirthDate(text: string, now: Date): boolean {
  const latest = now.getUTCFullYear() - DOB_MIN_AGE_YEARS;
  for (const m of text.matchAll(DATE)) {
    const year = Number(m[1] ?? m[6]);
    if (year >= 1900 && year <= latest) return true;
    const before = text.slice(Math.max(0, (m.index ?? 0) - 30), m.index);
    if (BIRTH_WORDS.test(before)) return true;
  }
  return false;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every identifying string of the operational layer, with dates also in d.m.y forms. */
export function identifiersOf(operational: LayerContent | undefined): string[] {
  const found = new Set<string>();
  const visit = (value: unknown, key: string): void => {
    if (NOT_IDENTIFYING.has(key)) return;
    if (typeof value === 'string') {
      const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
      if (iso) {
        const [, y, m, d] = iso;
        for (const form of [value, `${d}.${m}.${y}`, `${d}/${m}/${y}`, `${Number(d)}.${Number(m)}.${y}`])
          found.add(form);
        return;
      }
      if (value.length >= MIN_IDENTIFIER_LENGTH) found.add(value);
      // Each part of a multi-word name counts on its own ("Anna Maria" -> "Anna", "Maria").
      for (const word of value.split(/[\s,-]+/)) if (word.length >= MIN_IDENTIFIER_LENGTH) found.add(word);
    } else if (Array.isArray(value)) {
      for (const v of value) visit(v, key);
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, k);
    }
  };
  visit(operational ?? {}, '');
  return [...found];
}

/** What (if anything) in `text` looks like a personal identifier; a label, never the value. */
export function findPersonalIdentifier(
  text: string,
  identifiers: readonly string[],
  now: Date,
): string | undefined {
  for (const id of identifiers) {
    if (new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(id)}($|[^\\p{L}\\p{N}])`, 'iu').test(text)) {
      return 'contains a value from the personal (operational) layer';
    }
  }
  if (EMAIL.test(text)) return 'looks like an e-mail address';
  for (const m of text.matchAll(IBAN)) if (ibanChecksumOk(m[0])) return 'looks like an IBAN';
  if (PHONE.test(text)) return 'looks like a phone number';
  if (DOCUMENT_NUMBER.test(text)) return 'looks like a document number';
  if (looksLikeBirthDate(text, now)) return 'looks like a date of birth';
  return undefined;
}

/** Screens every string under the given fields; returns one issue per hit. */
export function screenFreeText(
  layer: LayerContent,
  fields: readonly string[],
  identifiers: readonly string[],
  overrides: ReadonlySet<string>,
  now: Date,
  pathPrefix: readonly string[] = ['body'],
): Issue[] {
  const issues: Issue[] = [];
  const visit = (value: unknown, path: (string | number)[]): void => {
    if (typeof value === 'string') {
      const why = findPersonalIdentifier(value, identifiers, now);
      if (why)
        issues.push({ code: 'PERSONAL_DATA_IN_STRATEGIC', path: [...pathPrefix, ...path], message: why });
    } else if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) visit(v, [...path, i]);
    }
  };
  for (const field of fields) {
    if (overrides.has(field) || layer[field] === undefined) continue;
    visit(layer[field], [field]);
  }
  return issues;
}
