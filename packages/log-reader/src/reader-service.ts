import type { Logger } from '@liaison/core';
import { DEFAULT_PREFIX, isReplySpace, READABLE_STREAMS, Subjects } from '@liaison/topology';
import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { encodeBatch, encodeError, MAX_BATCH_BYTES, ReadRequestSchema } from './frame.js';
import { directLog, isStreamMissing, type StoredMessage } from './log-source.js';

export interface LogReaderOptions {
  nc: NatsConnection;
  prefix?: string;
  logger?: Logger;
  /** Queue group, so several readers share the requests (default "log-reader"). */
  queue?: string;
}

/**
 * The log reader (docs/decisions/0014): a read-only identity in the exchange's account
 * that answers `<prefix>.read.<stream>` for the streams auditors and administrators read
 * (READABLE_STREAMS) with one bounded batch — the stream's state and its messages from
 * `fromSeq` on, at most MAX_BATCH_BYTES. It answers only into a reply space (a service
 * import's `_R_.…`, mapped back into the requester's own account): no reply subject a
 * requester picks makes it publish anywhere else, and no requester ever creates a consumer.
 */
export class LogReaderService {
  private sub: Subscription | undefined;
  private readonly subjects: Subjects;
  private readonly log;
  private readonly js;

  constructor(private readonly o: LogReaderOptions) {
    this.subjects = new Subjects(o.prefix ?? DEFAULT_PREFIX);
    this.log = directLog(o.nc);
    this.js = jetstream(o.nc);
  }

  start(): void {
    this.sub = this.o.nc.subscribe(this.subjects.readAll, {
      queue: this.o.queue ?? 'log-reader',
      callback: (err, m) => {
        if (!err) void this.answer(m);
      },
    });
  }

  async stop(): Promise<void> {
    await this.sub?.drain();
  }

  private async answer(m: Msg): Promise<void> {
    if (!isReplySpace(m.reply)) return;
    const reply = (bytes: Uint8Array) => m.respond(bytes);
    const stream = m.subject.slice(m.subject.lastIndexOf('.') + 1);
    if (!READABLE_STREAMS.includes(stream as (typeof READABLE_STREAMS)[number])) {
      reply(encodeError('BAD_REQUEST', 'not a stream the log reader serves'));
      return;
    }
    let body: unknown;
    try {
      body = m.data.length ? JSON.parse(m.string()) : {};
    } catch {
      body = undefined;
    }
    const parsed = ReadRequestSchema.safeParse(body);
    if (!parsed.success) {
      reply(encodeError('BAD_REQUEST', 'invalid read request'));
      return;
    }
    try {
      const state = await this.log.streamState(stream);
      if (!state) {
        reply(encodeError('STREAM_MISSING', `the ${stream} stream does not exist`));
        return;
      }
      const r = parsed.data;
      const from = Math.max(r.fromSeq, state.firstSeq, 1);
      const messages =
        r.max === 0 || state.messages === 0 || from > state.lastSeq
          ? []
          : await this.batch(stream, from, state.lastSeq, r.max, Math.min(r.maxBytes, MAX_BATCH_BYTES));
      reply(encodeBatch({ state, messages }));
    } catch (err) {
      if (isStreamMissing(err)) reply(encodeError('STREAM_MISSING', `the ${stream} stream does not exist`));
      else {
        this.o.logger?.warn({ stream, err: (err as Error)?.message }, 'read request failed');
        reply(encodeError('READER_UNAVAILABLE', 'the read failed; ask again'));
      }
    }
  }

  /** Messages from `from` to at most `last`, `max` of them or `maxBytes`, through a short-lived ordered consumer. */
  private async batch(
    stream: string,
    from: number,
    last: number,
    max: number,
    maxBytes: number,
  ): Promise<StoredMessage[]> {
    const consumer = await this.js.consumers.get(stream, {
      opt_start_seq: from,
      deliver_policy: DeliverPolicy.StartSequence,
    });
    const count = Math.min(max, last - from + 1);
    // Bounded by bytes (the client takes bytes or messages, not both); the count, the
    // stream's end and the reply's size are checked below.
    const fetched = await consumer.fetch({ max_bytes: maxBytes, expires: 5_000 });
    const out: StoredMessage[] = [];
    let bytes = 0;
    try {
      for await (const m of fetched) {
        if (out.length > 0 && bytes + m.data.length > maxBytes) break;
        out.push({ seq: m.seq, data: m.data, time: Math.floor(m.info.timestampNanos / 1e6) });
        bytes += m.data.length;
        if (out.length >= count || m.seq >= last || (m.info.pending ?? 0) === 0) break;
      }
    } finally {
      fetched.stop();
      // An ordered consumer would linger for its 5-minute inactivity threshold: one per batch adds up.
      void consumer.delete().catch(() => undefined);
    }
    return out;
  }
}
