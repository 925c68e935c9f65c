import type { Logger } from '@liaison/core';
import type { Subjects } from '@liaison/topology';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Outcome } from './process-submission.js';
import { storedReceipts } from './receipts-query.js';

const enc = new TextEncoder();

/** A compact JWS's payload, unverified: the gate reads back a receipt it signed itself. */
function payloadOf(jws: string): { type?: string; status?: string } | undefined {
  try {
    return JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString());
  } catch {
    return undefined;
  }
}

/**
 * The same signed envelope again, in a new intake message: a sender's retry that came
 * after INTAKE's duplicate window (a site's forwarder that never saw the first PubAck,
 * docs/decisions/0013). Nothing is delivered or audited a second time; the sender gets
 * the original submission receipt again, on the same subject and message id, so a
 * waiting publish resolves with the answer the first submission got — never REPLAYED.
 * If the first is still being processed (no receipt stored yet), its own receipt follows.
 */
export async function answerResubmission(
  d: { js: JetStreamClient; subjects: Subjects; logger: Logger },
  nc: NatsConnection,
  sender: string,
  noticeId: string,
  intakeSeq: number,
): Promise<Outcome> {
  const stored = await storedReceipts(nc, d.subjects, sender, noticeId);
  const original = stored.find((jws) => payloadOf(jws)?.type === 'submission');
  if (original)
    await d.js.publish(d.subjects.receipt(sender, noticeId), enc.encode(original), {
      msgID: `${noticeId}/receipt`,
    });
  d.logger.info(
    { noticeId, sender, intakeSeq, answered: original !== undefined },
    'the same envelope submitted again; its original receipt stands',
  );
  return { status: 'resubmitted', noticeId };
}
