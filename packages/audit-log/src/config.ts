import { z } from 'zod';

/** Audit-log service settings; `services/audit-log` reads them from the environment once. */
export const AuditLogConfigSchema = z.object({
  LIAISON_NATS_URL: z.string().min(1),
  LIAISON_HOME: z.string().default('.liaison'),
  LIAISON_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9]*$/)
    .default('liaison'),
  LIAISON_AUDIT_LOG_ID: z.string().default('liaison-audit-log'),
  LIAISON_AUDIT_ORIGIN: z.string().default('liaison.audit/v1'),
  LIAISON_CHECKPOINT_EVERY: z.coerce.number().int().positive().default(100),
  LIAISON_CHECKPOINT_INTERVAL_MS: z.coerce.number().int().positive().default(10_000),
});
export type AuditLogConfig = z.infer<typeof AuditLogConfigSchema>;
