import { type JetStreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';

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

/** The audit streams: gates' batches (work queue), the log, the checkpoints; log and checkpoints deny delete and purge. */
export async function ensureAuditStreams(
  jsm: JetStreamManager,
  prefix = 'liaison',
  replicas = 1,
): Promise<void> {
  const s = auditSubjects(prefix);
  const configs = [
    {
      name: AUDIT_STREAMS.inbox,
      subjects: [s.inboxAll],
      retention: RetentionPolicy.Workqueue,
      duplicate_window: 600_000_000_000,
    },
    {
      name: AUDIT_STREAMS.log,
      subjects: [s.log],
      deny_delete: true,
      deny_purge: true,
      duplicate_window: 600_000_000_000,
    },
    {
      name: AUDIT_STREAMS.checkpoints,
      subjects: [s.checkpoint],
      deny_delete: true,
      deny_purge: true,
      duplicate_window: 600_000_000_000,
    },
  ];
  for (const c of configs) {
    try {
      await jsm.streams.info(c.name);
    } catch {
      await jsm.streams.add({ ...c, storage: StorageType.File, num_replicas: replicas });
    }
  }
}
