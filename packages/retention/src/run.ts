import { createLogger, type Logger, type RunningService, stopOnAbort } from '@liaison/core';
import { type ConnectionConfigInput, connect, KeyStore } from '@liaison/identity';
import { RetentionService, type SweepReport } from './retention-service.js';

/** What the retention service needs to run. */
export interface RetentionRunConfig {
  connection: ConnectionConfigInput;
  /** The key home: the service's signing key (`keys/<id>.json`). */
  home: string;
  /** Its identity in the registry (role `retention`; default: the connection's name). */
  id?: string;
  prefix?: string;
  /** How often FEED is swept (default one hour); the first sweep runs at start. */
  intervalMs?: number;
  /** The delivery window in days (the gate's `feedMaxAgeDays`). */
  feedMaxAgeDays?: number;
  /** Replicas of the service's state bucket (default 1). */
  replicas?: number;
}

export interface RetentionRunOptions {
  signal?: AbortSignal;
  logger?: Logger;
  /** The clock (tests move it ahead). */
  now?: () => number;
  onSweep?: (r: SweepReport) => void;
}

export interface RunningRetention extends RunningService {
  readonly service: RetentionService;
}

/**
 * Runs the retention service: connects as the retention identity, loads its keys,
 * sweeps FEED at start and then every `intervalMs` until the signal aborts. The same
 * entry point for `services/retention`, the sandbox and the tests.
 *
 * @example
 * const r = await runRetention(retentionConfigFromEnv(loadConfig(RetentionConfigSchema)), { signal });
 * await r.done;
 */
export async function runRetention(
  config: RetentionRunConfig,
  o: RetentionRunOptions = {},
): Promise<RunningRetention> {
  const logger = o.logger ?? createLogger('retention');
  const nc = await connect(config.connection);
  try {
    const keys = await new KeyStore(config.home).load('keys', config.id ?? config.connection.name);
    const service = new RetentionService({
      nc,
      keys,
      settings: {
        ...(config.prefix ? { prefix: config.prefix } : {}),
        ...(config.feedMaxAgeDays ? { feedMaxAgeDays: config.feedMaxAgeDays } : {}),
        ...(config.replicas ? { replicas: config.replicas } : {}),
      },
      logger,
      ...(o.now ? { now: o.now } : {}),
    });
    let sweeping: Promise<unknown> = Promise.resolve();
    const sweep = () => {
      sweeping = sweeping
        .then(() => service.sweep())
        .then(
          (r) => o.onSweep?.(r),
          (err) => logger.warn({ err: String(err) }, 'sweep failed; retried at the next interval'),
        );
    };
    sweep();
    const timer = setInterval(sweep, config.intervalMs ?? 60 * 60_000);
    logger.info({ id: keys.agency }, 'retention running');
    const running = stopOnAbort(o.signal, async () => {
      clearInterval(timer);
      await sweeping;
      await nc.drain().catch(() => nc.close());
    });
    return { service, ...running };
  } catch (err) {
    await nc.close();
    throw err;
  }
}
