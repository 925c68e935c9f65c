import type { LiaisonClient, ReceiptTarget } from '@liaison/client';
import type { Logger } from '@liaison/core';
import type { ReaderRef } from '@liaison/envelope';
import type { Inbox } from './inbox.js';
import { toStored } from './stored-notice.js';

/** How often read receipts that could not be sent (the exchange unreachable) are retried. */
const RETRY_OWED_MS = 30_000;

/**
 * Reads the agency's feed through the SDK into the inbox and acknowledges each
 * delivery as soon as it is stored (`settle`: no read receipt), so JetStream neither
 * redelivers it nor counts it against the consumer's `max_ack_pending`. The signed
 * read receipt is a separate statement, sent when an officer first opens the notice
 * (`receiptFor`), naming the access-log entry of that consultation; one that could
 * not be sent then is retried at start and every 30 s.
 */
export class FeedFollower {
  constructor(
    private readonly client: LiaisonClient,
    private readonly inbox: Inbox,
    private readonly logger: Logger,
    private readonly readerOf: (noticeId: string) => ReaderRef | undefined,
  ) {}

  async run(signal: AbortSignal): Promise<void> {
    await this.sendOwed();
    const timer = setInterval(() => void this.sendOwed(), RETRY_OWED_MS);
    try {
      for await (const item of this.client.feed({ signal })) {
        this.keep(item.notice, Date.now());
        await item.settle();
        if (signal.aborted) break;
      }
    } finally {
      clearInterval(timer);
    }
  }

  /**
   * Stores what the exchange still holds for the agency since a time (the feed's
   * retention), e.g. for a new station or after its database was restored: each
   * delivery verified by the SDK like a live one, stored once by notice id.
   */
  async replay(since: number, signal?: AbortSignal): Promise<{ seen: number; stored: number }> {
    let seen = 0;
    let stored = 0;
    for await (const r of this.client.replay({ since, ...(signal ? { signal } : {}) })) {
      seen++;
      if (this.keep(r.notice, r.storedAt)) stored++;
    }
    this.logger.info({ since: new Date(since).toISOString(), seen, stored }, 'feed replayed');
    return { seen, stored };
  }

  private keep(notice: Parameters<typeof toStored>[0], receivedAt: number): boolean {
    const fresh = this.inbox.store(toStored(notice), receivedAt);
    if (fresh)
      this.logger.info(
        { noticeId: notice.noticeId, kind: notice.kind, priority: notice.markings.priority },
        'delivery stored',
      );
    return fresh;
  }

  /** Sends the read receipt of an opened notice, naming the consultation's access-log entry. */
  async receiptFor(noticeId: string): Promise<boolean> {
    const line = this.inbox.entry(noticeId);
    if (line.receiptSentAt !== undefined || line.firstOpenedAt === undefined) return false;
    const n = this.inbox.read(noticeId);
    const target: ReceiptTarget = { noticeId, sender: n.sender, headerSha256: n.provenance.headerSha256 };
    const reader = this.readerOf(noticeId);
    try {
      await this.client.sendReadReceipt(target, {
        readAt: line.firstOpenedAt,
        ...(reader ? { reader } : {}),
      });
      this.inbox.markReceiptSent(noticeId);
      this.logger.info({ noticeId }, 'read receipt sent');
      return true;
    } catch (err) {
      this.logger.warn({ noticeId, err: String(err) }, 'read receipt not sent yet; retried');
      return false;
    }
  }

  private async sendOwed(): Promise<void> {
    for (const id of this.inbox.receiptsOwed()) await this.receiptFor(id);
  }
}
