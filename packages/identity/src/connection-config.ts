import { existsSync } from 'node:fs';
import type { ServiceConfig } from '@liaison/core';
import { inboxPrefix } from '@liaison/topology';
import { z } from 'zod';
import { CredentialStore } from './credential-store.js';
import { checkIdentity } from './identity-name.js';

/**
 * How one process connects to the exchange: the one shape every service, the
 * CLI, the SDK and the sandbox hand to `connect`. Secrets are never inline: the
 * nkey seed is a file (0600) in the key home or named by the operator.
 */
export const ConnectionConfigSchema = z
  .object({
    /** `nats://host:port` or `tls://host:port`; several for a cluster. */
    servers: z.array(z.string().regex(/^(nats|tls):\/\/[^\s/]+$/, 'a nats:// or tls:// host:port')).min(1),
    /** The identity, also the client name the server shows operators. */
    name: z.string().min(1),
    /** The identity's nkey seed file (`<home>/nats/<id>.nk`). */
    nkeySeedFile: z.string().min(1).optional(),
    /** Development only: connect without credentials to an open broker. */
    anonymous: z.boolean().default(false),
    /** The CA that signed the server's certificate (TLS). */
    caFile: z.string().min(1).optional(),
    /** Where replies to this identity's requests arrive; its permissions allow only its own. */
    inboxPrefix: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/)
      .optional(),
    /** Services reconnect for ever; tools give up after the first failure. */
    reconnect: z.boolean().default(false),
    timeoutMs: z.number().int().positive().default(5000),
  })
  .strict();

export type ConnectionConfig = z.output<typeof ConnectionConfigSchema>;
export type ConnectionConfigInput = z.input<typeof ConnectionConfigSchema>;

export interface IdentityConnection {
  /** The key home (holds `nats/<id>.nk`). */
  home: string;
  identity: string;
  servers: string | readonly string[];
  caFile?: string | undefined;
  /** A seed file elsewhere than the key home. */
  nkeySeedFile?: string | undefined;
  /** Allow an anonymous connection when the home has no seed for the identity (open broker). */
  anonymous?: boolean;
  reconnect?: boolean;
}

/** The connection config of one identity from its key home: its own seed file and inbox. */
export function connectionFor(o: IdentityConnection): ConnectionConfigInput {
  const id = checkIdentity(o.identity);
  const seed = o.nkeySeedFile ?? new CredentialStore(o.home).file(id);
  return {
    servers: typeof o.servers === 'string' ? o.servers.split(',') : [...o.servers],
    name: id,
    ...(existsSync(seed) || o.nkeySeedFile ? { nkeySeedFile: seed } : {}),
    anonymous: o.anonymous ?? false,
    ...(o.caFile ? { caFile: o.caFile } : {}),
    inboxPrefix: inboxPrefix(id),
    reconnect: o.reconnect ?? false,
  };
}

/** A service's connection from its environment config (`ServiceConfigSchema`): reconnects for ever. */
export function serviceConnection(c: ServiceConfig, identity: string): ConnectionConfigInput {
  return connectionFor({
    home: c.LIAISON_HOME,
    identity,
    servers: c.LIAISON_NATS_URL,
    caFile: c.LIAISON_NATS_CA,
    nkeySeedFile: c.LIAISON_NATS_NKEY_FILE,
    anonymous: c.LIAISON_NATS_OPEN,
    reconnect: true,
  });
}
