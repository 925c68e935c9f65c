import { DeliverPolicy, type JetStreamManager, jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

/** Every message of a stream in sequence order, with its sequence number. */
export async function* readStream(
  nc: NatsConnection,
  stream: string,
): AsyncGenerator<{ seq: number; data: Uint8Array }> {
  const js = jetstream(nc);
  const jsm: JetStreamManager = await js.jetstreamManager();
  const info = await jsm.streams.info(stream);
  const last = info.state.last_seq;
  if (info.state.messages === 0) return;
  const consumer = await js.consumers.get(stream, {
    opt_start_seq: info.state.first_seq,
    deliver_policy: DeliverPolicy.StartSequence,
  });
  const messages = await consumer.consume({ max_messages: 1024 });
  try {
    for await (const m of messages) {
      yield { seq: m.seq, data: m.data };
      if (m.seq >= last) break;
    }
  } finally {
    await messages.close();
  }
}
