import { DeliverPolicy, type JetStreamManager, jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { decodeBlock } from './records.js';

/** How much a reader asks the server for at once (bytes, not messages: log blocks are large). */
const PULL_BYTES = 4 * 1024 * 1024;

/** Every message of a stream in sequence order (from `fromSeq` on), with its sequence number and time (ms). */
export async function* readStream(
  nc: NatsConnection,
  stream: string,
  fromSeq = 0,
): AsyncGenerator<{ seq: number; data: Uint8Array; time: number }> {
  const js = jetstream(nc);
  const jsm: JetStreamManager = await js.jetstreamManager();
  const info = await jsm.streams.info(stream);
  const last = info.state.last_seq;
  if (info.state.messages === 0 || fromSeq > last) return;
  const consumer = await js.consumers.get(stream, {
    opt_start_seq: Math.max(info.state.first_seq, fromSeq),
    deliver_policy: DeliverPolicy.StartSequence,
  });
  const messages = await consumer.consume({ max_bytes: PULL_BYTES });
  try {
    for await (const m of messages) {
      yield { seq: m.seq, data: m.data, time: Math.floor(m.info.timestampNanos / 1e6) };
      if (m.seq >= last) break;
    }
  } finally {
    await messages.close();
  }
}

/**
 * The log's records in order, unpacked from the blocks they were stored in, with
 * the stream sequence of their block. A message that is not a block yields one
 * empty record (no real record is empty), so that a reader reports it where it is.
 */
export async function* readRecords(
  nc: NatsConnection,
  stream: string,
  fromSeq = 0,
): AsyncGenerator<{ seq: number; data: Uint8Array }> {
  for await (const { seq, data } of readStream(nc, stream, fromSeq)) {
    const records = decodeBlock(data);
    if (!records) yield { seq, data: new Uint8Array(0) };
    else for (const r of records) yield { seq, data: r };
  }
}
