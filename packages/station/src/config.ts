import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ServiceConfigSchema } from '@liaison/core';
import { type ConnectionConfigInput, serviceConnection } from '@liaison/identity';
import { OpsEnv, type OpsSettings, opsSettingsFrom } from '@liaison/ops';
import { z } from 'zod';
import type { LockoutPolicy } from './officers.js';
import type { ScryptCost } from './passwords.js';
import type { SessionPolicy } from './sessions.js';
import { DEFAULT_STATION_SITE, type StationSiteSettings } from './site.js';

/** The station's environment: the service basics plus who it is and where it keeps things. */
export const StationConfigSchema = ServiceConfigSchema.extend({
  ...OpsEnv,
  /** The agency this station speaks for (its keys are `<LIAISON_HOME>/keys/<agency>.json`). */
  LIAISON_STATION_AGENCY: z.string().min(1),
  /** The station's database (default `<LIAISON_HOME>/station/<agency>.db`). */
  LIAISON_STATION_DB: z.string().min(1).optional(),
  /** The console's port on 127.0.0.1 (0 = any free port). */
  LIAISON_STATION_PORT: z.coerce.number().int().min(0).max(65535).default(8440),
  /** The gate's public keys (default `<LIAISON_HOME>/gate.jwks.json`). */
  LIAISON_STATION_GATE_JWKS: z.string().min(1).optional(),
  /** The first administrator's username, created when the station has no account. */
  LIAISON_STATION_ADMIN: z.string().min(1).optional(),
  /** A file (0600) holding that administrator's initial password. */
  LIAISON_STATION_ADMIN_PASSWORD_FILE: z.string().min(1).optional(),
  /** At start, store what the exchange still holds for the agency since this time (ISO 8601). */
  LIAISON_STATION_REPLAY_FROM: z.iso.datetime({ offset: true }).optional(),
  /** How often the access log's checkpoint goes to the exchange's audit log while the log grows (seconds). */
  LIAISON_STATION_CHECKPOINT_SECONDS: z.coerce.number().int().min(5).max(86_400).default(300),
  /**
   * The station runs at an agency site beside its leaf node (LIAISON_NATS_URL is the leaf):
   * it publishes through the site's outbox and runs its forwarder (docs/station.md).
   */
  LIAISON_STATION_SITE: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  /** At a site: how long a plan of the gate's may seal while the hub is unreachable (match the gate's LIAISON_SITE_MAX_AGE_MS). */
  LIAISON_STATION_PLAN_CACHE_MS: z.coerce.number().int().positive().default(DEFAULT_STATION_SITE.planCacheMs),
});
export type StationEnv = z.output<typeof StationConfigSchema>;

/** What `runStation` needs. */
export interface StationConfig {
  agency: string;
  /** The key home: the agency's keys and, by default, the gate's JWKS. */
  home: string;
  connection: ConnectionConfigInput;
  dbFile?: string;
  /** 0 = a free port. The console binds 127.0.0.1 only; put a TLS proxy in front for other hosts. */
  port?: number;
  gateJwksFile?: string;
  bootstrapAdmin?: { username: string; displayName: string; password: string };
  /** Follow the feed (default true; off for a console over a stored inbox only). */
  follow?: boolean;
  /**
   * At start, replay the feed from this time (ms) into the inbox through the gate
   * (a new station, a restored database); deliveries already stored stay as they are.
   */
  replaySince?: number;
  passwordCost?: ScryptCost;
  lockout?: LockoutPolicy;
  sessions?: SessionPolicy;
  secureCookies?: boolean;
  /** Metrics and probes on 127.0.0.1:`metricsPort` (absent: none; 0: any free port). */
  ops?: OpsSettings;
  /** How often the lifecycle schedule runs (PNR masking, erasure at the end of retention; default one hour). */
  retentionIntervalMs?: number;
  /** How often the access log's checkpoint is handed to the exchange's audit log when it grew (default 5 min). */
  checkpointIntervalMs?: number;
  /** The lifecycle's clock (tests). */
  now?: () => number;
  /** At an agency site: publish through the site's outbox and run its forwarder (`./site.ts`). */
  site?: Partial<StationSiteSettings>;
}

export function stationConfigFromEnv(c: StationEnv): StationConfig {
  const admin = c.LIAISON_STATION_ADMIN;
  const passwordFile = c.LIAISON_STATION_ADMIN_PASSWORD_FILE;
  return {
    agency: c.LIAISON_STATION_AGENCY,
    home: c.LIAISON_HOME,
    connection: serviceConnection(c, c.LIAISON_STATION_AGENCY),
    dbFile: c.LIAISON_STATION_DB ?? join(c.LIAISON_HOME, 'station', `${c.LIAISON_STATION_AGENCY}.db`),
    port: c.LIAISON_STATION_PORT,
    ops: opsSettingsFrom(c),
    checkpointIntervalMs: c.LIAISON_STATION_CHECKPOINT_SECONDS * 1000,
    ...(c.LIAISON_STATION_GATE_JWKS ? { gateJwksFile: c.LIAISON_STATION_GATE_JWKS } : {}),
    ...(c.LIAISON_STATION_REPLAY_FROM ? { replaySince: Date.parse(c.LIAISON_STATION_REPLAY_FROM) } : {}),
    ...(c.LIAISON_STATION_SITE ? { site: { planCacheMs: c.LIAISON_STATION_PLAN_CACHE_MS } } : {}),
    ...(admin && passwordFile
      ? {
          bootstrapAdmin: {
            username: admin,
            displayName: admin,
            password: readFileSync(passwordFile, 'utf8').trim(),
          },
        }
      : {}),
  };
}
