import { createHash } from 'node:crypto';
import type { Logger } from '@liaison/core';
import { UUID_PATTERN, verifyReceipt } from '@liaison/envelope';
import { type RegistrySnapshot, resolverOf } from '@liaison/registry';
import { lastToken, type Subjects } from '@liaison/topology';
import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { AuditEntryKind, type AuditWriter } from './audit.js';
import type { DeliveryLedger } from './delivery-ledger.js';

/**
 * Relays a recipient's signed read receipt to the sender: checks the signature
 * and that the recipient published it on its own ack subject and was delivered
 * that notice (the delivery ledger), records it in the audit log, and republishes
 * it on the sender's receipt subject — once per notice and recipient: later receipts
 * of the same recipient are acknowledged and dropped.
 */
export async function relayReadReceipt(
  m: JsMsg,
  snapshot: RegistrySnapshot,
  js: JetStreamClient,
  audit: AuditWriter,
  ledger: DeliveryLedger,
  subjects: Subjects,
  logger: Logger,
): Promise<void> {
  const jws = m.string();
  let verified: Awaited<ReturnType<typeof verifyReceipt>>;
  try {
    verified = await verifyReceipt(jws, resolverOf(snapshot));
  } catch (err) {
    logger.info({ code: (err as { code?: string }).code, seq: m.seq }, 'read receipt refused');
    m.term();
    return;
  }
  const r = verified.receipt;
  if (r.type !== 'read' || r.recipient !== lastToken(m.subject)) {
    logger.info({ seq: m.seq }, 'read receipt on the wrong subject refused');
    m.term();
    return;
  }
  // Only for a notice the gate delivered to this recipient, from that sender, with that
  // header; and only the first such receipt of this recipient for this notice.
  const verdict = UUID_PATTERN.test(r.noticeId)
    ? await ledger.claimRead(
        r.noticeId,
        { sender: r.sender, recipient: r.recipient, headerSha256: r.headerSha256 },
        m.seq,
      )
    : 'not-delivered';
  if (verdict === 'not-delivered') {
    logger.info(
      { code: 'NOT_DELIVERED', seq: m.seq },
      'read receipt for a notice not delivered to its signer refused',
    );
    m.term();
    return;
  }
  if (verdict === 'repeat') {
    // Acknowledged, neither relayed nor recorded: the sender and the audit log already
    // hold this recipient's first read receipt, and they must agree on it.
    logger.debug({ seq: m.seq }, 'repeated read receipt dropped');
    m.ack();
    return;
  }
  // Recorded, then relayed: the sender never holds a read receipt the audit log lacks.
  await audit.append(`${r.noticeId}/read/${r.recipient}`, {
    kind: AuditEntryKind.READ,
    atMs: BigInt(Date.now()),
    noticeId: r.noticeId,
    sender: r.sender,
    recipient: r.recipient,
    headerSha256: new Uint8Array(Buffer.from(r.headerSha256, 'hex')),
    readReceipt: jws,
  });
  await js.publish(subjects.receipt(r.sender, r.noticeId), new TextEncoder().encode(jws), {
    // Keyed by the receipt itself: the same ack message redelivered after a crash
    // is dropped by JetStream; that no other receipt of this recipient follows it is
    // the ledger's doing (above), beyond any duplicate window.
    msgID: `read/${r.noticeId}/${r.recipient}/${createHash('sha256').update(jws).digest('hex').slice(0, 16)}`,
  });
  m.ack();
}
