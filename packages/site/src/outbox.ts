import { retryTransient } from '@liaison/core';
import { outboxStreamConfig, SITE_STREAMS, type TopologySettings } from '@liaison/topology';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

/**
 * Creates the site's outbox on the leaf node's own JetStream if it is missing (kept as it
 * is otherwise). `nc` is a connection to the site's leaf: `$JS.API` there is the site's
 * domain, never the hub's (the leaf link denies `$JS.API.>` both ways).
 */
export async function ensureOutbox(
  nc: NatsConnection,
  agency: string,
  settings: Partial<TopologySettings> = {},
): Promise<void> {
  const jsm = await jetstreamManager(nc);
  await retryTransient(async () => {
    try {
      await jsm.streams.info(SITE_STREAMS.outbox);
    } catch {
      await jsm.streams.add(outboxStreamConfig(agency, settings)).catch((err: unknown) => {
        if (!/already in use/i.test(String(err))) throw err;
      });
    }
  });
}

/** How many sealed envelopes wait in the site's outbox for the hub. */
export async function outboxDepth(nc: NatsConnection): Promise<number> {
  const jsm = await jetstreamManager(nc);
  return (await jsm.streams.info(SITE_STREAMS.outbox)).state.messages;
}
