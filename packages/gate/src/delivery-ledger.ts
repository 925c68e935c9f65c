import type { KV } from '@nats-io/kv';
import { z } from 'zod';

/** What the gate delivered for one notice: enough to check a read receipt against. */
const LedgerRecordSchema = z.object({
  sender: z.string(),
  headerSha256: z.string().regex(/^[0-9a-f]{64}$/),
  recipients: z.array(z.string()),
});
export type LedgerRecord = z.infer<typeof LedgerRecordSchema>;

/**
 * Which recipients each notice was delivered to, kept as long as the feeds keep
 * deliveries (a KV bucket with the feed's age limit). The gate relays a read
 * receipt only for a notice it delivered to that recipient, from that sender,
 * with that header: a recipient cannot tell a sender it read something it never
 * received, nor send receipts to agencies it has no notice from.
 */
export class DeliveryLedger {
  constructor(private readonly kv: KV) {}

  /** Idempotent: a redelivered submission writes the same record. */
  async record(noticeId: string, r: LedgerRecord): Promise<void> {
    await this.kv.put(noticeId, new TextEncoder().encode(JSON.stringify(r)));
  }

  async lookup(noticeId: string): Promise<LedgerRecord | undefined> {
    const entry = await this.kv.get(noticeId);
    if (entry?.operation !== 'PUT') return undefined;
    try {
      const parsed = LedgerRecordSchema.safeParse(entry.json());
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined; // not JSON: nobody but the gate writes here, but never trust it blindly
    }
  }
}
