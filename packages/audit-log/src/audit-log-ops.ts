import type { Logger } from '@liaison/core';
import { Gauge, type ServiceOps, type StreamLook, startServiceOps, streamsPresent } from '@liaison/ops';
import { AUDIT_LOG_STREAMS, DURABLES, STREAMS } from '@liaison/topology';
import type { NatsConnection } from '@nats-io/transport-node';
import type { AuditLogService } from './log-service.js';

/**
 * The writer's metrics and probes (`docs/audit.md`, "Metrics"): the log's size
 * (entries; `liaison_stream_bytes{stream="AUDIT"}` for bytes), entries not yet under a
 * checkpoint, the newest checkpoint's age, the lag (batches waiting in `AUDIT_IN` and
 * the age of the oldest — what the gates' evidence guard bounds), its consumer's
 * pending, the NATS connection. Ready when connected, started, and its streams answer.
 */
export async function startAuditLogOps(
  port: number,
  nc: NatsConnection,
  id: string,
  logger: Logger,
  log: () => AuditLogService | undefined,
): Promise<ServiceOps> {
  const ops = await startServiceOps({
    service: 'audit-log',
    instance: id,
    port,
    nc,
    logger,
    consumers: [{ stream: STREAMS.auditIn, durable: DURABLES.auditLog }],
    streams: [STREAMS.auditIn, STREAMS.audit, STREAMS.auditCheckpoints],
    checks: {
      started: () => log() !== undefined,
      streams: () => streamsPresent(ops.jsm, AUDIT_LOG_STREAMS),
    },
  });
  const { registry } = ops;
  const stats = () => log()?.stats();
  new Gauge({
    name: 'liaison_audit_log_entries',
    help: 'Entries in the audit log (its Merkle tree size)',
    registers: [registry],
    collect() {
      const s = stats();
      if (s) this.set(s.size);
    },
  });
  new Gauge({
    name: 'liaison_audit_log_uncheckpointed_entries',
    help: 'Entries appended since the last checkpoint this writer published',
    registers: [registry],
    collect() {
      const s = stats();
      if (s) this.set(s.size - s.checkpointSize);
    },
  });
  const fromStream = (
    name: string,
    help: string,
    stream: string,
    value: (l: StreamLook | undefined) => number | undefined,
  ) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const v = value((await ops.streams()).get(stream));
        if (v === undefined) this.reset();
        else this.set(v);
      },
    });
  const age = (at: number | undefined) => (at === undefined ? 0 : Math.max(0, Date.now() - at) / 1000);
  fromStream(
    'liaison_audit_log_lag_messages',
    'Audit batches waiting in AUDIT_IN (handed over by the gates, not yet appended)',
    STREAMS.auditIn,
    (l) => l?.messages,
  );
  fromStream(
    'liaison_audit_log_lag_seconds',
    'Age of the oldest audit batch waiting in AUDIT_IN (0 when none waits)',
    STREAMS.auditIn,
    (l) => (l ? age(l.firstAt) : undefined),
  );
  fromStream(
    'liaison_audit_checkpoint_age_seconds',
    'Age of the newest signed checkpoint in AUDIT_CHECKPOINTS',
    STREAMS.auditCheckpoints,
    (l) => (l?.lastAt === undefined ? undefined : age(l.lastAt)),
  );
  return ops;
}
