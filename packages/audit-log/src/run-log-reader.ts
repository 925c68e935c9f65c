import { createLogger, type Logger, type RunningService, stopOnAbort } from '@liaison/core';
import { type ConnectionConfigInput, connect } from '@liaison/identity';
import { LogReaderService } from '@liaison/log-reader';

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
