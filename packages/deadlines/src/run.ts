import { createLogger, type Logger, type RunningService, stopOnAbort } from '@liaison/core';
import { type ConnectionConfigInput, connect, KeyStore, serviceConnection } from '@liaison/identity';
import type { DeadlinesConfig } from './config.js';
import { DeadlineService } from './deadline-service.js';

/** What the deadline service needs to run: how to connect, where its key is. */
export interface DeadlinesRunConfig {
  connection: ConnectionConfigInput;
  /** The key home: the service's signing key (`keys/<id>.json`). */
  home: string;
  id?: string;
  prefix?: string;
  warnMs?: number;
  /** The clock (tests). */
  now?: () => number;
}

export interface RunningDeadlines extends RunningService {
  readonly service: DeadlineService;
}

/** The run config from the environment config (`DeadlinesConfigSchema`). */
export function deadlinesConfigFromEnv(c: DeadlinesConfig): DeadlinesRunConfig {
  return {
    connection: serviceConnection(c, c.LIAISON_DEADLINES_ID),
    home: c.LIAISON_HOME,
    id: c.LIAISON_DEADLINES_ID,
    prefix: c.LIAISON_PREFIX,
    ...(c.LIAISON_DEADLINES_WARN_MS === undefined ? {} : { warnMs: c.LIAISON_DEADLINES_WARN_MS }),
  };
}

/**
 * Runs the deadline service: connects as itself, loads its key, re-derives every
 * request's deadline from the audit log and follows it. The same entry point for
 * `services/deadlines`, the sandbox and the tests.
 */
export async function runDeadlines(
  config: DeadlinesRunConfig,
  o: { signal?: AbortSignal; logger?: Logger } = {},
): Promise<RunningDeadlines> {
  const logger = o.logger ?? createLogger('deadlines');
  const nc = await connect(config.connection);
  try {
    const keys = await new KeyStore(config.home).load('keys', config.id ?? config.connection.name);
    const service = await DeadlineService.start({
      nc,
      keys,
      logger,
      ...(config.prefix ? { prefix: config.prefix } : {}),
      ...(config.warnMs === undefined ? {} : { warnMs: config.warnMs }),
      ...(config.now ? { now: config.now } : {}),
    });
    const running = stopOnAbort(o.signal, async () => {
      await service.stop();
      await nc.drain().catch(() => nc.close());
    });
    return { service, ...running };
  } catch (err) {
    await nc.close();
    throw err;
  }
}
