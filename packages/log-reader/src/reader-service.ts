import type { Logger } from '@liaison/core';
import { DEFAULT_PREFIX, isReplySpace, READABLE_STREAMS, Subjects } from '@liaison/topology';
import {
  type Consumer,
  type ConsumerMessages,
  DeliverPolicy,
  type JsMsg,
  jetstream,
} from '@nats-io/jetstream';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { encodeBatch, encodeError, MAX_BATCH_BYTES, ReadRequestSchema } from './frame.js';
import { directLog, isStreamMissing, type StoredMessage } from './log-source.js';

/** How much one pull asks the server for (more than any one message a readable stream holds). */
const PULL_BYTES = 2 * 1024 * 1024;

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
  /** Readers stopped at a batch's cap, by `<stream>@<next sequence>`. */
  private readonly cursors = new Map<string, Cursor>();

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
    this.closeAll();
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

  /**
   * Messages from `from` to at most `last`, `max` of them or `maxBytes`. A reader that
   * stopped at the cap is kept for a few seconds under the sequence it stopped at, so the
   * requester's next batch goes on where it left off (no consumer created, nothing pulled
   * twice); a reader that reached the stream's end is closed.
   */
  private async batch(
    stream: string,
    from: number,
    last: number,
    max: number,
    maxBytes: number,
  ): Promise<StoredMessage[]> {
    const key = `${stream}@${from}`;
    const parked = this.cursors.get(key);
    if (parked) {
      this.cursors.delete(key);
      clearTimeout(parked.timer);
    }
    const c = parked ?? (await this.open(stream, from));
    const count = Math.min(max, last - from + 1);
    const out: StoredMessage[] = [];
    let bytes = 0;
    try {
      for (;;) {
        const m = c.held ?? (await take(c));
        c.held = undefined;
        if (!m) break;
        if (out.length > 0 && (out.length >= count || bytes + m.data.length > maxBytes)) {
          c.held = m;
          break;
        }
        out.push({ seq: m.seq, data: m.data, time: m.time });
        bytes += m.data.length;
        if (m.seq >= last || m.pending === 0) break;
      }
    } catch (err) {
      close(c);
      throw err;
    }
    if (c.held && out.length > 0) this.park(`${stream}@${out.at(-1)!.seq + 1}`, c);
    else close(c);
    return out;
  }

  private async open(stream: string, from: number): Promise<Cursor> {
    const consumer = await this.js.consumers.get(stream, {
      opt_start_seq: from,
      deliver_policy: DeliverPolicy.StartSequence,
    });
    // Pulled by bytes, above the largest message a readable stream holds (a log block is
    // at most 256 KiB, a delivery at most max_payload): the server cannot deliver a message
    // larger than a pull's max_bytes.
    const messages = await consumer.consume({ max_bytes: PULL_BYTES });
    return { consumer, messages, it: messages[Symbol.asyncIterator]() };
  }

  private park(key: string, c: Cursor): void {
    // Two requesters in step at the same sequence: either reader serves both (same stream, same start).
    const same = this.cursors.get(key);
    if (same) {
      this.cursors.delete(key);
      clearTimeout(same.timer);
      close(same);
    }
    if (this.cursors.size >= MAX_CURSORS) {
      const [oldest, o] = this.cursors.entries().next().value!;
      this.cursors.delete(oldest);
      clearTimeout(o.timer);
      close(o);
    }
    c.timer = setTimeout(() => {
      if (this.cursors.get(key) === c) this.cursors.delete(key);
      close(c);
    }, CURSOR_IDLE_MS);
    c.timer.unref?.();
    this.cursors.set(key, c);
  }

  private closeAll(): void {
    for (const c of this.cursors.values()) {
      clearTimeout(c.timer);
      close(c);
    }
    this.cursors.clear();
  }
}

/** How long a reader stopped at the cap waits for its requester's next batch. */
const CURSOR_IDLE_MS = 5_000;
/** Readers kept at once (each holds up to PULL_BYTES of pulled messages). */
const MAX_CURSORS = 16;

interface Held {
  seq: number;
  data: Uint8Array;
  time: number;
  pending: number;
}

interface Cursor {
  consumer: Consumer;
  messages: ConsumerMessages;
  it: AsyncIterator<JsMsg>;
  /** A message taken from the consumer but not sent: it did not fit the last batch. */
  held?: Held | undefined;
  timer?: ReturnType<typeof setTimeout>;
}

async function take(c: Cursor): Promise<Held | undefined> {
  const r = await c.it.next();
  if (r.done) return undefined;
  const m = r.value;
  return {
    seq: m.seq,
    data: m.data,
    time: Math.floor(m.info.timestampNanos / 1e6),
    pending: m.info.pending ?? 0,
  };
}

function close(c: Cursor): void {
  void c.messages.close().catch(() => undefined);
  // An ordered consumer would otherwise linger for its 5-minute inactivity threshold.
  void c.consumer.delete().catch(() => undefined);
}
