// The log reader's batch frame: what the reader sends decodes to the same batch, and an
// answer that is not a well-formed batch is BAD_ANSWER (never a partial read taken for a
// whole one); the reader's error codes come back as codes.
import { STREAMS } from '@liaison/topology';
import { describe, expect, it } from 'vitest';
import {
  type Batch,
  decodeBatch,
  encodeBatch,
  encodeError,
  LogReadError,
  ReadRequestSchema,
} from '../src/index.js';

const state = { name: STREAMS.audit, firstSeq: 1, lastSeq: 9, messages: 9, created: '2026-12-03T00:00:00Z' };
const batch: Batch = {
  state,
  messages: [
    { seq: 3, time: 1000, data: new Uint8Array([1, 2, 3]) },
    { seq: 4, time: 1001, data: new Uint8Array(0) },
    { seq: 7, time: 1002, data: new Uint8Array([9]) },
  ],
};

const code = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return err instanceof LogReadError ? err.code : `not a LogReadError: ${err}`;
  }
  return 'no error';
};

describe('the batch frame', () => {
  it('round-trips a batch (gaps in the sequence, empty messages)', () => {
    const back = decodeBatch(encodeBatch(batch));
    expect(back.state).toEqual(state);
    expect(back.messages.map((m) => [m.seq, m.time, [...m.data]])).toEqual([
      [3, 1000, [1, 2, 3]],
      [4, 1001, []],
      [7, 1002, [9]],
    ]);
  });

  it('refuses an answer whose lengths do not add up, or whose sequences go back', () => {
    const bytes = encodeBatch(batch);
    expect(code(() => decodeBatch(bytes.subarray(0, bytes.length - 1)))).toBe('BAD_ANSWER');
    expect(code(() => decodeBatch(new Uint8Array([...bytes, 0])))).toBe('BAD_ANSWER');
    expect(code(() => decodeBatch(new Uint8Array(2)))).toBe('BAD_ANSWER');
    const backwards = encodeBatch({ state, messages: [batch.messages[1]!, batch.messages[0]!] });
    expect(code(() => decodeBatch(backwards))).toBe('BAD_ANSWER');
    const beyond = encodeBatch({ state, messages: [{ seq: 10, time: 0, data: new Uint8Array(1) }] });
    expect(code(() => decodeBatch(beyond))).toBe('BAD_ANSWER');
  });

  it('carries the reader’s error codes', () => {
    expect(code(() => decodeBatch(encodeError('STREAM_MISSING', 'gone')))).toBe('STREAM_MISSING');
    expect(code(() => decodeBatch(encodeError('READER_UNAVAILABLE', 'again')))).toBe('READER_UNAVAILABLE');
    expect(code(() => decodeBatch(encodeError('SOMETHING_ELSE', 'x')))).toBe('BAD_ANSWER');
  });

  it('bounds a request at the edge', () => {
    expect(ReadRequestSchema.safeParse({ fromSeq: 1, max: 10_001 }).success).toBe(false);
    expect(ReadRequestSchema.safeParse({ fromSeq: 1, maxBytes: 2 * 1024 * 1024 }).success).toBe(false);
    expect(ReadRequestSchema.safeParse({ fromSeq: -1 }).success).toBe(false);
    expect(ReadRequestSchema.safeParse({ fromSeq: 1, extra: true }).success).toBe(false);
    expect(ReadRequestSchema.parse({})).toEqual({ fromSeq: 1, max: 10_000, maxBytes: 900 * 1024 });
  });
});
