import { toIssues } from '@liaison/core';
import type { z } from 'zod';
import { RegistryError } from '../errors.js';

/**
 * Validates an operation's input at the edge: the parsed value, or INVALID_INPUT
 * with every issue as data (code + path), so a CLI, a console or a test can say
 * which field is wrong without reading the message.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new RegistryError('INVALID_INPUT', `invalid ${what}`, { issues: toIssues(parsed.error.issues) });
}
