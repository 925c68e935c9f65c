import { z } from 'zod';
import { CLASSIFICATIONS, LEGAL_BASES, SOURCES } from './sources.js';

export const HANDLING_CODES = ['H0', 'H1', 'H2', 'H3'] as const;
export const SOURCE_RELIABILITY = ['A', 'B', 'C', 'X'] as const;
export const INFORMATION_ACCURACY = ['1', '2', '3', '4'] as const;
export const TLP_LABELS = ['TLP:RED', 'TLP:AMBER+STRICT', 'TLP:AMBER', 'TLP:GREEN', 'TLP:CLEAR'] as const;
export const PRIORITIES = ['urgent', 'non-urgent'] as const;

/** Crime areas, after the Europol mandate areas listed in DOMAIN.md. */
export const CRIME_AREAS = [
  'terrorism',
  'drug-trafficking',
  'precursor-diversion',
  'trafficking-in-human-beings',
  'migrant-smuggling',
  'firearms-trafficking',
  'cybercrime',
  'money-laundering',
  'counterfeiting',
  'cultural-property-trafficking',
  'document-fraud',
  'vehicle-crime',
] as const;

export type HandlingCode = (typeof HANDLING_CODES)[number];
export type Tlp = (typeof TLP_LABELS)[number];
export type CrimeArea = (typeof CRIME_AREAS)[number];

/** A reference that is safe in a cleartext header: no spaces, no free text. */
const reference = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/:-]{0,79}$/, 'a reference is 1-80 letters, digits or . _ / : -');

const instant = z.iso.datetime({ offset: true });
const restriction = z.string().trim().min(1).max(500);

/** The two markings that may hold free text: they travel sealed in every layer (`$markings`). */
export const SealedMarkingsSchema = z
  .object({ caseReference: reference.optional(), handlingRestriction: restriction.optional() })
  .strict();

/**
 * Markings every notice carries. They go into the signed cleartext header, except
 * the two that may hold free text (`caseReference`, `handlingRestriction`): those are
 * sealed into every layer (`$markings`) and the header only says that an H3 text exists.
 */
export const MarkingsSchema = z
  .object({
    priority: z.enum(PRIORITIES),
    handlingCode: z.enum(HANDLING_CODES),
    handlingRestriction: restriction.optional(),
    evaluation: z.object({
      source: z.enum(SOURCE_RELIABILITY),
      information: z.enum(INFORMATION_ACCURACY),
    }),
    tlp: z.enum(TLP_LABELS).optional(),
    crimeAreas: z.array(z.enum(CRIME_AREAS)).min(1).max(12),
    caseReference: reference.optional(),
    inReplyTo: z.uuid().optional(),
    reviewAt: instant.optional(),
    expiresAt: instant.optional(),
    /** For this notice, the sender lets a kind that is not strategic by nature reach strategic partners (coarsened). */
    strategicOptIn: z.boolean().optional(),
    /** Where the content comes from; sources that follow from the content are added (derivedSources). */
    sources: z.array(z.enum(SOURCES)).max(SOURCES.length).optional(),
    legalBasis: z.enum(LEGAL_BASES).optional(),
    classification: z.enum(CLASSIFICATIONS).optional(),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (m.handlingCode === 'H3' && !m.handlingRestriction) {
      ctx.addIssue({
        code: 'custom',
        path: ['handlingRestriction'],
        message: 'handling code H3 needs the restriction text',
      });
    }
    if (m.handlingCode !== 'H3' && m.handlingRestriction) {
      ctx.addIssue({
        code: 'custom',
        path: ['handlingRestriction'],
        message: 'a restriction text is only allowed with handling code H3',
      });
    }
  });

export type Markings = z.infer<typeof MarkingsSchema>;
