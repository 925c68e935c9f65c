import { retryTransient } from '@liaison/core';
import { DELIVERIES_BUCKET, kvKeySubject, kvStreamName } from '@liaison/topology';
import type { JetStreamManager } from '@nats-io/jetstream';

const LEDGER = kvStreamName(DELIVERIES_BUCKET);
/** The ledger keeps one value per notice; a few more revisions are tolerated, never looped on for ever. */
const MAX_REVISIONS = 64;

const notFound = (err: unknown) => /no message found|not found/i.test(String(err));

/**
 * Deletes one notice's delivery-ledger record (every revision of its key, `erase`: the
 * server overwrites it). Idempotent: a record already gone is done. The retention
 * service reads and deletes by sequence (`MSG.GET` / `MSG.DELETE` on the ledger's
 * stream); it has no right to write a record.
 */
export async function deleteLedgerRecord(jsm: JetStreamManager, noticeId: string): Promise<number> {
  let deleted = 0;
  for (let i = 0; i < MAX_REVISIONS; i++) {
    const m = await retryTransient(() =>
      jsm.streams.getMessage(LEDGER, { last_by_subj: kvKeySubject(DELIVERIES_BUCKET, noticeId) }),
    ).catch((err) => {
      if (notFound(err)) return null;
      throw err;
    });
    if (!m) return deleted;
    await retryTransient(() => jsm.streams.deleteMessage(LEDGER, m.seq, true)).catch((err) => {
      if (!notFound(err)) throw err;
    });
    deleted++;
  }
  return deleted;
}
