import type { KV } from '@nats-io/kv';
import { GateError } from './errors.js';

/**
 * Remembers which intake message first claimed each notice id (a KV create is
 * atomic across gate instances). The same message redelivered after a crash is
 * not a replay; another message with a seen id is. Entries live longer than the
 * freshness window, after which a replay is refused as STALE anyway.
 */
export class ReplayGuard {
  constructor(private readonly kv: KV) {}

  async claim(noticeId: string, intakeSeq: number): Promise<void> {
    try {
      await this.kv.create(noticeId, new TextEncoder().encode(String(intakeSeq)));
      return;
    } catch (err) {
      const existing = await this.kv.get(noticeId);
      if (!existing) throw err; // not a "key exists" conflict: let the caller retry
      if (existing.string() !== String(intakeSeq))
        throw new GateError('REPLAYED', 'this notice id was already submitted');
    }
  }
}
