import {
  LauncherError,
  startServer as launch,
  type NatsServer,
  type StartServerOptions,
} from '@liaison/launcher';
import { type ClusterLayout, NatsCluster } from './cluster.js';
import { installReaper } from './reaper.js';

const START_ATTEMPTS = 3;

/**
 * Starts a single JetStream-enabled nats-server on free loopback ports with a
 * temporary store (the launcher's), and reaps it even when the test process is
 * interrupted.
 *
 * @example
 * await using server = await startServer();
 * const nc = await connect({ servers: server.url });
 */
export function startServer(options: StartServerOptions = {}): Promise<NatsServer> {
  installReaper();
  return launch(options);
}

export interface StartClusterOptions extends ClusterLayout {
  size?: number;
  extraConfig?: string;
}

/** Starts an N-node (default 3) JetStream cluster and waits for a meta leader. */
export async function startCluster(options: StartClusterOptions = {}): Promise<NatsCluster> {
  installReaper();
  let lastError: unknown;
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    const { size, extraConfig, ...layout } = options;
    const cluster = await NatsCluster.create(size ?? 3, extraConfig, layout);
    try {
      await cluster.startAll();
      return cluster;
    } catch (err) {
      lastError = err;
      await cluster.dispose();
      if (err instanceof LauncherError && err.code === 'NATS_SERVER_NOT_FOUND') throw err;
    }
  }
  throw lastError;
}
