import { z } from 'zod';
import { freeText, nonPersonal, personal, pnrMasked, quasiIdentifier } from '../fields.js';
import { CRIME_AREAS } from '../markings.js';
import { instant, isoDate, PersonSchema, REQUESTED_ACTIONS, TravelDocumentSchema, text } from './common.js';

/**
 * An API/PNR match found by a Passenger Information Unit. Every automated match
 * is reviewed by a person before it is shared (PNR Directive art. 6(5)). Fields
 * marked `pnrMasked` are masked six months after `dataCollectedAt` (Art. 12(2)).
 */
export const PassengerDataHitSchema = z
  .object({
    flight: quasiIdentifier(
      z
        .object({
          carrier: z.string().regex(/^[A-Z0-9]{2,3}$/, 'an IATA/ICAO carrier code'),
          number: z.string().regex(/^[0-9]{1,4}[A-Z]?$/, 'a flight number'),
          departureAirport: z.string().regex(/^[A-Z]{3}$/, 'an IATA airport code'),
          arrivalAirport: z.string().regex(/^[A-Z]{3}$/, 'an IATA airport code'),
          scheduledDeparture: instant,
        })
        .strict(),
      'flight-route-day',
      'strategic: departure and arrival country and the day',
    ),
    dataSource: nonPersonal(z.enum(['API', 'PNR', 'API+PNR'])),
    /** When the PNR data was collected: after 6 months it may be shared only depersonalised. */
    dataCollectedAt: quasiIdentifier(instant, 'day'),
    matchedAgainst: nonPersonal(z.enum(['database', 'risk-criterion'])),
    matchReference: nonPersonal(text(80), 'database name or risk-criterion id'),
    humanReview: quasiIdentifier(
      z
        .object({
          reviewedByPerson: z.boolean(),
          outcome: z.enum(['confirmed-match', 'possible-match', 'no-match']),
          reviewedAt: instant,
        })
        .strict(),
      'review-day',
    ),
    offenceCategory: nonPersonal(z.enum(CRIME_AREAS)),
    requestedAction: nonPersonal(z.enum(REQUESTED_ACTIONS)),
    summary: freeText(text(2000).optional()),
    passenger: pnrMasked(PersonSchema.optional()),
    travelDocument: pnrMasked(TravelDocumentSchema.optional()),
    bookingLocator: personal(
      z
        .string()
        .regex(/^[A-Z0-9]{5,8}$/)
        .optional(),
    ),
    seat: personal(text(5).optional()),
    bags: personal(
      z
        .object({ count: z.number().int().min(0).max(20), tags: z.array(text(20)).max(20) })
        .strict()
        .optional(),
    ),
    payment: pnrMasked(
      z
        .object({
          method: text(30),
          lastDigits: z
            .string()
            .regex(/^[0-9]{4}$/)
            .optional(),
        })
        .strict()
        .optional(),
    ),
    contact: pnrMasked(
      z
        .object({ email: z.email().optional(), phone: text(30).optional() })
        .strict()
        .optional(),
    ),
    coTravellers: pnrMasked(z.array(PersonSchema).max(20).optional()),
    /** Frequent-flyer programme and number (Art. 12(2)(d)). */
    frequentFlyer: pnrMasked(
      z
        .object({ programme: text(40), number: text(30) })
        .strict()
        .optional(),
    ),
    remarks: pnrMasked(text(2000).optional()),
    travelledOn: personal(isoDate.optional()),
  })
  .strict();

export type PassengerDataHit = z.infer<typeof PassengerDataHitSchema>;
