import {
  createLogger,
  type Logger,
  type RunningService,
  ServiceConfigSchema,
  stopOnAbort,
} from '@liaison/core';
import { type ConnectionConfigInput, connect, serviceConnection } from '@liaison/identity';
import { LogReaderService } from '@liaison/log-reader';
import { z } from 'zod';

/** The log reader's settings; `services/log-reader` reads them from the environment once. */
export const LogReaderConfigSchema = ServiceConfigSchema.extend({
  LIAISON_LOG_READER_ID: z.string().default('liaison-log-reader'),
});
export type LogReaderConfig = z.infer<typeof LogReaderConfigSchema>;

/** The log reader's run config from its environment config. */
export function logReaderConfigFromEnv(c: LogReaderConfig): LogReaderRunConfig {
  return { connection: serviceConnection(c, c.LIAISON_LOG_READER_ID), prefix: c.LIAISON_PREFIX };
}

export interface LogReaderRunConfig {
  connection: ConnectionConfigInput;
  prefix?: string;
}

export interface RunningLogReader extends RunningService {
  reader: LogReaderService;
}

/** Connects as the log reader's identity and serves read requests until stopped (or `signal` aborts). */
export async function runLogReader(
  config: LogReaderRunConfig,
  o: { signal?: AbortSignal; logger?: Logger } = {},
): Promise<RunningLogReader> {
  const logger = o.logger ?? createLogger('log-reader');
  const nc = await connect(config.connection);
  const reader = new LogReaderService({ nc, logger, ...(config.prefix ? { prefix: config.prefix } : {}) });
  reader.start();
  logger.info({ id: config.connection.name }, 'log reader running');
  const running = stopOnAbort(o.signal, async () => {
    await reader.stop();
    await nc.drain().catch(() => nc.close());
  });
  return { reader, ...running };
}
