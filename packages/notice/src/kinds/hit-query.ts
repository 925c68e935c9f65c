import { z } from 'zod';
import { freeText, nonPersonal, personal } from '../fields.js';
import { HIT_IDENTIFIER_TYPES, HIT_RESULTS } from '../hits/identifiers.js';
import { CRIME_AREAS } from '../markings.js';
import { text } from './common.js';

const hex32 = z.string().regex(/^[0-9a-f]{64}$/, '32 bytes in lower-case hex');

/**
 * Step 1 of a two-step exchange (Prüm style, docs/decisions/0015): does a partner hold
 * something on an identifier? The identifier travels only as a keyed hash under a fresh
 * salt (`hitProbe`), in the operational layer, to the named holders; each holder's
 * responder tests its own records and answers hit / no-hit.
 */
export const HitQuerySchema = z
  .object({
    identifierType: nonPersonal(z.enum(HIT_IDENTIFIER_TYPES)),
    offences: nonPersonal(z.array(z.enum(CRIME_AREAS)).min(1).max(12)),
    purpose: freeText(text(1000), 'why the check is made; no names or identifiers'),
    probe: personal(
      z.object({ salt: hex32, digest: hex32 }).strict(),
      'the identifier as a keyed hash: pseudonymous, a holder of the identifier can test it',
    ),
  })
  .strict();
export type HitQuery = z.infer<typeof HitQuerySchema>;

/**
 * The responder's automated answer (a reply to the query): hit with the holder's opaque
 * reference of the matching record, or no-hit. No personal data: strategic layer only.
 */
export const HitAnswerSchema = z
  .object({
    result: nonPersonal(z.enum(HIT_RESULTS)),
    reference: nonPersonal(
      z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9-]{3,63}$/, 'an opaque token')
        .optional(),
      "the holder's opaque reference of the matching record (hit only)",
    ),
  })
  .strict()
  .superRefine((a, ctx) => {
    if ((a.result === 'hit') !== (a.reference !== undefined))
      ctx.addIssue({ code: 'custom', path: ['reference'], message: 'a hit has a reference, a no-hit none' });
  });
export type HitAnswer = z.infer<typeof HitAnswerSchema>;

/** A person's confirmation of a hit, before the follow-up asks for the data (Prüm step 2). */
export const MatchConfirmationSchema = z
  .object({
    /** The officer's pseudonymous reference in the requesting agency (never a name). */
    confirmedBy: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'a pseudonymous officer reference'),
    confirmedAt: z.iso.datetime({ offset: true }),
  })
  .strict();
