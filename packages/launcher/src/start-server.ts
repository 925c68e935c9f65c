import { LauncherError } from './errors.js';
import { allocatePorts, NatsServer } from './nats-server.js';

export interface StartServerOptions {
  /** Extra config blocks (authorization, tls) appended to deploy/nats/single.conf. */
  extraConfig?: string;
  /** Readiness probe path; TLS-only or auth-enabled servers keep the default. */
  readyPath?: string;
}

const START_ATTEMPTS = 3;

/**
 * Starts a single JetStream-enabled nats-server on free loopback ports (client and
 * monitoring both bound to 127.0.0.1) with a temporary store, and waits until
 * JetStream is ready. The demo's embedded broker; tests reach it through the testkit.
 *
 * @example
 * await using server = await startServer();
 */
export async function startServer(options: StartServerOptions = {}): Promise<NatsServer> {
  return startFresh(
    async () =>
      NatsServer.create({
        name: `single-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
        template: 'single',
        ports: await allocatePorts(false),
        ...(options.extraConfig ? { extraConfig: options.extraConfig } : {}),
      }),
    options.readyPath,
  );
}

/**
 * Spawns a server `make` describes (fresh free ports each time) and waits until it is
 * ready; a port picked as free can be taken by someone else before the server binds it,
 * so a failed start is tried again with new ports, up to three times. A missing
 * nats-server binary is not retried.
 */
export async function startFresh(make: () => Promise<NatsServer>, readyPath?: string): Promise<NatsServer> {
  let lastError: unknown;
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    const server = await make();
    try {
      server.spawn();
      await server.waitReady(readyPath);
      return server;
    } catch (err) {
      lastError = err;
      await server.dispose();
      if (err instanceof LauncherError && err.code === 'NATS_SERVER_NOT_FOUND') throw err;
    }
  }
  throw lastError;
}
