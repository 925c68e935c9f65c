import type { NatsConnection } from '@nats-io/transport-node';
import { z } from 'zod';
import { ClientError } from './errors.js';

const enc = new TextEncoder();

/** The gate's answer to a replay request (`gate.replay.<agency>`), checked at the edge. */
const ReplayAnswerSchema = z.union([
  z.object({
    deliveries: z.array(
      z.object({ seq: z.number().int().min(1), at: z.number().int(), data: z.string() }).strict(),
    ),
    next: z.number().int().min(1).optional(),
  }),
  z.object({ error: z.object({ code: z.string() }).loose() }),
]);

/** One stored delivery as the gate handed it back, still to be verified and opened. */
export interface ReplayedBytes {
  seq: number;
  at: number;
  bytes: Uint8Array;
}

/**
 * Asks the gate, batch by batch, for this agency's stored deliveries from `since`
 * (ms): the first request names the time, each next one the FEED sequence the last
 * answer ended at, until an answer names no `next`. A refusal (`RATE_LIMITED`,
 * `UNAVAILABLE`, `BAD_REQUEST`) is `REPLAY_FAILED` with the gate's code in `issues`.
 */
export async function* replayBatches(
  nc: NatsConnection,
  subject: string,
  since: number,
  signal?: AbortSignal,
): AsyncGenerator<ReplayedBytes> {
  let query: { since: number } | { after: number } = { since };
  for (;;) {
    if (signal?.aborted) return;
    const reply = await nc.request(subject, enc.encode(JSON.stringify(query)), { timeout: 10_000 });
    let parsed: z.infer<typeof ReplayAnswerSchema> | undefined;
    try {
      parsed = ReplayAnswerSchema.parse(JSON.parse(reply.string()));
    } catch (cause) {
      throw new ClientError('REPLAY_FAILED', 'the gate answered the replay request with something else', {
        cause,
      });
    }
    if ('error' in parsed)
      throw new ClientError('REPLAY_FAILED', `the gate refused the replay request: ${parsed.error.code}`, {
        issues: [{ code: parsed.error.code, path: [], message: 'replay refused' }],
      });
    for (const d of parsed.deliveries) {
      if (signal?.aborted) return;
      yield { seq: d.seq, at: d.at, bytes: new Uint8Array(Buffer.from(d.data, 'base64')) };
    }
    if (parsed.next === undefined) return;
    query = { after: parsed.next };
  }
}
