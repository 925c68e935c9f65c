import { z } from 'zod';
import { DATA_CATEGORIES, EUROPOL_COPY_REASONS } from '../conversation/terms.js';
import { freeText, nonPersonal, personal } from '../fields.js';
import { CRIME_AREAS } from '../markings.js';
import { PersonSchema, TravelDocumentSchema, text } from './common.js';
import { MatchConfirmationSchema } from './hit-query.js';

/** Art. 12: whether Europol gets a copy, and why not (signed into the header as well). */
export const EuropolCopySchema = z
  .object({ copied: z.boolean(), reasonNotCopied: z.enum(EUROPOL_COPY_REASONS).optional() })
  .strict()
  .refine((c) => c.copied !== (c.reasonNotCopied !== undefined), {
    message: 'a copy to Europol or the reason why not, not both',
    path: ['reasonNotCopied'],
  });

/**
 * A request for information to a single point of contact (Directive (EU) 2023/977
 * Art. 4): purpose, offences, urgency (the markings' priority), whether the
 * information is directly accessible to the requested authority, the data wanted,
 * the legal basis, the copy to Europol. The deadline follows from urgency and
 * accessibility and is signed into the header (RequestTerms.due_at_ms).
 */
export const InformationRequestSchema = z
  .object({
    purpose: freeText(text(2000), 'why the information is requested; no names or identifiers'),
    offences: nonPersonal(z.array(z.enum(CRIME_AREAS)).min(1).max(12)),
    /** The maximum penalty for the offence, in years (a refusal ground below one year). */
    maximumPenaltyYears: nonPersonal(z.number().int().min(0).max(99).optional()),
    directlyAccessible: nonPersonal(z.boolean(), 'the information is held by the requested authority itself'),
    requestedData: nonPersonal(z.array(z.enum(DATA_CATEGORIES)).min(1).max(DATA_CATEGORIES.length)),
    legalBasis: freeText(text(300), 'the provisions the request rests on'),
    urgencyReasons: freeText(text(1000).optional(), 'why the request is urgent'),
    europolCopy: nonPersonal(EuropolCopySchema),
    /** Wire 1.3: a follow-up of a hit (a reply to a hit-answer) says who confirmed the match. */
    matchConfirmation: nonPersonal(
      MatchConfirmationSchema.optional(),
      'who confirmed the hit this request follows up, and when (signed into the header)',
    ),
    subject: personal(
      z
        .object({
          person: PersonSchema.optional(),
          travelDocument: TravelDocumentSchema.optional(),
          vehicleRegistration: text(20).optional(),
          otherIdentifiers: z.array(text(100)).max(20).optional(),
        })
        .strict()
        .optional(),
      'whom or what the request is about',
    ),
  })
  .strict();

export type InformationRequest = z.infer<typeof InformationRequestSchema>;
