import { ServiceConfigSchema } from '@liaison/core';
import { DEFAULT_TOPOLOGY, type TopologySettings } from '@liaison/topology';
import { z } from 'zod';

/** Gate settings; `services/gate` reads them from the environment once. */
export const GateConfigSchema = ServiceConfigSchema.extend({
  LIAISON_GATE_ID: z.string().default('liaison-gate'),
  /** Largest accepted envelope. */
  LIAISON_MAX_ENVELOPE_BYTES: z.coerce.number().int().positive().default(DEFAULT_TOPOLOGY.maxEnvelopeBytes),
  /** How old a notice may be when it reaches the gate. */
  LIAISON_MAX_AGE_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(5 * 60_000),
  /** How far in the future a notice's creation time may be (clock skew). */
  LIAISON_MAX_SKEW_MS: z.coerce.number().int().positive().default(30_000),
  /** How long deliveries stay in the feed stream. */
  LIAISON_FEED_MAX_AGE_DAYS: z.coerce.number().int().positive().default(DEFAULT_TOPOLOGY.feedMaxAgeDays),
  LIAISON_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
  /** How long a submission may be in flight before JetStream redelivers it (after a crash). */
  LIAISON_ACK_WAIT_MS: z.coerce.number().int().positive().default(30_000),
});

export type GateConfig = z.infer<typeof GateConfigSchema>;

/** The gate's settings: the topology's (prefix, replicas, retention, envelope size) and its own. */
export interface GateSettings extends TopologySettings {
  gateId: string;
  maxAgeMs: number;
  maxSkewMs: number;
  ackWaitMs: number;
}

export const DEFAULT_SETTINGS: GateSettings = {
  ...DEFAULT_TOPOLOGY,
  gateId: 'liaison-gate',
  maxAgeMs: 5 * 60_000,
  maxSkewMs: 30_000,
  ackWaitMs: 30_000,
};

export function settingsFrom(c: GateConfig): GateSettings {
  return {
    gateId: c.LIAISON_GATE_ID,
    prefix: c.LIAISON_PREFIX,
    maxEnvelopeBytes: c.LIAISON_MAX_ENVELOPE_BYTES,
    maxAgeMs: c.LIAISON_MAX_AGE_MS,
    maxSkewMs: c.LIAISON_MAX_SKEW_MS,
    feedMaxAgeDays: c.LIAISON_FEED_MAX_AGE_DAYS,
    replicas: c.LIAISON_REPLICAS,
    ackWaitMs: c.LIAISON_ACK_WAIT_MS,
  };
}
