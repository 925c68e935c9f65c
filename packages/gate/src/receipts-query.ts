import { STREAMS, type Subjects } from '@liaison/topology';
import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { z } from 'zod';

/** What a publisher asks for: the receipts stored for one of its notices. */
export const ReceiptsQuerySchema = z.object({ noticeId: z.string().uuid() }).strict();

/** More than any notice's fan-out: a query never reads without end. */
const MAX_RECEIPTS = 10_000;

/**
 * Reads back, for the agency a receipts query came from, every receipt stored on
 * one of its notices' receipt subjects (the submission receipt and the relayed read
 * receipts, each signed by whoever made it): through a short-lived ordered reader of
 * the gate's own, so agencies never hold a consumer of RECEIPTS.
 */
export async function storedReceipts(
  nc: NatsConnection,
  subjects: Subjects,
  agency: string,
  noticeId: string,
): Promise<string[]> {
  const js = jetstream(nc);
  const consumer = await js.consumers.get(STREAMS.receipts, {
    filter_subjects: subjects.receipt(agency, noticeId),
    deliver_policy: DeliverPolicy.All,
  });
  const out: string[] = [];
  let left = (await consumer.info(true)).num_pending;
  if (left === 0) return out;
  const batch = await consumer.fetch({ max_messages: Math.min(left, MAX_RECEIPTS), expires: 2000 });
  for await (const m of batch) {
    out.push(m.string());
    if (--left === 0 || out.length >= MAX_RECEIPTS) break;
  }
  return out;
}
