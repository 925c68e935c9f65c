import { z } from 'zod';
import { COARSENINGS, coarsen } from './coarsening.js';
import { NoticeError } from './errors.js';
import { type FieldMark, markOf } from './fields.js';

export const LAYER_NAMES = ['strategic', 'operational'] as const;
export type LayerName = (typeof LAYER_NAMES)[number];

export type LayerContent = Record<string, unknown>;

export interface Layers {
  /** Non-personal fields and coarsened quasi-identifiers; absent when there are none. */
  strategic?: LayerContent;
  /** Personal fields and exact quasi-identifiers; absent when there are none. */
  operational?: LayerContent;
}

function isEmpty(value: unknown): boolean {
  return value === undefined || (Array.isArray(value) && value.length === 0);
}

function marksOf(schema: z.ZodObject): [string, z.ZodType, FieldMark][] {
  return Object.entries(schema.shape).map(([key, fieldSchema]) => {
    const mark = markOf(fieldSchema as z.ZodType);
    if (!mark) {
      throw new NoticeError('FIELD_NOT_MARKED', `field ${key} is not marked personal or non-personal`, {
        issues: [{ code: 'FIELD_NOT_MARKED', path: [key], message: 'not marked personal or non-personal' }],
      });
    }
    return [key, fieldSchema as z.ZodType, mark];
  });
}

/**
 * Splits a validated body into layers by the marks in its schema. A quasi-identifier
 * goes exact into the operational layer and coarsened (by its rule) into the strategic
 * one, so that joining the layers (operational last) gives an operational recipient
 * the exact value and a strategic one only the coarse value. A field without a mark is
 * a programming error in the schema and refuses the split.
 */
export function splitLayers(schema: z.ZodObject, body: Record<string, unknown>): Layers {
  const layers: Layers = {};
  const put = (layer: LayerName, key: string, value: unknown) => {
    layers[layer] ??= {};
    layers[layer][key] = value;
  };
  for (const [key, , mark] of marksOf(schema)) {
    const value = body[key];
    if (isEmpty(value)) continue;
    if (mark.quasiIdentifier) {
      put('operational', key, value);
      const coarse = coarsen(mark.quasiIdentifier, value);
      if (coarse !== undefined) put('strategic', key, coarse);
    } else put(mark.personal ? 'operational' : 'strategic', key, value);
  }
  return layers;
}

/** Whether the body holds any field marked personal (quasi-identifiers alone are not). */
export function holdsPersonalData(schema: z.ZodObject, body: Record<string, unknown>): boolean {
  return marksOf(schema).some(([key, , mark]) => mark.personal && !isEmpty(body[key]));
}

/** Names of the free-text fields of a kind. */
export function freeTextFields(schema: z.ZodObject): string[] {
  return marksOf(schema)
    .filter(([, , m]) => m.freeText)
    .map(([k]) => k);
}

/** Names of every field that may reach the strategic layer (all are screened before a strategic delivery). */
export function strategicFields(schema: z.ZodObject): string[] {
  return marksOf(schema)
    .filter(([, , m]) => !m.personal)
    .map(([k]) => k);
}

/** Which layers each field of a kind may appear in. */
export function fieldLayers(schema: z.ZodObject): Map<string, readonly LayerName[]> {
  return new Map(
    marksOf(schema).map(([k, , m]) => [
      k,
      m.quasiIdentifier ? LAYER_NAMES : m.personal ? ['operational'] : ['strategic'],
    ]),
  );
}

const STRATEGIC_VIEWS = new WeakMap<z.ZodObject, z.ZodObject>();

/**
 * The schema a strategic recipient checks its body against: the non-personal fields
 * as they are, each quasi-identifier as its coarse form, no personal field. Derived
 * from the marks, once per kind.
 */
export function strategicView(schema: z.ZodObject): z.ZodObject {
  let view = STRATEGIC_VIEWS.get(schema);
  if (!view) {
    const shape: Record<string, z.ZodType> = {};
    for (const [key, s, mark] of marksOf(schema)) {
      if (mark.quasiIdentifier) shape[key] = COARSENINGS[mark.quasiIdentifier].schema.optional();
      else if (!mark.personal) shape[key] = s;
    }
    view = z.object(shape).strict();
    STRATEGIC_VIEWS.set(schema, view);
  }
  return view;
}

/** Joins the layers a recipient could open back into one body (exact values win). */
export function mergeLayers(layers: Layers): Record<string, unknown> {
  return { ...layers.strategic, ...layers.operational };
}
