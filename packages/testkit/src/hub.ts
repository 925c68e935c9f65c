import { randomBytes } from 'node:crypto';
import { allocatePorts, freePort, NatsServer, startFresh } from '@liaison/launcher';
import type { NatsCluster } from './cluster.js';
import { installReaper } from './reaper.js';
import { startCluster } from './start.js';

export interface StartHubOptions {
  /** ca.pem, server.pem (clients) and node.pem (routes, leaf links), e.g. `makeDevCa`'s. */
  tlsDir: string;
  /**
   * The accounts (its `accounts.conf`): until the directory exists, the operator alone and
   * the refusal of credential-less connections (`operatorOnlyBlock(…, { leafGuard: true })`).
   */
  accounts: string;
  /** Each node's leaf-node port (free ports when absent). */
  leafPorts?: readonly number[];
  /** What each node tells its leaf connections for itself (default: its own leaf port). */
  leafAdvertise?: (node: number) => string;
}

async function hubValues(o: StartHubOptions, node: number, leafPort: number) {
  return {
    HOST: '127.0.0.1',
    TLS_DIR: o.tlsDir,
    LEAF_PORT: leafPort,
    LEAF_ADVERTISE: o.leafAdvertise?.(node) ?? `127.0.0.1:${leafPort}`,
  };
}

/**
 * One production broker node (`deploy/nats/node.conf` as it is: TLS clients, a TLS leaf
 * port verifying client certificates, the accounts from `accounts.conf`) on loopback —
 * the hub a single agency site's leaf node connects to. Clients use `tls://`.
 */
export async function startHubNode(o: StartHubOptions): Promise<NatsServer> {
  installReaper();
  return startFresh(async () =>
    NatsServer.create({
      name: `hub-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
      template: 'node',
      ports: await allocatePorts(false),
      values: await hubValues(o, 0, o.leafPorts?.[0] ?? (await freePort())),
      extraConfig: o.accounts,
      extraFile: 'accounts.conf',
    }),
  );
}

/**
 * The production 3-node hub (`deploy/nats/hub.conf`, which includes `node.conf`: TLS
 * routes with a generated route password, TLS clients and leaf ports) on loopback.
 * `restartAllWith(accounts)` rewrites every node's `accounts.conf`.
 */
export async function startHub(o: StartHubOptions): Promise<NatsCluster> {
  const leafPorts = o.leafPorts ?? [await freePort(), await freePort(), await freePort()];
  const values = await Promise.all([0, 1, 2].map((i) => hubValues(o, i, leafPorts[i]!)));
  const password = randomBytes(24).toString('hex');
  return startCluster({
    size: 3,
    template: 'hub',
    includes: ['node'],
    extraFile: 'accounts.conf',
    extraConfig: o.accounts,
    routeAuth: { user: 'liaison-route', password },
    values: (i) => ({ ...values[i]!, CLUSTER_HOST: '127.0.0.1', ROUTE_PASSWORD: password }),
  });
}
