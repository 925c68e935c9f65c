import type { Logger } from '@liaison/core';
import type { CredentialStore } from '@liaison/identity';
import type { PolicyStore } from '@liaison/registry';
import { Subjects } from '@liaison/topology';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { authorizationBlock, brokerUsers } from './server-config.js';

export interface BrokerSyncOptions {
  nc: NatsConnection;
  store: PolicyStore;
  creds: CredentialStore;
  operator: string;
  /** Installs a new authorization block (write the file and SIGHUP the server, or testkit reload). */
  apply: (block: string) => Promise<void> | void;
  prefix?: string;
  logger?: Logger;
}

/**
 * Keeps the broker's users and permissions in step with the registry: on every
 * policy event it refolds the registry and, if the revision moved, regenerates
 * the authorization block and applies it (a hot reload). An agency whose keys are
 * revoked loses its NATS user, and nats-server closes its open connections.
 */
export class BrokerSync {
  private sub: Subscription | undefined;
  /** The registry revision whose configuration the broker runs. */
  revision = -1;
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
    const users = brokerUsers(snapshot, this.o.creds, {
      operator: this.o.operator,
      ...(this.o.prefix ? { prefix: this.o.prefix } : {}),
    });
    await this.o.apply(authorizationBlock(users));
    this.revision = snapshot.revision;
    this.o.logger?.info({ revision: snapshot.revision, users: users.length }, 'broker configuration applied');
  }

  /** Waits for any sync in progress. */
  settled(): Promise<void> {
    return this.running;
  }

  stop(): void {
    this.sub?.unsubscribe();
  }
}
