// Runs the audit log's single writer: configuration from the environment
// (AuditLogConfigSchema in @liaison/audit-log), a logger, and SIGINT/SIGTERM turned into
// an abort. Run one: a second writer never interleaves records (each block is published
// with the expected last sequence; a stale writer catches up and retries on top).
import { AuditLogConfigSchema, auditLogConfigFromEnv, runAuditLog } from '@liaison/audit-log';
import { createLogger, loadConfig } from '@liaison/core';

const logger = createLogger('audit-log');
const config = auditLogConfigFromEnv(loadConfig(AuditLogConfigSchema));
const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    logger.info({ signal }, 'stopping');
    stop.abort();
  });
try {
  const log = await runAuditLog(config, { signal: stop.signal, logger });
  await log.done;
} catch (err) {
  logger.fatal({ code: (err as { code?: string }).code, err: String(err) }, 'stopped by an error');
  process.exitCode = 1;
}
