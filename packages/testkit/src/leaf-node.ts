import { allocatePorts, NatsServer, startFresh } from '@liaison/launcher';
import { installReaper } from './reaper.js';

export interface StartLeafNodeOptions {
  /** `deploy/nats/leaf.conf`'s site values (`siteConfig(…).values` from @liaison/broker: DOMAIN, ACCOUNT, REMOTE_URLS). */
  values: Record<string, string | number>;
  /** The site's local accounts (`siteConfig(…).accounts`): its `accounts.conf`. */
  extraConfig: string;
  /** ca.pem, server.pem (its clients: TLS only) and node.pem (the link to the hub), e.g. `makeDevCa`'s. */
  tlsDir: string;
  name?: string;
}

/**
 * Starts an agency site's leaf node — the production `deploy/nats/leaf.conf`, as it is, on
 * free loopback ports with its own store — and waits until its JetStream (its own domain)
 * is ready, whether or not its link to the hub is up. Its clients connect over TLS
 * (`tls://127.0.0.1:<port>`). Stop and start it with `stop()`/`restart()` (same ports,
 * same store).
 */
export async function startLeafNode(o: StartLeafNodeOptions): Promise<NatsServer> {
  installReaper();
  return startFresh(async () =>
    NatsServer.create({
      name: `${o.name ?? 'leaf'}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
      template: 'leaf',
      ports: await allocatePorts(false),
      values: { HOST: '127.0.0.1', TLS_DIR: o.tlsDir, ...o.values },
      extraConfig: o.extraConfig,
      extraFile: 'accounts.conf',
    }),
  );
}
