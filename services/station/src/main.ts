// Runs an agency station: configuration from the environment (StationConfigSchema in
// @liaison/station: where NATS is, the agency, its key home, the database, the console's
// port, the first administrator), a logger, and SIGINT/SIGTERM turned into an abort.
// Everything else is runStation.
import { createLogger, loadConfig, runUntilSignalled } from '@liaison/core';
import { runStation, StationConfigSchema, stationConfigFromEnv } from '@liaison/station';

const logger = createLogger('station');
const config = stationConfigFromEnv(loadConfig(StationConfigSchema));
await runUntilSignalled(
  logger,
  (signal) => runStation(config, { signal, logger }),
  (station) => logger.info({ url: (station as { url?: string }).url }, 'console listening'),
);
