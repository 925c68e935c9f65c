import { z } from 'zod';
import type { CoarseningRule } from './coarsening.js';

/**
 * How a field of a notice body is marked. The marks live in the schema (zod
 * metadata, also exported into the JSON Schema as `personal` / `freeText` /
 * `quasiIdentifier`), so the split into layers is derived from them, never written
 * per kind.
 */
export interface FieldMark {
  /** Personal data (identifies a person directly or indirectly): operational layer only. */
  personal: boolean;
  /** Free text bound for the strategic layer: screened for personal identifiers. */
  freeText?: boolean;
  /**
   * Non-personal on its own, but able to single out a person together with other
   * facts (k-anonymity's quasi-identifier). The exact value goes to the operational
   * layer; the strategic layer gets the value coarsened by this rule (or nothing).
   */
  quasiIdentifier?: CoarseningRule;
  /**
   * Personal PNR data that PNR Directive 2016/681 Art. 12(2) masks after six months
   * (names, address and contact, payment, frequent-flyer data, general remarks, API data).
   */
  pnrMasked?: boolean;
  description?: string;
}

/** Marks a field as personal data. Wrap the outermost schema (after `.optional()`). */
export function personal<S extends z.ZodType>(schema: S, description?: string): S {
  return schema.meta({ personal: true, ...(description ? { description } : {}) }) as S;
}

/** Personal PNR data masked after six months (PNR Directive Art. 12(2)); personal like `personal`. */
export function pnrMasked<S extends z.ZodType>(schema: S, description?: string): S {
  return schema.meta({ personal: true, pnrMasked: true, ...(description ? { description } : {}) }) as S;
}

/** Marks a field as non-personal (strategic layer). */
export function nonPersonal<S extends z.ZodType>(schema: S, description?: string): S {
  return schema.meta({ personal: false, ...(description ? { description } : {}) }) as S;
}

/** Non-personal free text: goes to strategic partners, so it is screened. */
export function freeText<S extends z.ZodType>(schema: S, description?: string): S {
  return schema.meta({ personal: false, freeText: true, ...(description ? { description } : {}) }) as S;
}

/**
 * A quasi-identifier: exact in the operational layer, coarsened by `rule` in the
 * strategic layer (docs/policy.md lists the rule of every such field).
 */
export function quasiIdentifier<S extends z.ZodType>(
  schema: S,
  rule: CoarseningRule,
  description?: string,
): S {
  return schema.meta({
    personal: false,
    quasiIdentifier: rule,
    ...(description ? { description } : {}),
  }) as S;
}

/** The mark of one field, or undefined when the schema author forgot it. */
export function markOf(schema: z.ZodType): FieldMark | undefined {
  const meta = z.globalRegistry.get(schema) as Partial<FieldMark> | undefined;
  if (typeof meta?.personal !== 'boolean') return undefined;
  const mark: FieldMark = { personal: meta.personal, freeText: meta.freeText === true };
  if (meta.quasiIdentifier) mark.quasiIdentifier = meta.quasiIdentifier;
  if (meta.pnrMasked === true) mark.pnrMasked = true;
  return mark;
}
