export { type Issue, LiaisonError, isLiaisonError, toIssues, formatIssues } from './errors.js';
export { createLogger, REDACT_PATHS, type Logger, type LoggerOptions } from './logger.js';
export { loadConfig, ConfigError } from './config.js';
