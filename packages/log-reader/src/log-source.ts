import { DeliverPolicy, JetStreamApiCodes, JetStreamApiError, jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { LogReadError } from './errors.js';

/** What a reader needs of a stream's state (from JetStream's stream info). */
export interface StreamState {
  name: string;
  firstSeq: number;
  lastSeq: number;
  messages: number;
  /** When the stream was created (ISO 8601, as the server reports it). */
  created: string;
}

/** One stored message: its stream sequence, its bytes and the time it was stored (ms). */
export interface StoredMessage {
  seq: number;
  data: Uint8Array;
  time: number;
}

/**
 * Read access to the exchange's streams: JetStream itself (`directLog`, inside the
 * exchange's account) or the log reader's endpoint (`remoteLog`, from an auditor's or an
 * administrator's own account). Readers of the log are written against this, so an
 * auditor reads exactly as the exchange's own services do.
 */
export interface LogSource {
  /** The stream's state, or undefined when the stream does not exist. */
  streamState(stream: string): Promise<StreamState | undefined>;
  /** Every message from `fromSeq` on, in sequence order, up to the last one at the time of the call. */
  messages(stream: string, fromSeq?: number): AsyncGenerator<StoredMessage>;
}

/** A connection inside the exchange's account, or a log source. */
export type LogAccess = NatsConnection | LogSource;

export function isLogSource(x: LogAccess): x is LogSource {
  return (
    typeof (x as LogSource).messages === 'function' && typeof (x as LogSource).streamState === 'function'
  );
}

/** The log source for `x`: itself, or JetStream reached directly through the connection. */
export function logSourceOf(x: LogAccess): LogSource {
  return isLogSource(x) ? x : directLog(x);
}

/**
 * True when a read failed because the stream does not exist: JetStream's API code, or the
 * log reader's STREAM_MISSING.
 */
export function isStreamMissing(err: unknown): boolean {
  return (
    (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound) ||
    (err instanceof LogReadError && err.code === 'STREAM_MISSING')
  );
}

/** How much a reader asks the server for at once (bytes, not messages: log blocks are large). */
const PULL_BYTES = 4 * 1024 * 1024;

/**
 * JetStream reached directly (the exchange's own account): stream info, and a short-lived
 * ordered consumer from `fromSeq` to the last sequence at the start of the read.
 */
export function directLog(nc: NatsConnection): LogSource {
  const js = jetstream(nc);
  const state = async (stream: string): Promise<StreamState | undefined> => {
    try {
      const info = await (await js.jetstreamManager()).streams.info(stream);
      return {
        name: info.config.name,
        firstSeq: info.state.first_seq,
        lastSeq: info.state.last_seq,
        messages: info.state.messages,
        created: info.created,
      };
    } catch (err) {
      if (isStreamMissing(err)) return undefined;
      throw err;
    }
  };
  return {
    streamState: state,
    async *messages(stream, fromSeq = 0) {
      const info = await state(stream);
      if (!info) throw new LogReadError('STREAM_MISSING', `the ${stream} stream does not exist`);
      if (info.messages === 0 || fromSeq > info.lastSeq) return;
      const consumer = await js.consumers.get(stream, {
        opt_start_seq: Math.max(info.firstSeq, fromSeq),
        deliver_policy: DeliverPolicy.StartSequence,
      });
      const messages = await consumer.consume({ max_bytes: PULL_BYTES });
      try {
        for await (const m of messages) {
          yield { seq: m.seq, data: m.data, time: Math.floor(m.info.timestampNanos / 1e6) };
          if (m.seq >= info.lastSeq || (m.info.pending ?? 0) === 0) break;
        }
      } finally {
        await messages.close();
      }
    },
  };
}
