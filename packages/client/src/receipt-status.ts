import { type KeyResolver, verifyReceipt } from '@liaison/envelope';
import type { ReceiptStatus } from './types.js';

/**
 * Folds the signed receipts stored for one notice into a status per recipient: the level
 * from the gate's submission receipt, the read time (and the reader's access-log entry,
 * and an amendment's `applied` confirmation) from each recipient's read receipt. A receipt
 * that does not verify is ignored.
 */
export async function statusOf(
  receipts: readonly string[],
  resolver: KeyResolver,
  agency: string,
): Promise<ReceiptStatus[]> {
  const status = new Map<string, ReceiptStatus>();
  for (const jws of receipts) {
    const { receipt } = await verifyReceipt(jws, resolver).catch(() => ({ receipt: undefined }));
    if (receipt?.type === 'submission')
      for (const r of receipt.recipients)
        status.set(r.recipient, { ...status.get(r.recipient), recipient: r.recipient, level: r.level });
    if (receipt?.type === 'read' && receipt.sender === agency) {
      status.set(receipt.recipient, {
        level: 'unknown',
        ...status.get(receipt.recipient),
        recipient: receipt.recipient,
        readAt: receipt.readAt,
        ...(receipt.reader ? { reader: receipt.reader } : {}),
        ...(receipt.applied ? { applied: receipt.applied } : {}),
      });
    }
  }
  return [...status.values()].sort((a, b) => a.recipient.localeCompare(b.recipient));
}
