import { ServiceConfigSchema } from '@liaison/core';
import { OpsEnv } from '@liaison/ops';
import { z } from 'zod';

/** Audit-log service settings; `services/audit-log` reads them from the environment once. */
export const AuditLogConfigSchema = ServiceConfigSchema.extend({
  ...OpsEnv,
  LIAISON_AUDIT_LOG_ID: z.string().default('liaison-audit-log'),
  LIAISON_AUDIT_ORIGIN: z.string().default('liaison.audit/v1'),
  LIAISON_CHECKPOINT_EVERY: z.coerce.number().int().positive().default(100),
  LIAISON_CHECKPOINT_INTERVAL_MS: z.coerce.number().int().positive().default(10_000),
});
export type AuditLogConfig = z.infer<typeof AuditLogConfigSchema>;
