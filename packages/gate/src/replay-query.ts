import { randomBytes } from 'node:crypto';
import { replayConsumerName, STREAMS, type Subjects } from '@liaison/topology';
import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { z } from 'zod';

/** Deliveries per answer at most (a request asks for fewer with `limit`). */
export const REPLAY_MAX_BATCH = 100;
/**
 * Envelope bytes per answer at most: base64 and JSON make it ~4/3 of this, under
 * nats-server's default 1 MiB max_payload. A single delivery larger than this (the
 * intake allows 256 KiB envelopes) still goes alone.
 */
export const REPLAY_MAX_BYTES = 512 * 1024;

/**
 * What a recipient asks for: its stored deliveries from a time (`since`, ms since the
 * epoch) or, to continue, after the FEED sequence the last answer named (`after`).
 */
export const ReplayQuerySchema = z
  .object({
    since: z.number().int().min(0).optional(),
    after: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(REPLAY_MAX_BATCH).optional(),
  })
  .strict()
  .refine((q) => (q.since === undefined) !== (q.after === undefined), {
    message: 'exactly one of since and after',
    path: ['since'],
  });
export type ReplayQuery = z.infer<typeof ReplayQuerySchema>;

/** One stored delivery: its FEED sequence, when it was stored, the envelope (base64). */
export interface ReplayedDelivery {
  seq: number;
  at: number;
  data: string;
}

/** An answer: a batch in FEED order, and where to continue (`next`) when there may be more. */
export interface ReplayAnswer {
  deliveries: ReplayedDelivery[];
  next?: number;
}

/**
 * Reads, for the agency a replay request came from, a bounded batch of its stored
 * deliveries through a short-lived ordered reader of the gate's own, filtered to that
 * agency's feed (`feed.<agency>.*`, the filter pinned in the create subject the
 * gate's permissions allow): agencies never hold a consumer of FEED, and the
 * deliveries are exactly what the gate published to that agency — already restricted
 * to its level, verified by the SDK like live ones.
 */
export async function storedDeliveries(
  nc: NatsConnection,
  subjects: Subjects,
  gateId: string,
  agency: string,
  q: ReplayQuery,
): Promise<ReplayAnswer> {
  const js = jetstream(nc);
  const start =
    q.after !== undefined
      ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: q.after + 1 }
      : { deliver_policy: DeliverPolicy.StartTime, opt_start_time: new Date(q.since!).toISOString() };
  const consumer = await js.consumers.get(STREAMS.feed, {
    name_prefix: replayConsumerName(gateId, randomBytes(6).toString('hex')),
    filter_subjects: subjects.feedFilter(agency),
    ...start,
  });
  const limit = Math.min(q.limit ?? REPLAY_MAX_BATCH, REPLAY_MAX_BATCH);
  const pending = (await consumer.info(true)).num_pending;
  const out: ReplayedDelivery[] = [];
  if (pending === 0) return { deliveries: out };
  let bytes = 0;
  let more = pending > limit;
  const batch = await consumer.fetch({ max_messages: Math.min(pending, limit), expires: 2000 });
  for await (const m of batch) {
    if (out.length > 0 && bytes + m.data.length > REPLAY_MAX_BYTES) {
      more = true;
      break;
    }
    bytes += m.data.length;
    out.push({
      seq: m.seq,
      at: m.time.getTime(),
      data: Buffer.from(m.data).toString('base64'),
    });
    if (out.length >= Math.min(pending, limit)) break;
  }
  await consumer.delete().catch(() => undefined);
  return more && out.length > 0 ? { deliveries: out, next: out.at(-1)!.seq } : { deliveries: out };
}
