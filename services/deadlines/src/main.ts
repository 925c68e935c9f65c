// Runs the deadline service: configuration from the environment (DeadlinesConfigSchema in
// @liaison/deadlines), a logger, and SIGINT/SIGTERM turned into an abort. Everything else
// is runDeadlines.
import { createLogger, loadConfig, runUntilSignalled } from '@liaison/core';
import { DeadlinesConfigSchema, deadlinesConfigFromEnv, runDeadlines } from '@liaison/deadlines';

const logger = createLogger('deadlines');
const config = deadlinesConfigFromEnv(loadConfig(DeadlinesConfigSchema));
await runUntilSignalled(logger, (signal) => runDeadlines(config, { signal, logger }));
