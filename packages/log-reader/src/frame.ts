import { z } from 'zod';
import { LogReadError, logReadErrorCode } from './errors.js';
import type { StoredMessage, StreamState } from './log-source.js';

/**
 * The largest batch the reader sends (bytes of message data): below nats-server's
 * 1 MiB max_payload (deploy/nats/*.conf) with room for the frame's header. A single
 * message larger than this is sent alone.
 */
export const MAX_BATCH_BYTES = 900 * 1024;
/** The most messages in one batch. */
export const MAX_BATCH_MESSAGES = 10_000;

/** A read request: a stream's state and (unless `max` is 0) its messages from `fromSeq` on. */
export const ReadRequestSchema = z
  .object({
    fromSeq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(1),
    max: z.number().int().min(0).max(MAX_BATCH_MESSAGES).default(MAX_BATCH_MESSAGES),
    maxBytes: z.number().int().min(1).max(MAX_BATCH_BYTES).default(MAX_BATCH_BYTES),
  })
  .strict();
export type ReadRequest = z.input<typeof ReadRequestSchema>;

const HeaderSchema = z.union([
  z
    .object({
      state: z.object({
        name: z.string(),
        firstSeq: z.number().int().min(0),
        lastSeq: z.number().int().min(0),
        messages: z.number().int().min(0),
        created: z.string(),
      }),
      /** [seq, time ms, length] of each message, in order. */
      messages: z.array(z.tuple([z.number().int().min(1), z.number().int(), z.number().int().min(0)])),
    })
    .strict(),
  z.object({ error: z.object({ code: z.string(), message: z.string() }).strict() }).strict(),
]);

export interface Batch {
  state: StreamState;
  messages: StoredMessage[];
}

/**
 * A batch as bytes: a 4-byte big-endian length, a JSON header (the stream's state and
 * each message's sequence, time and length), then the messages' bytes back to back.
 * Binary, so a year's log costs no base64 (JetStream's own MSG.GET answers in JSON).
 */
export function encodeBatch(b: Batch): Uint8Array {
  const header = new TextEncoder().encode(
    JSON.stringify({ state: b.state, messages: b.messages.map((m) => [m.seq, m.time, m.data.length]) }),
  );
  return frame(
    header,
    b.messages.map((m) => m.data),
  );
}

/** An error answer (stable code, short message). */
export function encodeError(code: string, message: string): Uint8Array {
  return frame(new TextEncoder().encode(JSON.stringify({ error: { code, message } })), []);
}

function frame(header: Uint8Array, parts: Uint8Array[]): Uint8Array {
  const size = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(4 + header.length + size);
  new DataView(out.buffer).setUint32(0, header.length);
  out.set(header, 4);
  let at = 4 + header.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const bad = (message: string) => new LogReadError('BAD_ANSWER', message);

/** The batch in an answer (checked: lengths add up, sequences increase), or the reader's error thrown. */
export function decodeBatch(bytes: Uint8Array): Batch {
  if (bytes.length < 4) throw bad('an empty answer from the log reader');
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
  if (4 + length > bytes.length) throw bad('a truncated answer from the log reader');
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + length)));
  } catch (cause) {
    throw new LogReadError('BAD_ANSWER', 'an answer from the log reader that is not a batch', { cause });
  }
  const parsed = HeaderSchema.safeParse(json);
  if (!parsed.success) throw bad('an answer from the log reader that is not a batch');
  const h = parsed.data;
  if ('error' in h) throw new LogReadError(logReadErrorCode(h.error.code), h.error.message);
  const messages: StoredMessage[] = [];
  let at = 4 + length;
  let last = 0;
  for (const [seq, time, size] of h.messages) {
    if (seq <= last || seq > h.state.lastSeq) throw bad('a batch whose sequences are out of order');
    if (at + size > bytes.length) throw bad('a batch whose lengths do not add up');
    messages.push({ seq, time, data: bytes.subarray(at, at + size) });
    at += size;
    last = seq;
  }
  if (at !== bytes.length) throw bad('a batch whose lengths do not add up');
  return { state: h.state, messages };
}
