import {
  DiscardPolicy,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from '@nats-io/jetstream';
import {
  DEFAULT_TOPOLOGY,
  DUPLICATE_WINDOW_NS,
  feedBackstopNs,
  feedMaxAgeNs,
  type TopologySettings,
} from './retention.js';
import { STREAMS, type StreamName } from './streams.js';
import { Subjects } from './subjects.js';

export type StreamDefinition = Partial<StreamConfig> & { name: StreamName };

/**
 * Every stream of the exchange, defined once. Append-only logs (RECEIPTS, AUDIT,
 * AUDIT_CHECKPOINTS, POLICY) deny delete and purge; work queues (INTAKE, ACKS,
 * AUDIT_IN) lose a message once it is acknowledged. FEED denies purge but allows
 * deleting one message: that is how the retention service erases a delivery's
 * ciphertext and wrapped keys at the end of its retention (docs/lifecycle.md). Only the
 * retention identity is given `$JS.API.STREAM.MSG.DELETE.FEED` (packages/broker);
 * agencies have no JetStream API at all, the gate and the audit log have allow lists
 * without it.
 */
export function streamConfigs(settings: Partial<TopologySettings> = {}): StreamDefinition[] {
  const s = { ...DEFAULT_TOPOLOGY, ...settings };
  const subj = new Subjects(s.prefix);
  const common = { storage: StorageType.File, num_replicas: s.replicas };
  const appendOnly = { deny_delete: true, deny_purge: true };
  const kept = { retention: RetentionPolicy.Limits, max_age: feedMaxAgeNs(s), ...appendOnly };
  const long = DUPLICATE_WINDOW_NS.long;
  return [
    {
      ...common,
      name: STREAMS.intake,
      subjects: [subj.intakeAll],
      retention: RetentionPolicy.Workqueue,
      max_msg_size: s.maxEnvelopeBytes * 2,
      duplicate_window: DUPLICATE_WINDOW_NS.short,
    },
    {
      ...common,
      name: STREAMS.feed,
      subjects: [subj.feedAll],
      retention: RetentionPolicy.Limits,
      max_age: feedBackstopNs(s),
      deny_delete: false,
      deny_purge: true,
      duplicate_window: long,
    },
    { ...common, name: STREAMS.receipts, subjects: [subj.receiptAll], ...kept, duplicate_window: long },
    {
      ...common,
      name: STREAMS.acks,
      subjects: [subj.ackAll],
      retention: RetentionPolicy.Workqueue,
      duplicate_window: long,
    },
    {
      // The gates' outbox to the audit log: both create it, so it has one definition.
      ...common,
      name: STREAMS.auditIn,
      subjects: [subj.auditInAll],
      retention: RetentionPolicy.Workqueue,
      duplicate_window: long,
    },
    { ...common, name: STREAMS.audit, subjects: [subj.auditLog], duplicate_window: long, ...appendOnly },
    {
      ...common,
      name: STREAMS.auditCheckpoints,
      subjects: [subj.auditCheckpoint],
      duplicate_window: long,
      ...appendOnly,
    },
    {
      ...common,
      name: STREAMS.policy,
      subjects: [subj.policyAll],
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.New,
      allow_rollup_hdrs: false,
      duplicate_window: DUPLICATE_WINDOW_NS.short,
      ...appendOnly,
    },
  ];
}

/** The definition of one stream. */
export function streamConfig(name: StreamName, settings: Partial<TopologySettings> = {}): StreamDefinition {
  const c = streamConfigs(settings).find((x) => x.name === name);
  if (!c) throw new TypeError(`no stream named ${name}`);
  return c;
}

/**
 * Creates the streams that do not exist yet (all of them, or those named);
 * existing streams are kept as they are. Idempotent.
 *
 * @example
 * await ensureStreams(jsm, { prefix: 'liaison', replicas: 3 }, GATE_STREAMS);
 */
export async function ensureStreams(
  jsm: JetStreamManager,
  settings: Partial<TopologySettings> = {},
  names?: readonly StreamName[],
): Promise<void> {
  for (const cfg of streamConfigs(settings)) {
    if (names && !names.includes(cfg.name)) continue;
    try {
      await jsm.streams.info(cfg.name);
    } catch {
      // Two services starting at once: the one that loses the race keeps the winner's stream.
      await jsm.streams.add(cfg).catch((err: unknown) => {
        if (!/already in use/i.test(String(err))) throw err;
      });
    }
  }
}
