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

/**
 * What every Liaison service reads: where NATS is, how it proves who it is (its nkey
 * seed file, by default `<LIAISON_HOME>/nats/<id>.nk`), the CA of the server's
 * certificate, where its keys are, the subject prefix.
 */
export const ServiceConfigSchema = z.object({
  LIAISON_NATS_URL: z.string().min(1),
  LIAISON_HOME: z.string().default('.liaison'),
  /** The service's nkey seed file, when it is not in the key home. */
  LIAISON_NATS_NKEY_FILE: z.string().min(1).optional(),
  /** The CA that signed the server's certificate (a TLS broker). */
  LIAISON_NATS_CA: z.string().min(1).optional(),
  /** Development only: connect without credentials to an open broker. */
  LIAISON_NATS_OPEN: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  LIAISON_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9]*$/)
    .default('liaison'),
});

export type ServiceConfig = z.output<typeof ServiceConfigSchema>;
