import { allocatePorts, LauncherError, NatsServer } from '@liaison/launcher';
import { installReaper } from './reaper.js';

export interface StartLeafNodeOptions {
  /** `deploy/nats/leaf.conf`'s values (`siteConfig(…).values` from @liaison/broker). */
  values: Record<string, string | number>;
  /** The local accounts block (`siteConfig(…).accounts`), and any other extra blocks. */
  extraConfig: string;
  name?: string;
}

/**
 * Starts an agency site's leaf node (`deploy/nats/leaf.conf`) on free loopback ports with
 * its own store, and waits until its JetStream (its own domain) is ready — whether or
 * not its link to the hub is up. Stop and start it with `stop()`/`restart()` (same
 * ports, same store).
 */
export async function startLeafNode(o: StartLeafNodeOptions): Promise<NatsServer> {
  installReaper();
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const server = NatsServer.create({
      name: `${o.name ?? 'leaf'}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
      template: 'site-leaf',
      ports: await allocatePorts(false),
      values: o.values,
      extraConfig: o.extraConfig,
    });
    try {
      server.spawn();
      await server.waitReady();
      return server;
    } catch (err) {
      lastError = err;
      await server.dispose();
      if (err instanceof LauncherError && err.code === 'NATS_SERVER_NOT_FOUND') throw err;
    }
  }
  throw lastError;
}
