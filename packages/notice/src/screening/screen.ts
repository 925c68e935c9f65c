import type { Issue } from '@liaison/core';
import type { LayerContent } from '../split.js';
import { DETECTORS, type IdentifierClass } from './detectors.js';
import { compact } from './normalise.js';
import { holdsOwnValue, type OwnValues, ownValuesOf } from './own-values.js';

/**
 * Screening of everything bound for strategic recipients: the notice's own personal
 * values in every normal form, and identifier classes recognised by structure and
 * check digits (docs/decisions/0003-screening.md and 0007). A safety net for a
 * person's mistake, measured on a labelled corpus, not a guarantee.
 */

export interface ScreeningOptions {
  /** Functional contacts of agencies (phones, mailboxes) that may appear in strategic text. */
  functionalContacts?: readonly string[];
  now?: Date;
}

/**
 * Switchboards of the EU agencies (public): a sender may cite them in strategic text.
 * The registry's contacts of agencies are added by the caller (functionalContacts).
 */
export const DEFAULT_FUNCTIONAL_CONTACTS: readonly string[] = [
  '+31 70 302 5000', // Europol
  '+31 70 302 5302', // Europol, 24/7 operational centre
  '+48 22 205 9500', // Frontex
  '+31 70 412 5000', // Eurojust
  '+352 27 11 1', // EPPO
];

const LABELS: Record<IdentifierClass, string> = {
  'own-value': 'contains a value from the personal (operational) layer',
  mrz: 'looks like a machine-readable zone of a travel document',
  iban: 'looks like an IBAN',
  'payment-card': 'looks like a payment card number',
  'national-id': 'looks like a national identity number',
  'document-number': 'looks like a document number',
  vin: 'looks like a vehicle identification number',
  plate: 'looks like a number plate',
  'booking-locator': 'looks like a booking locator',
  'ip-address': 'looks like an IP address',
  email: 'looks like an e-mail address',
  phone: 'looks like a phone number',
  'date-of-birth': 'looks like a date of birth',
  address: 'looks like a street address',
  name: "looks like a person's name",
};

/** Removes functional contacts before matching: "+31 70 302 5000" is Europol, not a person. */
function withoutContacts(text: string, contacts: readonly string[]): string {
  if (contacts.length === 0) return text;
  const wanted = new Set(contacts.map((c) => compact(c)).filter((c) => c.length >= 6));
  return text.replace(/(?:\+|\b00)?[\d()][\d\s()./-]{5,}\d|[\w.+-]+@[\w.-]+\.[a-z]{2,}/gi, (m) =>
    wanted.has(compact(m).replace(/^00/, '')) ? ' ' : m,
  );
}

/** The class of the first identifier found in `text`, or undefined. Never the value. */
export function classifyIdentifier(
  text: string,
  own: OwnValues,
  options: ScreeningOptions = {},
): IdentifierClass | undefined {
  const nowYear = (options.now ?? new Date()).getUTCFullYear();
  const cleaned = withoutContacts(text, [
    ...DEFAULT_FUNCTIONAL_CONTACTS,
    ...(options.functionalContacts ?? []),
  ]);
  if (holdsOwnValue(cleaned, own, nowYear)) return 'own-value';
  for (const [cls, detect] of DETECTORS) if (detect(cleaned, { nowYear })) return cls;
  return undefined;
}

/** What (if anything) in `text` looks like a personal identifier: a label, never the value. */
export function findPersonalIdentifier(
  text: string,
  own: OwnValues,
  options: ScreeningOptions = {},
): string | undefined {
  const cls = classifyIdentifier(text, own, options);
  return cls ? LABELS[cls] : undefined;
}

/** Screens every string under the given fields of a layer; one issue per hit. */
export function screenFields(
  layer: LayerContent,
  fields: readonly string[],
  own: OwnValues,
  overrides: ReadonlySet<string>,
  options: ScreeningOptions,
  pathPrefix: readonly string[] = ['body'],
): Issue[] {
  const issues: Issue[] = [];
  const visit = (value: unknown, path: (string | number)[]): void => {
    if (typeof value === 'string') {
      const why = findPersonalIdentifier(value, own, options);
      if (why)
        issues.push({ code: 'PERSONAL_DATA_IN_STRATEGIC', path: [...pathPrefix, ...path], message: why });
    } else if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) visit(v, [...path, i]);
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, [...path, k]);
    }
  };
  for (const field of fields) {
    if (overrides.has(field) || layer[field] === undefined) continue;
    visit(layer[field], [field]);
  }
  return issues;
}

export type { IdentifierClass };
export { type OwnValues, ownValuesOf };
