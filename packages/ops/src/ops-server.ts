import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@liaison/core';
import type { Registry } from 'prom-client';
import { OPS_HOST } from './config.js';
import { OpsError } from './errors.js';
import type { Readiness } from './readiness.js';

export interface OpsServerOptions {
  /** The port on 127.0.0.1 (0: any free port — tests). */
  port: number;
  registry: Registry;
  /** What `/readyz` answers: each check by name. */
  ready: () => Promise<Readiness>;
  logger: Logger;
}

/** A running metrics and probe server. */
export interface OpsServer {
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
};

/**
 * Serves, on 127.0.0.1 only:
 * - `GET /metrics` — the registry in Prometheus' text format;
 * - `GET /healthz` — 200 while the process is alive (its event loop answers);
 * - `GET /readyz` — 200 when every readiness check passes, else 503; the body names
 *   each check (`{"ready":false,"checks":{"connected":true,"streams":false}}`).
 * Anything else is 404; only GET and HEAD are answered.
 */
export async function serveOps(o: OpsServerOptions): Promise<OpsServer> {
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: 'METHOD_NOT_ALLOWED' });
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') return json(res, 200, { status: 'alive' });
    if (path === '/readyz') {
      const r = await o.ready();
      return json(res, r.ready ? 200 : 503, r);
    }
    if (path === '/metrics') {
      const text = await o.registry.metrics();
      res.writeHead(200, { 'content-type': o.registry.contentType, 'cache-control': 'no-store' });
      res.end(text);
      return;
    }
    json(res, 404, { error: 'NOT_FOUND' });
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      o.logger.warn({ code: 'METRICS_FAILED', err: String(err) }, 'metrics or probe request failed');
      if (!res.headersSent) json(res, 500, { error: 'INTERNAL' });
      else res.end();
    });
  });
  // A scraper that keeps connections open must not hold the service's shutdown.
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new OpsError('METRICS_PORT_UNAVAILABLE', `cannot listen on ${OPS_HOST}:${o.port} (${err.code})`, {
          cause: err,
        }),
      ),
    );
    server.listen(o.port, OPS_HOST, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${OPS_HOST}:${port}`;
  o.logger.info({ url }, 'metrics and probes listening');
  return {
    port,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
