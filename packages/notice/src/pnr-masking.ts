import type { z } from 'zod';
import { markOf } from './fields.js';

/** What a masked field holds instead of its value (a marker, never the data). */
export const PNR_MASK = { $masked: 'pnr-directive-art-12' } as const;

/**
 * The body fields that PNR Directive 2016/681 Art. 12(2) masks after six months (names,
 * the co-travellers, address and contact, payment, frequent-flyer data, general
 * remarks, API data): the fields marked `pnrMasked` in the kind's schema.
 */
export function pnrMaskedFields(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape)
    .filter(([, s]) => markOf(s as z.ZodType)?.pnrMasked === true)
    .map(([k]) => k);
}

/**
 * Splits a body into its depersonalised form (the Art. 12(2) fields replaced by
 * `PNR_MASK`) and the masked values (kept apart, for a re-disclosure the Directive
 * allows only with a recorded authorisation).
 */
export function maskPnr(
  schema: z.ZodObject,
  body: Record<string, unknown>,
): { masked: Record<string, unknown>; removed: Record<string, unknown> } {
  const fields = new Set(pnrMaskedFields(schema));
  const masked: Record<string, unknown> = {};
  const removed: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (fields.has(k) && v !== undefined) {
      masked[k] = PNR_MASK;
      removed[k] = v;
    } else masked[k] = v;
  }
  return { masked, removed };
}
