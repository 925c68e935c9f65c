// Runs the audit log's single writer: configuration from the environment
// (AuditLogConfigSchema in @liaison/audit-log), a logger, and SIGINT/SIGTERM turned into
// an abort. Run one: a second writer never interleaves records (each block is published
// with the expected last sequence; a stale writer catches up and retries on top).
import { AuditLogConfigSchema, auditLogConfigFromEnv, runAuditLog } from '@liaison/audit-log';
import { createLogger, loadConfig, runUntilSignalled } from '@liaison/core';

const logger = createLogger('audit-log');
const config = auditLogConfigFromEnv(loadConfig(AuditLogConfigSchema));
await runUntilSignalled(logger, (signal) => runAuditLog(config, { signal, logger }));
