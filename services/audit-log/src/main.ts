// Runs the audit log's single writer. Configuration from the environment (see
// AuditLogConfigSchema in @liaison/audit-log); the log's key from LIAISON_HOME.
// Run one: a second writer never interleaves records (each block is published with the
// expected last sequence; a stale writer catches up and retries on top).
import { AuditLogConfigSchema, AuditLogService } from '@liaison/audit-log';
import { KeyStore } from '@liaison/client';
import { createLogger, loadConfig } from '@liaison/core';
import { connect } from '@nats-io/transport-node';

const logger = createLogger('audit-log');
const config = loadConfig(AuditLogConfigSchema);
const keys = await new KeyStore(config.LIAISON_HOME).load('keys', config.LIAISON_AUDIT_LOG_ID);
const nc = await connect({
  servers: config.LIAISON_NATS_URL.split(','),
  name: config.LIAISON_AUDIT_LOG_ID,
  maxReconnectAttempts: -1,
  noAsyncTraces: true,
});
const log = await AuditLogService.start({
  nc,
  keys,
  origin: config.LIAISON_AUDIT_ORIGIN,
  prefix: config.LIAISON_PREFIX,
  checkpointEvery: config.LIAISON_CHECKPOINT_EVERY,
  checkpointIntervalMs: config.LIAISON_CHECKPOINT_INTERVAL_MS,
  logger,
});

const signal = await new Promise<NodeJS.Signals>((resolve) => {
  process.once('SIGINT', () => resolve('SIGINT'));
  process.once('SIGTERM', () => resolve('SIGTERM'));
});
logger.info({ signal }, 'stopping');
await log.stop();
await nc.drain();
