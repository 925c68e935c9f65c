import { z } from 'zod';
import { KINDS, type NoticeKind } from './kinds/index.js';
import { MarkingsSchema } from './markings.js';

/**
 * JSON Schema (draft 2020-12, zod's own export) of a kind's body, for clients in
 * other languages. Field marks appear as `"personal": true|false` and `"freeText"`.
 */
export function bodyJsonSchema(kind: NoticeKind): Record<string, unknown> {
  const def = KINDS[kind];
  return {
    ...z.toJSONSchema(def.body, { target: 'draft-2020-12', unrepresentable: 'any' }),
    $id: `https://liaison.invalid/schemas/${kind}.v${def.schemaVersion}.json`,
    title: `${kind} body, schema version ${def.schemaVersion}`,
  };
}

export function markingsJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(MarkingsSchema, { target: 'draft-2020-12', unrepresentable: 'any' }),
    $id: 'https://liaison.invalid/schemas/markings.json',
    title: 'markings common to every notice (H3 needs handlingRestriction)',
  };
}
