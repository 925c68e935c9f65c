import { type KeyResolver, verifyReceipt } from '@liaison/envelope';
import type { ReceiptStatus } from './types.js';

/**
 * Delivered / read per recipient, folded from the receipts stored for one of this
 * agency's notices: the gate's submission receipt (level per recipient) and each
 * recipient's signed read receipt (its read time, the reader's access-log entry, and an
 * amendment's `applied` confirmation). A receipt that does not verify counts for nothing.
 */
export async function receiptStatus(
  receipts: readonly string[],
  sender: string,
  resolve: KeyResolver,
): Promise<ReceiptStatus[]> {
  const status = new Map<string, ReceiptStatus>();
  for (const jws of receipts) {
    const { receipt } = await verifyReceipt(jws, resolve).catch(() => ({ receipt: undefined }));
    if (receipt?.type === 'submission')
      for (const r of receipt.recipients)
        status.set(r.recipient, { ...status.get(r.recipient), recipient: r.recipient, level: r.level });
    if (receipt?.type === 'read' && receipt.sender === sender) {
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
