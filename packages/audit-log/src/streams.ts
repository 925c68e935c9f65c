import { type JetStreamManager, RetentionPolicy, StorageType, type StreamConfig } from '@nats-io/jetstream';

export const AUDIT_STREAMS = { inbox: 'AUDIT_IN', log: 'AUDIT', checkpoints: 'AUDIT_CHECKPOINTS' } as const;

export function auditSubjects(prefix = 'liaison') {
  return {
    inbox: (gate: string) => `${prefix}.auditin.${gate}`,
    inboxAll: `${prefix}.auditin.*`,
    log: `${prefix}.audit.log`,
    checkpoint: `${prefix}.audit.checkpoint`,
    latest: `${prefix}.audit.latest`,
    inclusion: `${prefix}.audit.proof.inclusion`,
    consistency: `${prefix}.audit.proof.consistency`,
  };
}

/**
 * The audit streams: gates' batches (work queue), the log, the checkpoints; log and
 * checkpoints deny delete and purge. The gate creates `AUDIT_IN` too (whichever
 * starts first); `tests/e2e/stream-configs.test.ts` holds both definitions equal.
 */
export function auditStreamConfigs(
  prefix = 'liaison',
  replicas = 1,
): (Partial<StreamConfig> & { name: string })[] {
  const s = auditSubjects(prefix);
  const common = { storage: StorageType.File, num_replicas: replicas, duplicate_window: 600_000_000_000 };
  return [
    { ...common, name: AUDIT_STREAMS.inbox, subjects: [s.inboxAll], retention: RetentionPolicy.Workqueue },
    { ...common, name: AUDIT_STREAMS.log, subjects: [s.log], deny_delete: true, deny_purge: true },
    {
      ...common,
      name: AUDIT_STREAMS.checkpoints,
      subjects: [s.checkpoint],
      deny_delete: true,
      deny_purge: true,
    },
  ];
}

/** Creates the audit streams that do not exist yet; existing ones are kept. */
export async function ensureAuditStreams(
  jsm: JetStreamManager,
  prefix = 'liaison',
  replicas = 1,
): Promise<void> {
  for (const c of auditStreamConfigs(prefix, replicas)) {
    try {
      await jsm.streams.info(c.name);
    } catch {
      await jsm.streams.add(c);
    }
  }
}
