import type { Logger } from '@liaison/core';
import { type JetStreamManager, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Counter, type Registry } from 'prom-client';
import { type ConnectionWatch, watchConnection } from './connection-metrics.js';
import { type ConsumerRef, consumerGauges, type StreamLook, streamGauges } from './jetstream-metrics.js';
import { type OpsServer, serveOps } from './ops-server.js';
import { type Check, readinessOf } from './readiness.js';
import { serviceRegistry } from './registry.js';

export interface ServiceOpsOptions {
  /** `gate`, `audit-log`, `station`: the `service` label. */
  service: string;
  /** The instance's identity (a gate id, an agency id): the `instance` label. */
  instance?: string;
  /** On 127.0.0.1; 0 = any free port. */
  port: number;
  nc: NatsConnection;
  logger: Logger;
  /** The durables the service reads (`liaison_consumer_*`); needs the JetStream API. */
  consumers?: readonly ConsumerRef[];
  /** The streams it watches (`liaison_stream_*`). */
  streams?: readonly string[];
  /** Readiness beyond `connected`, by name. */
  checks?: Record<string, Check>;
}

/** A service's metrics registry, its NATS connection watch and its probe server. */
export interface ServiceOps {
  readonly registry: Registry;
  readonly server: OpsServer;
  readonly connection: ConnectionWatch;
  /** The service's JetStream manager (made once, on first use). */
  jsm(): Promise<JetStreamManager>;
  /** The last look at the watched streams (shared with the scrape). */
  streams(): Promise<Map<string, StreamLook>>;
  close(): Promise<void>;
}

/**
 * Starts what every service exposes: process and NATS connection metrics, its
 * consumers' and streams' gauges, and `/metrics`, `/healthz`, `/readyz` on
 * 127.0.0.1. The service then adds its own metrics to `registry`.
 *
 * @example
 * const ops = await startServiceOps({ service: 'gate', port, nc, logger, checks: { evidence: () => open } });
 * new Counter({ name: 'liaison_gate_…', help: '…', registers: [ops.registry] });
 */
export async function startServiceOps(o: ServiceOpsOptions): Promise<ServiceOps> {
  const registry = serviceRegistry(o.service, o.instance);
  const connection = watchConnection(o.nc, registry);
  let manager: Promise<JetStreamManager> | undefined;
  const jsm = () => {
    manager ??= jetstreamManager(o.nc, { checkAPI: false }).catch((err) => {
      manager = undefined;
      throw err;
    });
    return manager;
  };
  if (o.consumers?.length) consumerGauges(registry, jsm, o.consumers);
  const streams = o.streams?.length ? streamGauges(registry, jsm, o.streams) : async () => new Map();
  const server = await serveOps({
    port: o.port,
    registry,
    logger: o.logger,
    ready: readinessOf({ connected: () => connection.connected(), ...o.checks }),
  });
  return { registry, server, connection, jsm, streams, close: () => server.close() };
}

/**
 * A counter that mirrors a running total kept elsewhere (e.g. the evidence guard's
 * closures): read at each scrape. Never goes down while the process lives.
 */
export function mirroredCounter(registry: Registry, name: string, help: string, total: () => number): void {
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(total());
    },
  });
}
