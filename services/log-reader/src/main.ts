// Runs the log reader (docs/decisions/0014): configuration from the environment
// (LogReaderConfigSchema in @liaison/audit-log), a logger, and SIGINT/SIGTERM turned into
// an abort. Several may run: they share the read requests (a queue group).
import { LogReaderConfigSchema, logReaderConfigFromEnv, runLogReader } from '@liaison/audit-log';
import { createLogger, loadConfig, runUntilSignalled } from '@liaison/core';

const logger = createLogger('log-reader');
const config = logReaderConfigFromEnv(loadConfig(LogReaderConfigSchema));
await runUntilSignalled(logger, (signal) => runLogReader(config, { signal, logger }));
