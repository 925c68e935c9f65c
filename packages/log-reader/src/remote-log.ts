import { findCause } from '@liaison/core';
import { DEFAULT_PREFIX, Subjects } from '@liaison/topology';
import { errors, type NatsConnection } from '@nats-io/transport-node';
import { LogReadError } from './errors.js';
import { type Batch, decodeBatch, type ReadRequest } from './frame.js';
import type { LogSource, StreamState } from './log-source.js';

export interface RemoteLogOptions {
  prefix?: string;
  timeoutMs?: number;
}

/**
 * The exchange's streams as an identity outside its account reads them: bounded
 * batches asked of the log reader (`<prefix>.read.<stream>`, imported into the
 * identity's account as a service, so every answer lands in that account). One batch
 * is asked ahead while the caller works on the current one. The reader need not be
 * trusted for what the log says: entries and checkpoints are signed (docs/decisions/0014).
 */
export function remoteLog(nc: NatsConnection, o: RemoteLogOptions = {}): LogSource {
  const s = new Subjects(o.prefix ?? DEFAULT_PREFIX);
  const ask = async (stream: string, r: ReadRequest): Promise<Batch> => {
    try {
      const m = await nc.request(s.read(stream), new TextEncoder().encode(JSON.stringify(r)), {
        timeout: o.timeoutMs ?? 10_000,
      });
      return decodeBatch(m.data);
    } catch (err) {
      if (findCause(err, errors.NoRespondersError) || findCause(err, errors.TimeoutError))
        throw new LogReadError('READER_UNAVAILABLE', `the log reader did not answer for ${stream}`, {
          cause: err,
        });
      throw err;
    }
  };
  const state = async (stream: string): Promise<StreamState | undefined> => {
    try {
      return (await ask(stream, { max: 0 })).state;
    } catch (err) {
      if (err instanceof LogReadError && err.code === 'STREAM_MISSING') return undefined;
      throw err;
    }
  };
  return {
    streamState: state,
    async *messages(stream, fromSeq = 0) {
      const request = (from: number) => {
        const p = ask(stream, { fromSeq: from });
        p.catch(() => undefined); // awaited below; a read left early leaves its prefetch unawaited
        return p;
      };
      let next = Math.max(fromSeq, 1);
      let pending = request(next);
      const last = (await pending).state.lastSeq;
      while (next <= last) {
        const batch = await pending;
        const got = batch.messages.at(-1)?.seq;
        // Nothing more up to the last sequence (the rest deleted): done.
        if (got === undefined) return;
        if (batch.messages[0]!.seq < next)
          throw new LogReadError('BAD_ANSWER', 'a batch that starts before the sequence asked for');
        next = got + 1;
        if (next <= last) pending = request(next);
        for (const m of batch.messages) {
          if (m.seq > last) return;
          yield m;
        }
      }
    },
  };
}
