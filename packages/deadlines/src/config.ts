import { ServiceConfigSchema } from '@liaison/core';
import { z } from 'zod';

/** Deadline service settings; `services/deadlines` reads them from the environment once. */
export const DeadlinesConfigSchema = ServiceConfigSchema.extend({
  LIAISON_DEADLINES_ID: z.string().default('liaison-deadlines'),
  /**
   * How long before a deadline the parties are told it is near (ms); absent = a quarter
   * of the request's deadline (2 h of 8 h, 18 h of 3 days, 42 h of 7 days).
   */
  LIAISON_DEADLINES_WARN_MS: z.coerce.number().int().nonnegative().optional(),
});
export type DeadlinesConfig = z.infer<typeof DeadlinesConfigSchema>;
