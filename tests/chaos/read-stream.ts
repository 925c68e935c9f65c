import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

/** Every message of a stream with its subject, in order (an ordered consumer; nothing is acknowledged). */
export async function* readAll(
  nc: NatsConnection,
  stream: string,
): AsyncGenerator<{ subject: string; data: Uint8Array; time: number }> {
  const js = jetstream(nc);
  const info = await (await js.jetstreamManager()).streams.info(stream);
  if (info.state.messages === 0) return;
  const messages = await (await js.consumers.get(stream)).consume({ max_messages: 512 });
  try {
    for await (const m of messages) {
      yield { subject: m.subject, data: m.data, time: Math.floor(m.info.timestampNanos / 1e6) };
      if (m.seq >= info.state.last_seq) break;
    }
  } finally {
    await messages.close();
  }
}
