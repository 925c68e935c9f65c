import { ServiceConfigSchema } from '@liaison/core';
import { serviceConnection } from '@liaison/identity';
import { DEFAULT_TOPOLOGY } from '@liaison/topology';
import { z } from 'zod';
import type { RetentionRunConfig } from './run.js';

/** Retention service settings; `services/retention` reads them from the environment once. */
export const RetentionConfigSchema = ServiceConfigSchema.extend({
  LIAISON_RETENTION_ID: z.string().default('liaison-retention'),
  /** How often FEED is swept. */
  LIAISON_RETENTION_INTERVAL_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(60 * 60_000),
  /** The delivery window (the gate's LIAISON_FEED_MAX_AGE_DAYS: both must agree). */
  LIAISON_FEED_MAX_AGE_DAYS: z.coerce.number().int().positive().default(DEFAULT_TOPOLOGY.feedMaxAgeDays),
  /** Replicas of its state bucket (1, or 3 on the hub cluster: as the gate's). */
  LIAISON_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
});
export type RetentionConfig = z.infer<typeof RetentionConfigSchema>;

/** The service's run config from its environment config. */
export function retentionConfigFromEnv(c: RetentionConfig): RetentionRunConfig {
  return {
    connection: serviceConnection(c, c.LIAISON_RETENTION_ID),
    home: c.LIAISON_HOME,
    id: c.LIAISON_RETENTION_ID,
    prefix: c.LIAISON_PREFIX,
    intervalMs: c.LIAISON_RETENTION_INTERVAL_MS,
    feedMaxAgeDays: c.LIAISON_FEED_MAX_AGE_DAYS,
    replicas: c.LIAISON_REPLICAS,
  };
}
