import { toIssues } from '@liaison/core';
import type { z } from 'zod';
import { AuditError } from '../errors.js';

/** Validates a query at the edge: the parsed value, or BAD_REQUEST with the issues as data. */
export function parseQuery<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new AuditError('BAD_REQUEST', `invalid ${what}`, { issues: toIssues(parsed.error.issues) });
}
