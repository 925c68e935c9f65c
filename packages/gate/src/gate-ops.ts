import type { Logger } from '@liaison/core';
import {
  Counter,
  Gauge,
  mirroredCounter,
  type ServiceOps,
  startServiceOps,
  streamsPresent,
} from '@liaison/ops';
import { DURABLES, GATE_STREAMS, STREAMS } from '@liaison/topology';
import type { NatsConnection } from '@nats-io/transport-node';
import type { EvidenceReason } from './evidence-guard.js';
import type { Gate } from './gate.js';
import type { Outcome } from './process-submission.js';

const REASONS: readonly EvidenceReason[] = [
  'AUDIT_IN_MISSING',
  'AUDIT_IN_UNREACHABLE',
  'AUDIT_IN_FULL',
  'AUDIT_LAG',
  'AUDIT_PUBLISH_FAILED',
];

export interface GateOps {
  readonly ops: ServiceOps;
  /** Counts one submission's outcome (Gate's `onOutcome`). */
  outcome(o: Outcome): void;
}

/**
 * The gate's metrics and probes (`docs/exchange.md`, "Metrics"): submissions by outcome
 * and code (RATE_LIMITED and AUDIT_UNAVAILABLE among them), deliveries, the evidence
 * guard (open, why not, closures, the writer's lag as the gate sees it, submissions
 * held), the intake and acks consumers' pending (the gate's lag), the NATS connection.
 * Ready when connected, the gate's streams answer, and the evidence guard is open.
 * `gate()` is undefined until the gate has started (not ready yet).
 */
export async function startGateOps(
  port: number,
  nc: NatsConnection,
  gateId: string,
  logger: Logger,
  gate: () => Gate | undefined,
): Promise<GateOps> {
  const ops = await startServiceOps({
    service: 'gate',
    instance: gateId,
    port,
    nc,
    logger,
    consumers: [
      { stream: STREAMS.intake, durable: DURABLES.gate },
      { stream: STREAMS.acks, durable: DURABLES.gateAcks },
    ],
    streams: [STREAMS.intake, STREAMS.auditIn],
    checks: {
      started: () => gate() !== undefined,
      streams: () => streamsPresent(ops.jsm, GATE_STREAMS),
      evidence: () => gate()?.health().evidence.state === 'open',
    },
  });
  const { registry } = ops;
  const evidence = () => gate()?.health().evidence;
  const submissions = new Counter({
    name: 'liaison_gate_submissions_total',
    help: 'Submissions answered, by outcome (accepted, rejected) and code (ACCEPTED or the rejection code)',
    labelNames: ['outcome', 'code'],
    registers: [registry],
  });
  const deliveries = new Counter({
    name: 'liaison_gate_deliveries_total',
    help: 'Deliveries published to recipients feeds',
    registers: [registry],
  });
  new Gauge({
    name: 'liaison_gate_evidence_open',
    help: 'Whether the evidence guard lets submissions through (1) or holds the intake (0)',
    registers: [registry],
    collect() {
      this.set(evidence()?.state === 'open' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'liaison_gate_evidence_closed',
    help: 'Why the intake is held: 1 for the current reason, 0 for the others',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      const reason = evidence()?.reason;
      for (const r of REASONS) this.set({ reason: r }, r === reason ? 1 : 0);
    },
  });
  new Gauge({
    name: 'liaison_gate_evidence_closed_seconds',
    help: 'How long the intake has been held (0 while open)',
    registers: [registry],
    collect() {
      const since = evidence()?.closedSince;
      this.set(since === undefined ? 0 : (Date.now() - since) / 1000);
    },
  });
  const fromHealth = (
    name: string,
    help: string,
    value: (e: NonNullable<ReturnType<typeof evidence>>) => number,
  ) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const e = evidence();
        if (e) this.set(value(e));
      },
    });
  fromHealth(
    'liaison_gate_audit_lag_messages',
    'Audit batches in AUDIT_IN the writer has not taken, at the last look',
    (e) => e.auditLagMessages,
  );
  fromHealth(
    'liaison_gate_audit_lag_seconds',
    'Age of the oldest of them, at the last look',
    (e) => e.auditLagMs / 1000,
  );
  fromHealth('liaison_gate_held_submissions', 'Submissions waiting for the audit log now', (e) => e.held);
  mirroredCounter(
    registry,
    'liaison_gate_evidence_closures_total',
    'Times the intake was held',
    () => evidence()?.closures ?? 0,
  );
  mirroredCounter(
    registry,
    'liaison_gate_audit_unavailable_total',
    'Submissions answered AUDIT_UNAVAILABLE',
    () => evidence()?.auditUnavailable ?? 0,
  );
  mirroredCounter(
    registry,
    'liaison_gate_intake_stranded_total',
    'Intake messages the durable no longer offered, taken over from INTAKE (docs/exchange.md, "Failover")',
    () => gate()?.health().intake.stranded ?? 0,
  );
  return {
    ops,
    outcome(o) {
      if (o.status === 'accepted') {
        submissions.inc({ outcome: 'accepted', code: 'ACCEPTED' });
        deliveries.inc(o.deliveries);
      } else if (o.status === 'resubmitted') submissions.inc({ outcome: 'resubmitted', code: 'RESUBMITTED' });
      else submissions.inc({ outcome: 'rejected', code: o.code });
    },
  };
}
