import type { ConsumerInfo, JetStreamManager, StreamInfo } from '@nats-io/jetstream';
import { Gauge, type Registry } from 'prom-client';
import { sampled } from './sampled.js';

/** A durable consumer a service reads: its stream and name (from @liaison/topology). */
export interface ConsumerRef {
  stream: string;
  durable: string;
}

type Jsm = () => Promise<JetStreamManager>;

/**
 * Per consumer, asked at each scrape: `liaison_consumer_pending` (stored, not yet
 * delivered — the service's lag), `liaison_consumer_ack_pending` (delivered, not yet
 * acknowledged) and `liaison_consumer_redelivered`. A consumer that does not answer
 * has no sample at that scrape (a stale value would hide an outage; readiness says why).
 */
export function consumerGauges(registry: Registry, jsm: Jsm, consumers: readonly ConsumerRef[]): void {
  const look = sampled(async () => {
    const m = await jsm().catch(() => undefined);
    return Promise.all(
      consumers.map(async (c) => ({
        labels: { stream: c.stream, durable: c.durable },
        info: (await m?.consumers.info(c.stream, c.durable).catch(() => undefined)) as
          | ConsumerInfo
          | undefined,
      })),
    );
  });
  const gauge = (name: string, help: string, value: (i: ConsumerInfo) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['stream', 'durable'],
      registers: [registry],
      async collect() {
        for (const { labels, info } of await look()) {
          if (info) this.set(labels, value(info));
          else this.remove(labels);
        }
      },
    });
  gauge(
    'liaison_consumer_pending',
    'Messages stored for the consumer, not yet delivered to it',
    (i) => i.num_pending,
  );
  gauge(
    'liaison_consumer_ack_pending',
    'Messages delivered to the consumer, not yet acknowledged',
    (i) => i.num_ack_pending,
  );
  gauge(
    'liaison_consumer_redelivered',
    'Messages delivered more than once, not yet acknowledged',
    (i) => i.num_redelivered,
  );
}

/** What one look at a stream found. */
export interface StreamLook {
  messages: number;
  bytes: number;
  /** Server time of the oldest message (ms), when there is one. */
  firstAt: number | undefined;
  /** Server time of the newest message (ms), when there is one. */
  lastAt: number | undefined;
}

/**
 * Per stream, asked at each scrape (shared with the service's own gauges through the
 * returned `look`): `liaison_stream_messages`, `liaison_stream_bytes`. A stream that
 * does not answer has no sample.
 */
export function streamGauges(
  registry: Registry,
  jsm: Jsm,
  streams: readonly string[],
): () => Promise<Map<string, StreamLook>> {
  const look = sampled(async () => {
    const m = await jsm().catch(() => undefined);
    const found = new Map<string, StreamLook>();
    await Promise.all(
      streams.map(async (stream) => {
        const info = (await m?.streams.info(stream).catch(() => undefined)) as StreamInfo | undefined;
        if (!info) return;
        const { state } = info;
        found.set(stream, {
          messages: state.messages,
          bytes: state.bytes,
          firstAt: state.messages > 0 ? Date.parse(state.first_ts) : undefined,
          lastAt: state.messages > 0 ? Date.parse(state.last_ts) : undefined,
        });
      }),
    );
    return found;
  });
  const gauge = (name: string, help: string, value: (l: StreamLook) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['stream'],
      registers: [registry],
      async collect() {
        const found = await look();
        for (const stream of streams) {
          const l = found.get(stream);
          if (l) this.set({ stream }, value(l));
          else this.remove({ stream });
        }
      },
    });
  gauge('liaison_stream_messages', 'Messages in the stream', (l) => l.messages);
  gauge('liaison_stream_bytes', 'Bytes stored in the stream', (l) => l.bytes);
  return look;
}

/** Readiness: every stream answers its info request (present, with a leader). */
export async function streamsPresent(jsm: Jsm, streams: readonly string[]): Promise<boolean> {
  const m = await jsm();
  await Promise.all(streams.map((s) => m.streams.info(s)));
  return true;
}
