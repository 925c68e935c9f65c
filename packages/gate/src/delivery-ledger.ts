import type { KV } from '@nats-io/kv';
import { z } from 'zod';
import { GateError } from './errors.js';

/**
 * What the gate delivered for one notice: enough to check a read receipt against, and
 * (wire 1.2) the signed header, its signature and the audience (base64), so that a
 * reply or forward is checked against the notice it names (docs/conversations.md).
 */
const LedgerRecordSchema = z.object({
  sender: z.string(),
  headerSha256: z.string().regex(/^[0-9a-f]{64}$/),
  recipients: z.array(z.string()),
  header: z.string().optional(),
  headerSignature: z.string().optional(),
  audience: z.string().optional(),
});
export type LedgerRecord = z.infer<typeof LedgerRecordSchema>;

/**
 * As stored: the intake message that claimed the notice id, what it delivered, and
 * per recipient the ack message (its `ACKS` sequence) whose read receipt was relayed.
 */
const StoredSchema = LedgerRecordSchema.extend({
  intakeSeq: z.number().int().nonnegative(),
  reads: z.record(z.string(), z.number().int().nonnegative()).optional(),
});
type Stored = z.infer<typeof StoredSchema>;

/** A read receipt's claim: this recipient read this notice of this sender, with this header. */
export interface ReadClaim {
  sender: string;
  recipient: string;
  headerSha256: string;
}

/**
 * What to do with a read receipt: relay it (the first for its notice and recipient, or
 * the same ack message again after a crash), drop it as a repeat, or refuse it.
 */
export type ReadVerdict = 'relay' | 'repeat' | 'not-delivered';

/** Attempts at a compare-and-set before the caller is told to retry later (nak). */
const CAS_ATTEMPTS = 8;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function parse(value: Uint8Array): Stored | undefined {
  try {
    const parsed = StoredSchema.safeParse(JSON.parse(decoder.decode(value)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // not JSON: nobody but the gate writes here, but never trust it blindly
  }
}

/**
 * One record per notice id, kept as long as the feeds keep deliveries (a KV bucket
 * with the feed's age limit). It is written once, atomically (a KV create), before
 * anything is signed or delivered, and serves twice:
 *
 * - **replay guard**: the first intake message to claim a notice id owns it; the same
 *   message redelivered after a crash is not a replay, any other message is
 *   (`REPLAYED`), across every gate instance;
 * - **delivery ledger**: the gate relays a read receipt only for a notice it delivered
 *   to that recipient, from that sender, with that header — a recipient cannot tell a
 *   sender it read something it never received, nor send receipts to agencies it has
 *   no notice from.
 *
 * One write per submission instead of two (claim, then ledger): the recipients are
 * decided before the claim.
 *
 * - **read once**: the first read receipt of a recipient for a notice is marked in the
 *   same record by a compare-and-set on its KV revision; only that one is relayed and
 *   audited, by whichever gate instance wins. Later ones are dropped.
 */
export class DeliveryLedger {
  constructor(private readonly kv: KV) {}

  async claim(noticeId: string, intakeSeq: number, r: LedgerRecord): Promise<void> {
    const record: Stored = { ...r, intakeSeq };
    try {
      await this.kv.create(noticeId, encoder.encode(JSON.stringify(record)));
      return;
    } catch (err) {
      const existing = await this.kv.get(noticeId);
      if (existing?.operation !== 'PUT') throw err; // not a "key exists" conflict: let the caller retry
      const prior = parse(existing.value);
      if (prior?.intakeSeq !== intakeSeq) {
        // The same sender's same signed header: a retry of the same envelope (after the
        // intake's duplicate window), not a replay — its first answer stands.
        if (prior?.sender === r.sender && prior.headerSha256 === r.headerSha256)
          throw new GateError('RESUBMITTED', 'this envelope was already submitted');
        throw new GateError('REPLAYED', 'this notice id was already submitted');
      }
      // The same intake message again, after a crash: the policy may have changed in
      // between, so the ledger keeps every recipient that either attempt delivered to.
      const recipients = [...new Set([...prior.recipients, ...r.recipients])];
      if (recipients.length === prior.recipients.length) return;
      await this.kv.update(
        noticeId,
        encoder.encode(JSON.stringify({ ...prior, recipients })),
        existing.revision,
      );
    }
  }

  /**
   * Decides a read receipt against the record and, if it is the first of its recipient,
   * marks it (compare-and-set on the record's revision, so two gates handling two
   * receipts of the same recipient at once cannot both relay). `ackSeq` is the receipt's
   * message in `ACKS`: the same message redelivered after a crash is relayed again
   * (its publishes are idempotent), any other one is a repeat.
   */
  async claimRead(noticeId: string, claim: ReadClaim, ackSeq: number): Promise<ReadVerdict> {
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const entry = await this.kv.get(noticeId);
      const stored = entry?.operation === 'PUT' ? parse(entry.value) : undefined;
      if (
        !entry ||
        !stored ||
        stored.sender !== claim.sender ||
        stored.headerSha256 !== claim.headerSha256 ||
        !stored.recipients.includes(claim.recipient)
      )
        return 'not-delivered';
      const first = stored.reads?.[claim.recipient];
      if (first !== undefined) return first === ackSeq ? 'relay' : 'repeat';
      const next: Stored = { ...stored, reads: { ...stored.reads, [claim.recipient]: ackSeq } };
      try {
        await this.kv.update(noticeId, encoder.encode(JSON.stringify(next)), entry.revision);
        return 'relay';
      } catch {
        // Another write came first (another read receipt, a redelivered claim): read again.
      }
    }
    throw new Error('the delivery ledger record kept changing; retry later');
  }

  async lookup(noticeId: string): Promise<LedgerRecord | undefined> {
    const entry = await this.kv.get(noticeId);
    if (entry?.operation !== 'PUT') return undefined;
    const stored = parse(entry.value);
    if (!stored) return undefined;
    const { intakeSeq: _seq, reads: _reads, ...record } = stored;
    return record;
  }
}
