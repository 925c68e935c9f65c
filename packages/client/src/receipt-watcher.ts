import { randomBytes } from 'node:crypto';
import { ensureConsumer } from '@liaison/core';
import { receiptConsumerName, STREAMS } from '@liaison/topology';
import { AckPolicy, type Consumer, DeliverPolicy } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { ClientError } from './errors.js';

/**
 * Follows this agency's receipt subjects from "now" and hands each receipt to
 * whoever waits for that notice id. It uses plain ephemeral pull consumers whose
 * filter is part of the create request's subject (so the broker can pin it to the
 * agency's own receipts) — no stream-level API, which would show other agencies'
 * subjects.
 */
export class ReceiptWatcher {
  private readonly waiters = new Map<string, (jws: string) => void>();
  private readonly early = new Map<string, string>();
  private closer: (() => Promise<void>) | undefined;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly agency: string,
  ) {}

  /** An ephemeral consumer of this agency's receipts (created and opened riding out elections). */
  private ephemeral(filter: string, deliver: DeliverPolicy): Promise<Consumer> {
    return ensureConsumer(this.nc, STREAMS.receipts, {
      name: receiptConsumerName(this.agency, randomBytes(6).toString('hex')),
      filter_subject: filter,
      deliver_policy: deliver,
      ack_policy: AckPolicy.None,
      inactive_threshold: 60_000_000_000,
    });
  }

  static async start(nc: NatsConnection, agency: string, filter: string): Promise<ReceiptWatcher> {
    const w = new ReceiptWatcher(nc, agency);
    const messages = await (await w.ephemeral(filter, DeliverPolicy.New)).consume();
    w.closer = () => messages.close().then(() => undefined);
    (async () => {
      for await (const m of messages) {
        const noticeId = m.subject.slice(m.subject.lastIndexOf('.') + 1);
        const waiter = w.waiters.get(noticeId);
        const jws = m.string();
        if (!jws.includes('.')) continue;
        if (waiter) waiter(jws);
        else if (w.early.size < 1000) w.early.set(noticeId, jws);
      }
    })().catch(() => undefined); // the connection closed: waiters time out on their own
    return w;
  }

  /** The first receipt published for a notice id (waits up to `timeoutMs`). */
  waitFor(noticeId: string, timeoutMs: number): Promise<string> {
    const ready = this.early.get(noticeId);
    if (ready) {
      this.early.delete(noticeId);
      return Promise.resolve(ready);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(noticeId);
        reject(new ClientError('RECEIPT_TIMEOUT', `no receipt for ${noticeId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.set(noticeId, (jws) => {
        clearTimeout(timer);
        this.waiters.delete(noticeId);
        resolve(jws);
      });
    });
  }

  /** Every receipt stored on one subject so far. */
  async history(subject: string): Promise<string[]> {
    const consumer = await this.ephemeral(subject, DeliverPolicy.All);
    const out: string[] = [];
    let left = (await consumer.info(true)).num_pending;
    if (left === 0) return out;
    const batch = await consumer.fetch({ max_messages: left, expires: 2000 });
    for await (const m of batch) {
      out.push(m.string());
      if (--left === 0) break;
    }
    return out;
  }

  async stop(): Promise<void> {
    await this.closer?.();
  }
}
