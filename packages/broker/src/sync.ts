import type { Logger } from '@liaison/core';
import type { CredentialStore } from '@liaison/identity';
import type { PolicyStore } from '@liaison/registry';
import { Subjects } from '@liaison/topology';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { provisionConsumers } from './provision.js';
import { accountsBlock, accountsShape, brokerAccounts } from './server-config.js';

export interface BrokerSyncOptions {
  nc: NatsConnection;
  store: PolicyStore;
  creds: CredentialStore;
  operator: string;
  /**
   * Installs a new `accounts {}` block: a reload (write the file and SIGHUP the server)
   * when only users and permissions changed, a restart when `accountsChanged` (an agency
   * added: nats-server 2.9.10 does not wire an import a reload adds). Without it (an
   * open development broker) only the agencies' consumers are provisioned.
   */
  apply?: (block: string, change: { accountsChanged: boolean }) => Promise<void> | void;
  prefix?: string;
  logger?: Logger;
  /** Agency sites on leaf nodes: each site's leaf password (`LeafPasswords`), docs/decisions/0013. */
  leafPassword?: (agency: string) => string | undefined;
}

/**
 * Keeps the broker in step with the registry: on every policy event it refolds the
 * registry and, if the revision moved, provisions the new agencies' feed consumers,
 * regenerates the accounts (users, permissions, exports and imports) and applies
 * them (a hot reload). An agency whose keys are revoked loses its NATS user, and
 * nats-server closes its open connections.
 */
export class BrokerSync {
  private sub: Subscription | undefined;
  /** The registry revision whose configuration the broker runs. */
  revision = -1;
  private readonly provisioned = new Set<string>();
  /** The accounts' shape the server runs (a change needs a restart on 2.9.10). */
  private shape: string | undefined;
  private running: Promise<void> = Promise.resolve();

  private constructor(private readonly o: BrokerSyncOptions) {}

  static async start(o: BrokerSyncOptions): Promise<BrokerSync> {
    const s = new BrokerSync(o);
    await s.sync();
    s.sub = o.nc.subscribe(new Subjects(o.prefix).policyAll, {
      callback: () => {
        s.running = s.running
          .then(() => s.sync())
          .catch((err) => o.logger?.warn({ err: String(err) }, 'broker sync failed'));
      },
    });
    return s;
  }

  /** Regenerates and applies the configuration if the registry moved on. */
  async sync(): Promise<void> {
    await this.o.store.refresh();
    const snapshot = this.o.store.registry.current;
    if (snapshot.revision === this.revision) return;
    // The consumers first: an agency's account may import them as soon as it exists.
    await provisionConsumers(this.o.nc, snapshot, {
      ...(this.o.prefix ? { prefix: this.o.prefix } : {}),
      done: this.provisioned,
    });
    const accounts = brokerAccounts(snapshot, this.o.creds, {
      operator: this.o.operator,
      ...(this.o.prefix ? { prefix: this.o.prefix } : {}),
      ...(this.o.leafPassword ? { leafPassword: this.o.leafPassword } : {}),
    });
    const shape = accountsShape(accounts);
    await this.o.apply?.(accountsBlock(accounts), { accountsChanged: shape !== this.shape });
    this.shape = shape;
    this.revision = snapshot.revision;
    this.o.logger?.info(
      { revision: snapshot.revision, accounts: accounts.length },
      'broker configuration applied',
    );
  }

  /** Waits for any sync in progress. */
  settled(): Promise<void> {
    return this.running;
  }

  stop(): void {
    this.sub?.unsubscribe();
  }
}
