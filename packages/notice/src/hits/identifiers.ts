import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { toIssues } from '@liaison/core';
import { z } from 'zod';
import { NoticeError } from '../errors.js';

/**
 * Two-step hit / no-hit (Prüm style, docs/decisions/0015): what a query can be about,
 * how an identifier is written before it is hashed, and the keyed hash itself.
 *
 * probe.salt   = 32 random bytes, fresh per query
 * probe.digest = HMAC-SHA256(key = salt, "liaison.v1.hit" ‖ 0x00 ‖ type ‖ 0x00 ‖ normalised)
 *
 * A holder tests each of its own records of that type under the query's salt; one that
 * does not hold the identifier learns a digest it can only test against guesses (small
 * identifier spaces can be enumerated: the limits are in the decision record).
 */
export const HIT_IDENTIFIER_TYPES = ['travel-document', 'vehicle', 'person'] as const;
export type HitIdentifierType = (typeof HIT_IDENTIFIER_TYPES)[number];

export const HIT_RESULTS = ['hit', 'no-hit'] as const;
export type HitResultName = (typeof HIT_RESULTS)[number];

const text = (max: number) => z.string().trim().min(1).max(max);

/** The identifier itself, as a sender or a responder's record holds it (never on the wire in clear). */
export const HitIdentifierSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('travel-document'),
      /** ICAO 9303 / ISO 3166-1 alpha-3, as in the MRZ. */
      issuingCountry: z.string().regex(/^[A-Za-z]{3}$/, 'an ISO 3166-1 alpha-3 code (as in the MRZ)'),
      number: text(30),
    })
    .strict(),
  z
    .object({
      type: z.literal('vehicle'),
      /** ISO 3166-1 alpha-2 of the registering state. */
      registrationCountry: z.string().regex(/^[A-Za-z]{2}$/, 'an ISO 3166-1 alpha-2 code'),
      plate: text(20),
    })
    .strict(),
  z
    .object({
      type: z.literal('person'),
      surname: text(100),
      givenNames: text(150),
      dateOfBirth: z.iso.date(),
    })
    .strict(),
]);
export type HitIdentifier = z.infer<typeof HitIdentifierSchema>;

const alnum = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '');
/** Latin letters without diacritics, upper case, any run of other characters one space. */
function nameForm(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/ß/g, 'SS')
    .toUpperCase()
    .replace(/[^A-Z]+/g, ' ')
    .trim();
}

/**
 * The canonical form hashed for an identifier: document and plate numbers upper case
 * with only letters and digits (spaces, hyphens, MRZ fillers `<` dropped); names in
 * Latin letters without diacritics, upper case, single spaces. Two agencies holding
 * the same identifier written differently in these respects get the same form; any
 * other difference (a transliteration, a swapped given name) is a miss.
 *
 * @example
 * normaliseIdentifier({ type: 'vehicle', registrationCountry: 'at', plate: 'W 12345-X' }); // 'AT|W12345X'
 */
export function normaliseIdentifier(id: HitIdentifier): string {
  switch (id.type) {
    case 'travel-document':
      return `${id.issuingCountry.toUpperCase()}|${alnum(id.number)}`;
    case 'vehicle':
      return `${id.registrationCountry.toUpperCase()}|${alnum(id.plate)}`;
    case 'person':
      return `${nameForm(id.surname)}|${nameForm(id.givenNames)}|${id.dateOfBirth}`;
  }
}

const DOMAIN = Buffer.from('liaison.v1.hit', 'utf8');

/** HMAC-SHA256 of a normalised identifier under a query's salt (hex). */
export function hitDigest(saltHex: string, type: HitIdentifierType, normalised: string): string {
  const mac = createHmac('sha256', Buffer.from(saltHex, 'hex'));
  mac.update(Buffer.concat([DOMAIN, Buffer.of(0), Buffer.from(type), Buffer.of(0)]));
  mac.update(Buffer.from(normalised, 'utf8'));
  return mac.digest('hex');
}

/** A query's probe: the keyed hash of the identifier under a fresh salt (or the one given, for vectors). */
export function hitProbe(id: HitIdentifier, saltHex?: string): { salt: string; digest: string } {
  const parsed = HitIdentifierSchema.safeParse(id);
  if (!parsed.success)
    throw new NoticeError('SCHEMA_INVALID', 'not an identifier a hit query can be about', {
      issues: toIssues(parsed.error.issues),
    });
  const salt = saltHex ?? randomBytes(32).toString('hex');
  return { salt, digest: hitDigest(salt, parsed.data.type, normaliseIdentifier(parsed.data)) };
}

/** Whether one of a holder's own records is the identifier a probe was made of (constant time). */
export function matchesProbe(probe: { salt: string; digest: string }, id: HitIdentifier): boolean {
  const mine = Buffer.from(hitDigest(probe.salt, id.type, normaliseIdentifier(id)), 'hex');
  const theirs = Buffer.from(probe.digest, 'hex');
  return theirs.length === mine.length && timingSafeEqual(mine, theirs);
}
