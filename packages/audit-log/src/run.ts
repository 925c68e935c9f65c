import { createLogger, type Logger, type RunningService, stopOnAbort } from '@liaison/core';
import { type ConnectionConfigInput, connect, KeyStore, serviceConnection } from '@liaison/identity';
import { type OpsServer, type OpsSettings, opsSettingsFrom } from '@liaison/ops';
import { startAuditLogOps } from './audit-log-ops.js';
import type { AuditLogConfig } from './config.js';
import { AuditLogService } from './log-service.js';

/** What the audit log's writer needs to run: how to connect, where its key is, its schedule. */
export interface AuditLogRunConfig {
  connection: ConnectionConfigInput;
  /** The key home: the log's signing key (`keys/<id>.json`). */
  home: string;
  /** The log's identity in the registry (default: the connection's name). */
  id?: string;
  origin?: string;
  prefix?: string;
  checkpointEvery?: number;
  checkpointIntervalMs?: number;
  /** Metrics and probes on 127.0.0.1:`metricsPort` (absent: none; 0: any free port). */
  ops?: OpsSettings;
}

export interface RunningAuditLog extends RunningService {
  readonly log: AuditLogService;
  /** The metrics and probe server, when `ops.metricsPort` was given. */
  readonly ops: OpsServer | undefined;
}

/** The writer's run config from its environment config (`AuditLogConfigSchema`). */
export function auditLogConfigFromEnv(c: AuditLogConfig): AuditLogRunConfig {
  return {
    connection: serviceConnection(c, c.LIAISON_AUDIT_LOG_ID),
    home: c.LIAISON_HOME,
    id: c.LIAISON_AUDIT_LOG_ID,
    origin: c.LIAISON_AUDIT_ORIGIN,
    prefix: c.LIAISON_PREFIX,
    checkpointEvery: c.LIAISON_CHECKPOINT_EVERY,
    checkpointIntervalMs: c.LIAISON_CHECKPOINT_INTERVAL_MS,
    ops: opsSettingsFrom(c),
  };
}

/**
 * Runs the audit log's single writer: connects as the log, loads its key, catches
 * up with the stored log and appends what the gates hand it. The same entry point
 * for `services/audit-log` and the sandbox.
 */
export async function runAuditLog(
  config: AuditLogRunConfig,
  o: { signal?: AbortSignal; logger?: Logger } = {},
): Promise<RunningAuditLog> {
  const logger = o.logger ?? createLogger('audit-log');
  const nc = await connect(config.connection);
  let log: AuditLogService | undefined;
  let ops: Awaited<ReturnType<typeof startAuditLogOps>> | undefined;
  try {
    const id = config.id ?? config.connection.name;
    const keys = await new KeyStore(config.home).load('keys', id);
    // Up before the writer catches up with the stored log (which can take a while): alive, not ready.
    const port = config.ops?.metricsPort;
    if (port !== undefined) ops = await startAuditLogOps(port, nc, id, logger, () => log);
    log = await AuditLogService.start({
      nc,
      keys,
      ...(config.origin ? { origin: config.origin } : {}),
      ...(config.prefix ? { prefix: config.prefix } : {}),
      ...(config.checkpointEvery ? { checkpointEvery: config.checkpointEvery } : {}),
      ...(config.checkpointIntervalMs ? { checkpointIntervalMs: config.checkpointIntervalMs } : {}),
      logger,
    });
    const started = log;
    const served = ops;
    const running = stopOnAbort(o.signal, async () => {
      await started.stop();
      await served?.close();
      await nc.drain().catch(() => nc.close());
    });
    return { log: started, ops: served?.server, ...running };
  } catch (err) {
    await ops?.close();
    await nc.close();
    throw err;
  }
}
