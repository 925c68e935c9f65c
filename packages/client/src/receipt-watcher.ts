import { DeliverPolicy, type JetStreamClient } from '@nats-io/jetstream';
import { ClientError } from './errors.js';

/**
 * Follows this agency's receipt subjects from "now" with an ordered consumer and
 * hands each submission receipt to whoever waits for that notice id.
 */
export class ReceiptWatcher {
  private readonly waiters = new Map<string, (jws: string) => void>();
  private readonly early = new Map<string, string>();
  private closer: (() => Promise<void>) | undefined;

  private constructor(private readonly js: JetStreamClient) {}

  static async start(js: JetStreamClient, filter: string): Promise<ReceiptWatcher> {
    const w = new ReceiptWatcher(js);
    const consumer = await js.consumers.get('RECEIPTS', {
      filter_subjects: filter,
      deliver_policy: DeliverPolicy.New,
    });
    const messages = await consumer.consume();
    w.closer = () => messages.close().then(() => undefined);
    void (async () => {
      for await (const m of messages) {
        const noticeId = m.subject.slice(m.subject.lastIndexOf('.') + 1);
        const waiter = w.waiters.get(noticeId);
        const jws = m.string();
        if (!jws.includes('.')) continue;
        if (waiter) waiter(jws);
        else if (w.early.size < 1000) w.early.set(noticeId, jws);
      }
    })();
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
    const consumer = await this.js.consumers.get('RECEIPTS', {
      filter_subjects: subject,
      deliver_policy: DeliverPolicy.All,
    });
    const out: string[] = [];
    const info = await consumer.info(true);
    let left = info.num_pending;
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
