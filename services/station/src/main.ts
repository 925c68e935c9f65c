// Runs an agency station: configuration from the environment (StationConfigSchema in
// @liaison/station: where NATS is, the agency, its key home, the database, the console's
// port, the first administrator), a logger, and SIGINT/SIGTERM turned into an abort.
// Everything else is runStation.
import { createLogger, loadConfig } from '@liaison/core';
import { runStation, StationConfigSchema, stationConfigFromEnv } from '@liaison/station';

const logger = createLogger('station');
const config = stationConfigFromEnv(loadConfig(StationConfigSchema));
const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    logger.info({ signal }, 'stopping');
    stop.abort();
  });
try {
  const station = await runStation(config, { signal: stop.signal, logger });
  logger.info({ url: station.url }, 'console listening');
  await station.done;
} catch (err) {
  logger.fatal({ code: (err as { code?: string }).code, err: String(err) }, 'stopped by an error');
  process.exitCode = 1;
}
