import {
  LauncherError,
  startServer as launch,
  type NatsServer,
  type StartServerOptions,
  type Template,
} from '@liaison/launcher';
import { NatsCluster } from './cluster.js';
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

export interface StartClusterOptions {
  size?: number;
  extraConfig?: string;
  /** `hub` for a cluster agency sites' leaf nodes connect to (its `values`: LEAF_PORT, LEAF_TLS). */
  template?: Template;
  values?: (node: number) => Record<string, string | number>;
}

/** Starts an N-node (default 3) JetStream cluster and waits for a meta leader. */
export async function startCluster(options: StartClusterOptions = {}): Promise<NatsCluster> {
  installReaper();
  let lastError: unknown;
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    const cluster = await NatsCluster.create(options.size ?? 3, options.extraConfig, {
      ...(options.template ? { template: options.template } : {}),
      ...(options.values ? { values: options.values } : {}),
    });
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
