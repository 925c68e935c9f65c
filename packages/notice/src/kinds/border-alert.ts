import { z } from 'zod';
import { freeText, nonPersonal, personal, quasiIdentifier } from '../fields.js';
import { country, instant, PersonSchema, REQUESTED_ACTIONS, text } from './common.js';

/**
 * An event at a border crossing point: a stolen or fraudulent document, a wanted
 * person, a vehicle, a smuggling attempt.
 */
export const BorderAlertSchema = z
  .object({
    eventType: nonPersonal(
      z.enum(['stolen-document', 'fraudulent-document', 'wanted-person', 'vehicle', 'smuggling-attempt']),
    ),
    crossingPoint: quasiIdentifier(
      text(100),
      'crossing-country',
      'border crossing point, written "CC name", e.g. "AT Nickelsdorf (road)"; strategic: the country',
    ),
    borderType: nonPersonal(z.enum(['land', 'sea', 'air'])),
    direction: nonPersonal(z.enum(['entry', 'exit'])),
    observedAt: quasiIdentifier(instant, 'iso-week', 'when it happened; strategic: the ISO week'),
    documentType: nonPersonal(
      z
        .enum(['passport', 'id-card', 'visa', 'residence-permit', 'driving-licence', 'vehicle-registration'])
        .optional(),
    ),
    documentIssuingCountry: nonPersonal(country.optional()),
    matchedAgainst: nonPersonal(
      z.enum(['SIS', 'INTERPOL-SLTD', 'INTERPOL-SMV', 'national-database', 'visual-inspection']).optional(),
    ),
    modusOperandi: freeText(text(2000).optional(), 'how it was done; no names or identifiers'),
    requestedAction: nonPersonal(z.enum(REQUESTED_ACTIONS)),
    person: personal(PersonSchema.optional(), 'the person concerned'),
    documentNumber: personal(text(30).optional()),
    vehicle: personal(
      z
        .object({ registration: text(20).optional(), vin: text(17).optional(), make: text(50).optional() })
        .strict()
        .optional(),
      'vehicle registration and VIN identify the keeper indirectly',
    ),
    faceImageRef: personal(text(200).optional(), 'reference to a facial image held by the sender'),
    travelCompanions: personal(z.array(PersonSchema).max(20).optional()),
  })
  .strict();

export type BorderAlert = z.infer<typeof BorderAlertSchema>;
