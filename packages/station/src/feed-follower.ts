import type { FeedItem, LiaisonClient } from '@liaison/client';
import type { Logger } from '@liaison/core';
import type { Inbox } from './inbox.js';
import type { StationLifecycle } from './lifecycle/station-lifecycle.js';
import { toStored } from './stored-notice.js';

/**
 * Reads the agency's feed through the SDK into the inbox. A delivery is kept
 * unacknowledged until an officer opens the notice, because the SDK's `ack()` is
 * also the signed read receipt to the sender: a receipt must mean that a person
 * opened it, not that the station stored it. Meanwhile JetStream redelivers the
 * message after its ack wait; a redelivery is stored once (by notice id) and only
 * refreshes the handle to ack. A notice opened while its delivery is not at hand
 * (after a restart) is acknowledged as soon as it comes back.
 */
export class FeedFollower {
  private readonly handles = new Map<string, FeedItem>();

  constructor(
    private readonly client: LiaisonClient,
    private readonly inbox: Inbox,
    private readonly logger: Logger,
    private readonly lifecycle?: StationLifecycle,
  ) {}

  async run(signal: AbortSignal): Promise<void> {
    const owed = new Set(this.inbox.receiptsOwed());
    for await (const item of this.client.feed({ signal })) {
      const id = item.notice.noticeId;
      if (this.inbox.store(toStored(item.notice)))
        this.logger.info(
          { noticeId: id, kind: item.notice.kind, priority: item.notice.markings.priority },
          'delivery stored',
        );
      if (item.notice.amendment && this.lifecycle) {
        await this.applyAmendment(item);
        continue;
      }
      this.handles.set(id, item);
      if (owed.delete(id) || this.owesReceipt(id)) await this.receiptFor(id);
      if (signal.aborted) break;
    }
  }

  /**
   * A provider's rectification or erasure request is applied as it arrives (no officer
   * has to open it: the law asks the recipient to correct or erase), then acknowledged
   * with the signed confirmation of what was done (`applied` in the read receipt).
   */
  private async applyAmendment(item: FeedItem): Promise<void> {
    const a = item.notice.amendment!;
    const outcome = this.lifecycle!.applyAmendment(toStored(item.notice), a);
    this.logger.info(
      { noticeId: item.notice.noticeId, amends: a.noticeId, action: a.action, outcome: outcome.code },
      'amendment applied',
    );
    if (outcome.code === 'MISMATCH') {
      // Not the sender's notice, or another header: nothing applied, nothing confirmed.
      await item.ack().catch(() => undefined);
      return;
    }
    try {
      await item.ack({
        applied: {
          action: a.action,
          noticeId: a.noticeId,
          outcome: outcome.code === 'NOT_HELD' ? 'NOT_HELD' : outcome.code,
          at: Date.now(),
        },
      });
      this.inbox.markReceiptSent(item.notice.noticeId);
    } catch (err) {
      this.logger.warn({ err: String(err) }, 'amendment confirmation not sent yet; retried on redelivery');
    }
  }

  private owesReceipt(noticeId: string): boolean {
    const line = this.inbox.entry(noticeId);
    return line.firstOpenedAt !== undefined && line.receiptSentAt === undefined;
  }

  /** Sends the read receipt of a notice (and acks its delivery) if its delivery is at hand. */
  async receiptFor(noticeId: string): Promise<boolean> {
    const item = this.handles.get(noticeId);
    if (!item) return false;
    try {
      await item.ack();
      this.handles.delete(noticeId);
      this.inbox.markReceiptSent(noticeId);
      this.logger.info({ noticeId }, 'read receipt sent');
      return true;
    } catch (err) {
      this.logger.warn({ noticeId, err: String(err) }, 'read receipt not sent yet; retried on redelivery');
      return false;
    }
  }
}
