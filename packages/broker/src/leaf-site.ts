import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CredentialStore, checkIdentity, privateDir, writePrivate } from '@liaison/identity';
import type { Agency } from '@liaison/registry';
import {
  accountOf,
  ackSubjects,
  DEFAULT_PREFIX,
  FORWARDER_DURABLE,
  jsApi,
  leafUserOf,
  outboxSubject,
  SITE_STREAMS,
  siteDomain,
} from '@liaison/topology';
import { agencyPermissions } from './agency-account.js';
import { accountsBlock } from './server-config.js';

/**
 * The passwords of the agencies' leaf nodes, one per site: `<home>/nats/<agency>.leaf`
 * (0600 in a 0700 directory), 256 random bits in hex, made on first use. The operator
 * hands each site its own; the hub's configuration holds them (operator-only, like the
 * rest of it).
 */
export class LeafPasswords {
  constructor(readonly home: string) {}

  file(agency: string): string {
    return join(this.home, 'nats', `${checkIdentity(agency)}.leaf`);
  }

  /** The password of an agency's leaf, made if `create` and missing. */
  get(agency: string, create = false): string | undefined {
    const file = this.file(agency);
    if (existsSync(file)) return readFileSync(file, 'utf8').trim();
    if (!create) return undefined;
    privateDir(this.home);
    privateDir(join(this.home, 'nats'));
    const password = randomBytes(32).toString('hex');
    writePrivate(file, `${password}\n`);
    return password;
  }
}

/**
 * What the agency's own identity may do on its leaf node: its hub subjects (exactly
 * those of its account on the hub, which the leaf carries), the site's outbox and the
 * leaf's JetStream API for that one stream and its forwarder's durable. No other stream,
 * no other consumer.
 */
export function sitePermissions(a: Agency, prefix = DEFAULT_PREFIX) {
  const hub = agencyPermissions(a, prefix);
  const outbox = SITE_STREAMS.outbox;
  const d = FORWARDER_DURABLE;
  return {
    publish: {
      allow: [
        ...hub.publish.allow,
        outboxSubject(a.id, prefix),
        jsApi.info,
        jsApi.stream('INFO', outbox),
        jsApi.stream('CREATE', outbox),
        jsApi.consumerCreate(outbox, d),
        jsApi.consumerCreate(outbox, d, '>'),
        jsApi.durableCreate(outbox, d),
        jsApi.consumer('INFO', outbox, d),
        jsApi.consumer('MSG.NEXT', outbox, d),
        ackSubjects(outbox, d),
      ],
    },
    subscribe: hub.subscribe,
  };
}

export interface SiteConfigOptions {
  agency: Agency;
  creds: CredentialStore;
  /** The hub nodes' leaf-node listeners, `host:port`. */
  hubLeafNodes: readonly string[];
  /** The leaf's password (`LeafPasswords`). */
  password: string;
  prefix?: string;
}

/** One agency site's leaf node configuration: the template's values and its local accounts. */
export interface SiteConfig {
  /** `DOMAIN`, `ACCOUNT`, `REMOTE_URLS` of `deploy/nats/leaf.conf` (the deployment adds `HOST`, `TLS_DIR`). */
  values: Record<string, string>;
  /** The local `accounts {}` block: the site's `accounts.conf`, beside `leaf.conf`. */
  accounts: string;
}

/**
 * `deploy/nats/leaf.conf`'s values for one agency site, from the registry and the
 * topology: the JetStream domain, the local account (JetStream, the agency's nkey user
 * with `sitePermissions`), and the remote to the hub that logs in as the agency's leaf
 * user and binds to the agency's account there.
 */
export function siteConfig(o: SiteConfigOptions): SiteConfig {
  const account = accountOf(o.agency.id);
  const user = encodeURIComponent(leafUserOf(o.agency.id));
  const password = encodeURIComponent(o.password);
  const urls = o.hubLeafNodes.map((h) => JSON.stringify(`nats-leaf://${user}:${password}@${h}`));
  const accounts = accountsBlock([
    {
      name: account,
      jetstream: true,
      users: [
        {
          id: o.agency.id,
          nkey: o.creds.publicKey(o.agency.id),
          permissions: sitePermissions(o.agency, o.prefix),
        },
      ],
      crossings: [],
    },
  ]);
  return {
    values: {
      DOMAIN: siteDomain(o.agency.id),
      ACCOUNT: account,
      REMOTE_URLS: urls.join(', '),
    },
    accounts,
  };
}
