import { z } from 'zod';
import { formatIssues, LiaisonError, toIssues } from './errors.js';

export class ConfigError extends LiaisonError<'CONFIG_INVALID'> {}

/**
 * Reads configuration once, from the environment, through a zod schema. Call it in
 * a service's `config.ts` and pass the result down; nothing else reads `process.env`.
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.output<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const issues = toIssues(parsed.error.issues);
  throw new ConfigError('CONFIG_INVALID', `invalid configuration:\n${formatIssues(issues)}`, { issues });
}

/** What every Liaison service reads: where NATS is, where its keys are, the subject prefix. */
export const ServiceConfigSchema = z.object({
  LIAISON_NATS_URL: z.string().min(1),
  LIAISON_HOME: z.string().default('.liaison'),
  LIAISON_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9]*$/)
    .default('liaison'),
});
