import { z } from 'zod';

/**
 * The one address the metrics and probe server binds. Not a setting: the endpoints
 * have no authentication (like nats-server's monitoring port), so they are for the
 * operator on the machine — a Prometheus agent on the host, or a local proxy.
 */
export const OPS_HOST = '127.0.0.1';

/**
 * The operations port of a service, to spread into its zod config:
 * `ServiceConfigSchema.extend({ ...OpsEnv, ... })`. 0 (the default) is off.
 */
export const OpsEnv = {
  /** Prometheus `/metrics`, `/healthz` and `/readyz` on 127.0.0.1:<port>; 0 = off. */
  LIAISON_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(0),
};

/** What a service's `run…` takes: the port, or 0/absent for none. */
export interface OpsSettings {
  metricsPort?: number;
}

/** `OpsSettings` from a config parsed with `OpsEnv`. */
export function opsSettingsFrom(c: { LIAISON_METRICS_PORT: number }): OpsSettings {
  return c.LIAISON_METRICS_PORT > 0 ? { metricsPort: c.LIAISON_METRICS_PORT } : {};
}
