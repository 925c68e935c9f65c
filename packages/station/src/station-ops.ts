import type { LiaisonClient } from '@liaison/client';
import type { Logger } from '@liaison/core';
import { Gauge, type ServiceOps, sampled, startServiceOps } from '@liaison/ops';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Station } from './station.js';

/**
 * The station's metrics and probes (`docs/station.md`, "Operating"): the inbox (stored,
 * unread, urgent unread), read receipts owed (opened, not yet sent), its feed durable's
 * pending (the station's lag), the NATS connection. Counts only: no notice, officer
 * or sender is named. Ready when connected and the feed durable answers (following
 * stations) or at once (a console over a stored inbox).
 */
export async function startStationOps(
  port: number,
  agency: string,
  logger: Logger,
  station: () => Station | undefined,
  exchange: { nc: NatsConnection; client: LiaisonClient } | undefined,
): Promise<ServiceOps | undefined> {
  if (!exchange) return undefined;
  const feed = sampled(() => exchange.client.feedPending());
  const ops = await startServiceOps({
    service: 'station',
    instance: agency,
    port,
    nc: exchange.nc,
    logger,
    checks: {
      started: () => station() !== undefined,
      feed: async () => (await feed()).pending >= 0,
    },
  });
  const { registry } = ops;
  const counts = () => station()?.inbox.count();
  const inbox = (name: string, help: string, value: (c: NonNullable<ReturnType<typeof counts>>) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const c = counts();
        if (c) this.set(value(c));
      },
    });
  inbox('liaison_station_inbox_notices', 'Notices stored in the inbox', (c) => c.total);
  inbox('liaison_station_inbox_unread', 'Notices no officer has opened yet', (c) => c.unread);
  inbox(
    'liaison_station_inbox_urgent_unread',
    'Urgent notices no officer has opened yet',
    (c) => c.urgentUnread,
  );
  new Gauge({
    name: 'liaison_station_receipts_owed',
    help: 'Opened notices whose read receipt has not been sent yet (retried every 30 s)',
    registers: [registry],
    collect() {
      const s = station();
      if (s) this.set(s.inbox.receiptsOwed().length);
    },
  });
  const feedGauge = (
    name: string,
    help: string,
    value: (f: { pending: number; ackPending: number }) => number,
  ) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const f = await feed().catch(() => undefined);
        if (f) this.set(value(f));
        else this.reset();
      },
    });
  feedGauge(
    'liaison_station_feed_pending',
    'Deliveries on the agency feed not yet pulled by the station',
    (f) => f.pending,
  );
  feedGauge(
    'liaison_station_feed_ack_pending',
    'Deliveries pulled and not yet stored and acknowledged',
    (f) => f.ackPending,
  );
  return ops;
}
