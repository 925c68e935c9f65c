export { ConfigError, loadConfig, type ServiceConfig, ServiceConfigSchema } from './config.js';
export { consumeDurable, ensureConsumer } from './consumers.js';
export { findCause, formatIssues, type Issue, isLiaisonError, LiaisonError, toIssues } from './errors.js';
export { createLogger, type Logger, type LoggerOptions, REDACT_PATHS } from './logger.js';
export { abortWhenOrphaned } from './orphan.js';
export { isTransientJetStreamError, type RetryOptions, retryTransient } from './retry.js';
export { runUntilSignalled } from './runner.js';
export { type RunningService, stopOnAbort } from './service.js';
