import { getRandomValues } from 'node:crypto';
import type { Db } from '../db.js';
import { StationError } from '../errors.js';
import { InboxCipher } from '../inbox-crypto.js';

export type KeySlot = 'content' | 'pnr-full';

const KEY_BYTES = 32;

/**
 * Per-notice data keys, wrapped under the inbox's data key. A row sealed before
 * per-notice keys existed has no key here and opens with the inbox key itself (such a
 * row is erased by overwriting it, which `secure_delete` makes real in the file).
 */
export class NoticeKeys {
  constructor(
    private readonly db: Db,
    private readonly inbox: InboxCipher,
    private readonly agency: string,
  ) {}

  /** The wrap's associated data names the slot and the notice, so a wrapped key cannot be moved. */
  private wrapId(noticeId: string, slot: KeySlot): string {
    return `key:${slot}:${noticeId}`;
  }

  /** Seals under a fresh key for this notice and slot (any earlier key of the slot is destroyed). */
  seal(
    noticeId: string,
    slot: KeySlot,
    plaintext: Uint8Array,
  ): { nonce: Uint8Array; ciphertext: Uint8Array } {
    const key = getRandomValues(new Uint8Array(KEY_BYTES));
    const wrapped = this.inbox.seal(this.wrapId(noticeId, slot), key);
    this.db
      .prepare(
        `INSERT INTO notice_keys (notice_id, slot, nonce, wrapped) VALUES (?, ?, ?, ?)
         ON CONFLICT(notice_id, slot) DO UPDATE SET nonce = excluded.nonce, wrapped = excluded.wrapped`,
      )
      .run(noticeId, slot, wrapped.nonce, wrapped.ciphertext);
    const sealed = new InboxCipher(key, this.agency).seal(noticeId, plaintext);
    key.fill(0);
    return sealed;
  }

  open(noticeId: string, slot: KeySlot, nonce: Uint8Array, ciphertext: Uint8Array): Uint8Array {
    const row = this.db
      .prepare('SELECT nonce, wrapped FROM notice_keys WHERE notice_id = ? AND slot = ?')
      .get(noticeId, slot) as { nonce: Uint8Array; wrapped: Uint8Array } | undefined;
    if (!row) {
      if (slot === 'content') return this.inbox.open(noticeId, nonce, ciphertext); // a row from before per-notice keys
      throw new StationError('ERASED', 'this content was erased');
    }
    const key = this.inbox.open(this.wrapId(noticeId, slot), row.nonce, row.wrapped);
    try {
      return new InboxCipher(key, this.agency).open(noticeId, nonce, ciphertext);
    } finally {
      key.fill(0);
    }
  }

  /** Whether the notice's content is under a key of its own (rows stored since per-notice keys). */
  has(noticeId: string, slot: KeySlot = 'content'): boolean {
    return !!this.db
      .prepare('SELECT 1 FROM notice_keys WHERE notice_id = ? AND slot = ?')
      .get(noticeId, slot);
  }

  /** Destroys the notice's keys (all slots): what they sealed can no longer be opened, anywhere. */
  destroy(noticeId: string): number {
    return this.db.prepare('DELETE FROM notice_keys WHERE notice_id = ?').run(noticeId).changes;
  }
}
