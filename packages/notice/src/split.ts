import type { z } from 'zod';
import { NoticeError } from './errors.js';
import { markOf } from './fields.js';

export const LAYER_NAMES = ['strategic', 'operational'] as const;
export type LayerName = (typeof LAYER_NAMES)[number];

export type LayerContent = Record<string, unknown>;

export interface Layers {
  /** Non-personal fields; absent when the notice has no non-personal content. */
  strategic?: LayerContent;
  /** Personal fields; absent when the notice holds no personal data. */
  operational?: LayerContent;
}

function isEmpty(value: unknown): boolean {
  return value === undefined || (Array.isArray(value) && value.length === 0);
}

/**
 * Splits a validated body into layers by the marks in its schema. A field without
 * a mark is a programming error in the schema and refuses the split.
 */
export function splitLayers(schema: z.ZodObject, body: Record<string, unknown>): Layers {
  const layers: Layers = {};
  for (const [key, fieldSchema] of Object.entries(schema.shape)) {
    const mark = markOf(fieldSchema as z.ZodType);
    if (!mark) {
      throw new NoticeError('FIELD_NOT_MARKED', `field ${key} is not marked personal or non-personal`, {
        issues: [{ code: 'FIELD_NOT_MARKED', path: [key], message: 'not marked personal or non-personal' }],
      });
    }
    const value = body[key];
    if (isEmpty(value)) continue;
    const layer = mark.personal ? 'operational' : 'strategic';
    layers[layer] ??= {};
    layers[layer][key] = value;
  }
  return layers;
}

/** Names of the free-text fields of a kind (those screened before a strategic delivery). */
export function freeTextFields(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape)
    .filter(([, s]) => markOf(s as z.ZodType)?.freeText)
    .map(([k]) => k);
}

/** Joins the layers a recipient could open back into one body. */
export function mergeLayers(layers: Layers): Record<string, unknown> {
  return { ...layers.strategic, ...layers.operational };
}
