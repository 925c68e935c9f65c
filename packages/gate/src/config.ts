import { ServiceConfigSchema } from '@liaison/core';
import { z } from 'zod';

/** Gate settings; `services/gate` reads them from the environment once. */
export const GateConfigSchema = ServiceConfigSchema.extend({
  LIAISON_GATE_ID: z.string().default('liaison-gate'),
  /** Largest accepted envelope. */
  LIAISON_MAX_ENVELOPE_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(256 * 1024),
  /** How old a notice may be when it reaches the gate. */
  LIAISON_MAX_AGE_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(5 * 60_000),
  /** How far in the future a notice's creation time may be (clock skew). */
  LIAISON_MAX_SKEW_MS: z.coerce.number().int().positive().default(30_000),
  /** How long deliveries stay in the feed stream. */
  LIAISON_FEED_MAX_AGE_DAYS: z.coerce.number().int().positive().default(30),
  LIAISON_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
  /** How long a submission may be in flight before JetStream redelivers it (after a crash). */
  LIAISON_ACK_WAIT_MS: z.coerce.number().int().positive().default(30_000),
});

export type GateConfig = z.infer<typeof GateConfigSchema>;

export interface GateSettings {
  gateId: string;
  prefix: string;
  maxEnvelopeBytes: number;
  maxAgeMs: number;
  maxSkewMs: number;
  feedMaxAgeDays: number;
  replicas: number;
  ackWaitMs: number;
}

export const DEFAULT_SETTINGS: GateSettings = {
  gateId: 'liaison-gate',
  prefix: 'liaison',
  maxEnvelopeBytes: 256 * 1024,
  maxAgeMs: 5 * 60_000,
  maxSkewMs: 30_000,
  feedMaxAgeDays: 30,
  replicas: 1,
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
