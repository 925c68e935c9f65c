import type { Logger } from './logger.js';
import type { RunningService } from './service.js';

/**
 * For a service's `main.ts`: turns SIGINT and SIGTERM into an abort, starts the service
 * with that signal, waits until it has stopped, and reports a failure to start or run as
 * a coded log line with a non-zero exit code (no stack to the operator, no
 * `process.exit`: the process drains and ends by itself).
 *
 * @example
 * await runUntilSignalled(logger, (signal) => runGate(config, { signal, logger }));
 */
export async function runUntilSignalled(
  logger: Logger,
  start: (signal: AbortSignal) => Promise<RunningService>,
  onStarted?: (service: RunningService) => void,
): Promise<void> {
  const stop = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      logger.info({ signal }, 'stopping');
      stop.abort();
    });
  try {
    const service = await start(stop.signal);
    onStarted?.(service);
    await service.done;
  } catch (err) {
    logger.fatal({ code: (err as { code?: string }).code, err: String(err) }, 'stopped by an error');
    process.exitCode = 1;
  }
}
