import { z } from 'zod';
import { AIRPORT_COUNTRY } from './airports.js';

/**
 * How a quasi-identifying field is coarsened for the strategic layer. Each rule
 * says what the strategic layer carries instead of the exact value, and the schema
 * that coarse value must match (a strategic recipient checks it). A rule may give
 * nothing: the field is then absent from the strategic layer.
 */
export const COARSENING_RULES = [
  'day',
  'iso-week',
  'crossing-country',
  'flight-route-day',
  'review-day',
] as const;
export type CoarseningRule = (typeof COARSENING_RULES)[number];

interface Coarsening {
  /** What a data protection officer reads in docs/policy.md. */
  description: string;
  apply(value: unknown): unknown;
  schema: z.ZodType;
}

const isoDate = z.iso.date();
const countryCode = z.string().regex(/^[A-Z]{2}$/);

/** "2026-04-10T08:31:12Z" → "2026-04-10" (UTC day). */
function dayOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString().slice(0, 10);
}

/** ISO 8601 week of a UTC instant, "2026-W15". */
function isoWeekOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const t = Date.parse(value);
  if (Number.isNaN(t)) return undefined;
  const d = new Date(t);
  const day = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday); // the Thursday of its week decides the year
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

export const COARSENINGS: Readonly<Record<CoarseningRule, Coarsening>> = {
  day: { description: 'an instant → its UTC day (YYYY-MM-DD)', apply: dayOf, schema: isoDate },
  'iso-week': {
    description: 'an instant → its ISO 8601 week (YYYY-Www)',
    apply: isoWeekOf,
    schema: z.string().regex(/^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/),
  },
  'crossing-country': {
    description:
      'a crossing point written "CC name" → its ISO country CC; any other form → left out (no guess)',
    apply: (v) => (typeof v === 'string' ? /^([A-Z]{2})(?=[\s(,-]|$)/.exec(v.trim())?.[1] : undefined),
    schema: countryCode,
  },
  'flight-route-day': {
    description:
      'a flight → its departure and arrival countries and UTC day; carrier, number and airports left out; an airport not in the table → the whole flight left out',
    apply: (v) => {
      const f = v as { departureAirport?: string; arrivalAirport?: string; scheduledDeparture?: string };
      const from = AIRPORT_COUNTRY.get(f?.departureAirport ?? '');
      const to = AIRPORT_COUNTRY.get(f?.arrivalAirport ?? '');
      const day = dayOf(f?.scheduledDeparture);
      return from && to && day ? { fromCountry: from, toCountry: to, departureDay: day } : undefined;
    },
    schema: z.object({ fromCountry: countryCode, toCountry: countryCode, departureDay: isoDate }).strict(),
  },
  'review-day': {
    description: 'a human review → its outcome, whether a person reviewed it, and the UTC day of the review',
    apply: (v) => {
      const r = v as { reviewedByPerson?: boolean; outcome?: string; reviewedAt?: string };
      const day = dayOf(r?.reviewedAt);
      return day ? { reviewedByPerson: r.reviewedByPerson, outcome: r.outcome, reviewedOn: day } : undefined;
    },
    schema: z
      .object({
        reviewedByPerson: z.boolean(),
        outcome: z.enum(['confirmed-match', 'possible-match', 'no-match']),
        reviewedOn: isoDate,
      })
      .strict(),
  },
};

/** The coarse value of a quasi-identifier for the strategic layer (undefined: leave it out). */
export function coarsen(rule: CoarseningRule, value: unknown): unknown {
  return COARSENINGS[rule].apply(value);
}
