// Runs the retention service: configuration from the environment (RetentionConfigSchema
// in @liaison/retention), a logger, and SIGINT/SIGTERM turned into an abort. Everything
// else is runRetention.
import { createLogger, loadConfig, runUntilSignalled } from '@liaison/core';
import { RetentionConfigSchema, retentionConfigFromEnv, runRetention } from '@liaison/retention';

const logger = createLogger('retention');
const config = retentionConfigFromEnv(loadConfig(RetentionConfigSchema));
await runUntilSignalled(logger, (signal) => runRetention(config, { signal, logger }));
