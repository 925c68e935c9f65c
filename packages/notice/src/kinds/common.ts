import { z } from 'zod';

/** ISO 3166-1 alpha-3 country code (as on travel documents), or alpha-2. */
export const country = z.string().regex(/^[A-Z]{2,3}$/, 'an ISO 3166 country code (e.g. AT, AUT)');
export const isoDate = z.iso.date();
export const instant = z.iso.datetime({ offset: true });
export const text = (max: number) => z.string().trim().min(1).max(max);

/** A natural person as travel documents describe them. The whole object is personal. */
export const PersonSchema = z
  .object({
    surname: text(100),
    givenNames: text(150).optional(),
    dateOfBirth: isoDate.optional(),
    nationality: country.optional(),
    sex: z.enum(['F', 'M', 'X']).optional(),
  })
  .strict();

export const TravelDocumentSchema = z
  .object({
    type: z.enum(['passport', 'id-card', 'visa', 'residence-permit', 'driving-licence', 'other']),
    number: text(30),
    issuingCountry: country,
    expiresOn: isoDate.optional(),
  })
  .strict();

export const REQUESTED_ACTIONS = [
  'information-only',
  'report-back',
  'discreet-check',
  'specific-check',
  'arrest',
  'refuse-entry',
  'seize-object',
] as const;
