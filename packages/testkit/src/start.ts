import { NatsCluster } from './cluster.js';
import { TestkitError } from './errors.js';
import { allocatePorts, NatsServer } from './nats-server.js';

export interface StartServerOptions {
  /** Extra config blocks (authorization, tls) appended to deploy/nats/single.conf. */
  extraConfig?: string;
  /** Readiness probe path; TLS-only or auth-enabled servers keep the default. */
  readyPath?: string;
}

const START_ATTEMPTS = 3;

/**
 * Starts a single JetStream-enabled nats-server on free loopback ports with a
 * temporary store, and waits until JetStream is ready.
 *
 * @example
 * await using server = await startServer();
 * const nc = await connect({ servers: server.url });
 */
export async function startServer(options: StartServerOptions = {}): Promise<NatsServer> {
  let lastError: unknown;
  // A port picked as free can be taken by someone else before the server binds it.
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    const server = NatsServer.create({
      name: `single-${process.pid}-${attempt}-${Math.random().toString(36).slice(2, 8)}`,
      template: 'single',
      ports: await allocatePorts(false),
      extraConfig: options.extraConfig,
    });
    try {
      server.spawn();
      await server.waitReady(options.readyPath);
      return server;
    } catch (err) {
      lastError = err;
      await server.dispose();
      if (err instanceof TestkitError && err.code === 'NATS_SERVER_NOT_FOUND') throw err;
    }
  }
  throw lastError;
}

export interface StartClusterOptions {
  size?: number;
  extraConfig?: string;
}

/** Starts an N-node (default 3) JetStream cluster and waits for a meta leader. */
export async function startCluster(options: StartClusterOptions = {}): Promise<NatsCluster> {
  let lastError: unknown;
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    const cluster = await NatsCluster.create(options.size ?? 3, options.extraConfig);
    try {
      await cluster.startAll();
      return cluster;
    } catch (err) {
      lastError = err;
      await cluster.dispose();
      if (err instanceof TestkitError && err.code === 'NATS_SERVER_NOT_FOUND') throw err;
    }
  }
  throw lastError;
}
