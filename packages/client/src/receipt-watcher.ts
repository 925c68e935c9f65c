import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { askGate } from './ask-gate.js';
import { ClientError } from './errors.js';

const enc = new TextEncoder();

/** The `type` of a compact-JWS receipt's payload, unverified (the caller verifies what it keeps). */
function typeOf(jws: string): string | undefined {
  try {
    return (JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString()) as { type?: string })
      .type;
  } catch {
    return undefined;
  }
}

/**
 * Follows this agency's receipts as the gate publishes them — a plain subscription
 * to the receipt subjects its account imports, no consumer — and hands each
 * submission receipt to whoever waits for that notice id. What a moment without a
 * connection made it miss, and every receipt stored so far, it asks the gate for
 * (`receiptsQuery`): agencies never create, inspect or delete a consumer.
 */
export class ReceiptWatcher {
  /** Who waits for which notice's receipt (several may: a publish and a later look-up). */
  private readonly waiters = new Map<string, Set<(jws: string) => void>>();
  private readonly early = new Map<string, string>();
  private sub: Subscription | undefined;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly query: string,
  ) {}

  static async start(nc: NatsConnection, receipts: string, query: string): Promise<ReceiptWatcher> {
    const w = new ReceiptWatcher(nc, query);
    w.sub = nc.subscribe(receipts, {
      callback: (err, m) => {
        if (err) return;
        const jws = m.string();
        if (typeOf(jws) !== 'submission') return;
        const noticeId = m.subject.slice(m.subject.lastIndexOf('.') + 1);
        const waiting = w.waiters.get(noticeId);
        if (waiting?.size) for (const waiter of [...waiting]) waiter(jws);
        else if (w.early.size < 1000) w.early.set(noticeId, jws);
      },
    });
    // The subscription is in place at the server before anyone publishes and waits.
    await nc.flush();
    return w;
  }

  /** The gate's submission receipt for a notice (waits up to `timeoutMs`, then asks the gate once). */
  waitFor(noticeId: string, timeoutMs: number): Promise<string> {
    const ready = this.early.get(noticeId);
    if (ready) {
      this.early.delete(noticeId);
      return Promise.resolve(ready);
    }
    return new Promise((resolve, reject) => {
      const waiting = this.waiters.get(noticeId) ?? new Set();
      this.waiters.set(noticeId, waiting);
      const forget = () => {
        waiting.delete(waiter);
        if (waiting.size === 0 && this.waiters.get(noticeId) === waiting) this.waiters.delete(noticeId);
      };
      const timer = setTimeout(() => {
        forget();
        this.history(noticeId)
          .then((all) => all.find((jws) => typeOf(jws) === 'submission'))
          .catch(() => undefined)
          .then((jws) =>
            jws
              ? resolve(jws)
              : reject(
                  new ClientError('RECEIPT_TIMEOUT', `no receipt for ${noticeId} within ${timeoutMs} ms`),
                ),
          );
      }, timeoutMs);
      const waiter = (jws: string) => {
        clearTimeout(timer);
        forget();
        resolve(jws);
      };
      waiting.add(waiter);
    });
  }

  /** Every receipt stored for one of this agency's notices, as the gate reads them back. */
  async history(noticeId: string): Promise<string[]> {
    const text = await askGate(this.nc, this.query, enc.encode(JSON.stringify({ noticeId })), {
      attemptMs: 10_000,
      totalMs: 20_000,
    });
    const answer = JSON.parse(text) as { receipts?: string[]; error?: { code: string } };
    if (!answer.receipts)
      throw new ClientError('RECEIPTS_FAILED', `the gate refused the receipts query: ${answer.error?.code}`, {
        cause: answer.error,
      });
    return answer.receipts;
  }

  async stop(): Promise<void> {
    this.sub?.unsubscribe();
  }
}
