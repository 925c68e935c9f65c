import { type JetStreamManager, RetentionPolicy, StorageType, type StreamConfig } from '@nats-io/jetstream';
import type { GateSettings } from './config.js';
import { STREAMS, Subjects } from './subjects.js';

const DAY_NS = 86_400_000_000_000;
const MINUTES_NS = 60_000_000_000;

/** The exchange's streams (see docs/architecture.md). Idempotent: existing streams are kept. */
export function streamConfigs(s: GateSettings): (Partial<StreamConfig> & { name: string })[] {
  const subj = new Subjects(s.prefix);
  const common = { storage: StorageType.File, num_replicas: s.replicas };
  return [
    {
      ...common,
      name: STREAMS.intake,
      subjects: [subj.intakeAll],
      retention: RetentionPolicy.Workqueue,
      max_msg_size: s.maxEnvelopeBytes * 2,
      duplicate_window: 2 * MINUTES_NS,
    },
    {
      ...common,
      name: STREAMS.feed,
      subjects: [`${s.prefix}.feed.*.*`],
      retention: RetentionPolicy.Limits,
      max_age: s.feedMaxAgeDays * DAY_NS,
      duplicate_window: 10 * MINUTES_NS,
      deny_delete: true,
      deny_purge: true,
    },
    {
      ...common,
      name: STREAMS.receipts,
      subjects: [`${s.prefix}.receipt.*.*`],
      retention: RetentionPolicy.Limits,
      max_age: s.feedMaxAgeDays * DAY_NS,
      duplicate_window: 10 * MINUTES_NS,
      deny_delete: true,
      deny_purge: true,
    },
    {
      ...common,
      name: STREAMS.acks,
      subjects: [subj.ackAll],
      retention: RetentionPolicy.Workqueue,
      duplicate_window: 10 * MINUTES_NS,
    },
    {
      // The gates' outbox to the audit log; the audit-log service (single writer)
      // takes each batch and appends its entries to AUDIT. The audit log defines it
      // too; tests/e2e/stream-configs.test.ts holds both definitions equal.
      ...common,
      name: STREAMS.audit,
      subjects: [`${s.prefix}.auditin.*`],
      retention: RetentionPolicy.Workqueue,
      duplicate_window: 10 * MINUTES_NS,
    },
  ];
}

export async function ensureStreams(jsm: JetStreamManager, s: GateSettings): Promise<void> {
  for (const cfg of streamConfigs(s)) {
    try {
      await jsm.streams.info(cfg.name);
    } catch {
      await jsm.streams.add(cfg);
    }
  }
}
