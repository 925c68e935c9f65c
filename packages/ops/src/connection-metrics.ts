import type { NatsConnection } from '@nats-io/transport-node';
import { Counter, Gauge, type Registry } from 'prom-client';

/** The NATS connection's state for metrics and readiness. */
export interface ConnectionWatch {
  /** True while the client is connected (not disconnected, reconnecting or closed). */
  connected(): boolean;
}

/**
 * Follows a NATS connection's status events: `liaison_nats_connected` (1/0),
 * `liaison_nats_disconnects_total`, `liaison_nats_reconnects_total`, and
 * `liaison_nats_slow_consumer_total`. Stops by itself when the connection closes.
 */
export function watchConnection(nc: NatsConnection, registry: Registry): ConnectionWatch {
  let connected = !nc.isClosed();
  const up = new Gauge({
    name: 'liaison_nats_connected',
    help: 'Whether the service is connected to NATS (1) or not (0)',
    registers: [registry],
    collect() {
      this.set(connected && !nc.isClosed() ? 1 : 0);
    },
  });
  void up;
  const disconnects = new Counter({
    name: 'liaison_nats_disconnects_total',
    help: 'Times the NATS connection was lost',
    registers: [registry],
  });
  const reconnects = new Counter({
    name: 'liaison_nats_reconnects_total',
    help: 'Times the client reconnected to NATS',
    registers: [registry],
  });
  const slow = new Counter({
    name: 'liaison_nats_slow_consumer_total',
    help: 'Times a subscription of the service fell behind (slow consumer)',
    registers: [registry],
  });
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect') {
        connected = false;
        disconnects.inc();
      } else if (s.type === 'reconnect') {
        connected = true;
        reconnects.inc();
      } else if (s.type === 'slowConsumer') slow.inc();
      else if (s.type === 'close') connected = false;
    }
  })().catch(() => undefined);
  return { connected: () => connected && !nc.isClosed() };
}
