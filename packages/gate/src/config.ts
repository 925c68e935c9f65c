import { ServiceConfigSchema } from '@liaison/core';
import { CLASSIFICATIONS, type Classification, DEFAULT_ACCREDITATION } from '@liaison/notice';
import { OpsEnv } from '@liaison/ops';
import { DEFAULT_TOPOLOGY, type TopologySettings } from '@liaison/topology';
import { z } from 'zod';
import { DEFAULT_EVIDENCE, type EvidenceSettings } from './evidence-guard.js';
import type { RateLimit } from './rate-limiter.js';

/** A site's outbox may hold a sealed notice this long (a day's outage of its link to the hub). */
export const DEFAULT_SITE_MAX_AGE_MS = 24 * 3_600_000;

/** Gate settings; `services/gate` reads them from the environment once. */
export const GateConfigSchema = ServiceConfigSchema.extend({
  ...OpsEnv,
  LIAISON_GATE_ID: z.string().default('liaison-gate'),
  /** Largest accepted envelope. */
  LIAISON_MAX_ENVELOPE_BYTES: z.coerce.number().int().positive().default(DEFAULT_TOPOLOGY.maxEnvelopeBytes),
  /**
   * How old a notice may be when it reaches the gate. At most a day: the retention
   * service deletes a notice's ledger record (the replay guard) no earlier than the end
   * of the delivery window (a day at least), and a replay after that must be stale.
   */
  LIAISON_MAX_AGE_MS: z.coerce
    .number()
    .int()
    .positive()
    .max(86_400_000)
    .default(5 * 60_000),
  /**
   * Agencies with a site on a leaf node (comma-separated ids): an envelope of theirs that
   * comes through the site's outbox may be as old as LIAISON_SITE_MAX_AGE_MS (docs/decisions/0018).
   */
  LIAISON_SITE_AGENCIES: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^[a-z0-9-]+$/))),
  /** How old a notice sealed at a site (through its outbox) may be when it reaches the gate: the longest outage a site rides out. */
  LIAISON_SITE_MAX_AGE_MS: z.coerce.number().int().positive().default(DEFAULT_SITE_MAX_AGE_MS),
  /** How far in the future a notice's creation time may be (clock skew). */
  LIAISON_MAX_SKEW_MS: z.coerce.number().int().positive().default(30_000),
  /** How long deliveries stay in the feed stream. */
  LIAISON_FEED_MAX_AGE_DAYS: z.coerce.number().int().positive().default(DEFAULT_TOPOLOGY.feedMaxAgeDays),
  LIAISON_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
  /** How long a submission may be in flight before JetStream redelivers it (after a crash). */
  LIAISON_ACK_WAIT_MS: z.coerce.number().int().positive().default(30_000),
  /** How often INTAKE is checked for messages the gate's durable no longer offers (0: never; docs/exchange.md). */
  LIAISON_INTAKE_SWEEP_MS: z.coerce.number().int().nonnegative().default(60_000),
  /** Intake messages per second per agency, on average (0: no limit) — then RATE_LIMITED. */
  LIAISON_INTAKE_RATE: z.coerce.number().nonnegative().default(20),
  /** Intake messages an agency may send at once after a quiet spell. */
  LIAISON_INTAKE_BURST: z.coerce.number().int().positive().default(100),
  /** Plan and directory requests per second per agency, together (0: no limit). */
  LIAISON_REQUEST_RATE: z.coerce.number().nonnegative().default(10),
  LIAISON_REQUEST_BURST: z.coerce.number().int().positive().default(50),
  /** Rate-limited submissions are audited as one summary entry per agency per window. */
  LIAISON_RATE_LIMIT_WINDOW_MS: z.coerce.number().int().positive().default(60_000),
  /** The highest classification the exchange is accredited for: above it, CLASSIFICATION_NOT_ACCREDITED. */
  LIAISON_ACCREDITATION: z.enum(CLASSIFICATIONS).default(DEFAULT_ACCREDITATION),
  /** Fail closed: the intake is held once the writer's oldest untaken batch is older than this (0: no bound). */
  LIAISON_AUDIT_MAX_LAG_MS: z.coerce.number().int().nonnegative().default(DEFAULT_EVIDENCE.maxLagMs),
  /** ...or once more than this many batches wait for it in AUDIT_IN (0: no bound). */
  LIAISON_AUDIT_MAX_LAG: z.coerce.number().int().nonnegative().default(DEFAULT_EVIDENCE.maxLagMessages),
  /** A held submission waits this long, then is answered AUDIT_UNAVAILABLE. */
  LIAISON_AUDIT_HOLD_MS: z.coerce.number().int().positive().default(DEFAULT_EVIDENCE.holdMs),
  /** How often the gate looks at AUDIT_IN. */
  LIAISON_AUDIT_CHECK_MS: z.coerce.number().int().positive().default(DEFAULT_EVIDENCE.checkMs),
});

export type GateConfig = z.infer<typeof GateConfigSchema>;

/** The gate's settings: the topology's (prefix, replicas, retention, envelope size) and its own. */
export interface GateSettings extends TopologySettings {
  gateId: string;
  maxAgeMs: number;
  /** Agencies whose envelopes through their site's outbox get `siteMaxAgeMs` instead of `maxAgeMs`. */
  siteAgencies: readonly string[];
  /** The freshness window of a site's outbox (docs/decisions/0018); below the delivery ledger's TTL. */
  siteMaxAgeMs: number;
  maxSkewMs: number;
  ackWaitMs: number;
  /** How often (and after how long) INTAKE is checked for stranded messages (`IntakeSweeper`); 0 off. */
  intakeSweepMs: number;
  /** Per agency and gate instance, at the intake. */
  intakeLimit: RateLimit;
  /** Per agency and gate instance, at the plan and directory endpoints together. */
  requestLimit: RateLimit;
  /** How long the audit log's summary of an agency's rate-limited submissions runs. */
  rateLimitWindowMs: number;
  /** The highest classification the exchange is accredited for. */
  accreditation: Classification;
  /** When the intake is held because evidence cannot be written (fail closed). */
  evidence: EvidenceSettings;
}

export const DEFAULT_SETTINGS: GateSettings = {
  ...DEFAULT_TOPOLOGY,
  gateId: 'liaison-gate',
  maxAgeMs: 5 * 60_000,
  siteAgencies: [],
  siteMaxAgeMs: DEFAULT_SITE_MAX_AGE_MS,
  maxSkewMs: 30_000,
  ackWaitMs: 30_000,
  intakeSweepMs: 60_000,
  intakeLimit: { ratePerSec: 20, burst: 100 },
  requestLimit: { ratePerSec: 10, burst: 50 },
  rateLimitWindowMs: 60_000,
  accreditation: DEFAULT_ACCREDITATION,
  evidence: DEFAULT_EVIDENCE,
};

export function settingsFrom(c: GateConfig): GateSettings {
  return {
    gateId: c.LIAISON_GATE_ID,
    prefix: c.LIAISON_PREFIX,
    maxEnvelopeBytes: c.LIAISON_MAX_ENVELOPE_BYTES,
    maxAgeMs: c.LIAISON_MAX_AGE_MS,
    siteAgencies: c.LIAISON_SITE_AGENCIES,
    siteMaxAgeMs: c.LIAISON_SITE_MAX_AGE_MS,
    maxSkewMs: c.LIAISON_MAX_SKEW_MS,
    feedMaxAgeDays: c.LIAISON_FEED_MAX_AGE_DAYS,
    replicas: c.LIAISON_REPLICAS,
    ackWaitMs: c.LIAISON_ACK_WAIT_MS,
    intakeSweepMs: c.LIAISON_INTAKE_SWEEP_MS,
    intakeLimit: { ratePerSec: c.LIAISON_INTAKE_RATE, burst: c.LIAISON_INTAKE_BURST },
    requestLimit: { ratePerSec: c.LIAISON_REQUEST_RATE, burst: c.LIAISON_REQUEST_BURST },
    rateLimitWindowMs: c.LIAISON_RATE_LIMIT_WINDOW_MS,
    accreditation: c.LIAISON_ACCREDITATION,
    evidence: {
      maxLagMs: c.LIAISON_AUDIT_MAX_LAG_MS,
      maxLagMessages: c.LIAISON_AUDIT_MAX_LAG,
      holdMs: c.LIAISON_AUDIT_HOLD_MS,
      checkMs: c.LIAISON_AUDIT_CHECK_MS,
    },
  };
}
