export { ConfigError, loadConfig, ServiceConfigSchema } from './config.js';
export { consumeDurable, ensureConsumer } from './consumers.js';
export { findCause, formatIssues, type Issue, isLiaisonError, LiaisonError, toIssues } from './errors.js';
export { createLogger, type Logger, type LoggerOptions, REDACT_PATHS } from './logger.js';
export { isTransientJetStreamError, type RetryOptions, retryTransient } from './retry.js';
