import { retryTransient } from '@liaison/core';
import {
  kvKeySubject,
  kvStreamName,
  RETENTION_BUCKET,
  retentionBucketOptions,
  type TopologySettings,
} from '@liaison/topology';
import { DeliverPolicy, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { z } from 'zod';
import { idleGuard } from './idle-guard.js';

/**
 * The retention service's durable state, in its own KV bucket (`LIAISON_RETENTION`),
 * metadata only:
 *
 * - `cursor` — the last FEED sequence indexed, and the days that still hold due entries;
 * - `due.<yyyymmdd>.<feed seq>` — one FEED copy still to remove, filed under the day its
 *   time in the exchange ends (what its erasure entry records: digests, class, code);
 * - `copy.<notice>.<recipient>.<feed seq>` — where that copy's due entry is, so that a
 *   later rectification or erasure request finds it without reading FEED again;
 * - `ledger.<yyyymmdd>.<notice>` — a delivery-ledger record to delete that day.
 *
 * Done entries are deleted as messages (`MSG.DELETE` on the bucket's stream), so no
 * tombstones pile up.
 */
const DueSchema = z.object({
  seq: z.number().int().positive(),
  noticeId: z.string(),
  sender: z.string(),
  recipient: z.string(),
  headerSha256: z.string(),
  envelopeSha256: z.string(),
  class: z.string(),
  code: z.string(),
  endsAt: z.number(),
  amendmentId: z.string().optional(),
  copyKey: z.string(),
});
export type DueEntry = z.infer<typeof DueSchema>;

const LedgerDueSchema = z.object({
  noticeId: z.string(),
  sender: z.string(),
  headerSha256: z.string(),
  class: z.string(),
  endsAt: z.number(),
});
export type LedgerDue = z.infer<typeof LedgerDueSchema>;

const CopySchema = z.object({ dueKey: z.string(), seq: z.number().int().positive() });
const CursorSchema = z.object({
  seq: z.number().int().nonnegative(),
  dueDays: z.array(z.string()),
  ledgerDays: z.array(z.string()),
});
export type Cursor = z.infer<typeof CursorSchema>;

/** A stored entry with the sequence of the message that holds it (to delete it by). */
export interface Stored<T> {
  key: string;
  stateSeq: number;
  value: T;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const KEY_TOKEN = /^[-_=a-zA-Z0-9]+$/;

/** A key token from an id (notice ids and agency ids pass as they are; anything else is hex). */
export const token = (id: string) => (KEY_TOKEN.test(id) ? id : `x${Buffer.from(id).toString('hex')}`);
/** The UTC day a time falls on, as a key token. */
export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10).replaceAll('-', '');

export class RetentionState {
  private readonly stream = kvStreamName(RETENTION_BUCKET);

  private constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
  ) {}

  /** Opens the bucket, creating it if missing. */
  static async open(
    nc: NatsConnection,
    js: JetStreamClient,
    settings: Pick<TopologySettings, 'replicas'>,
  ): Promise<RetentionState> {
    await retryTransient(() => new Kvm(nc).create(RETENTION_BUCKET, retentionBucketOptions(settings)));
    return new RetentionState(js, await js.jetstreamManager());
  }

  async cursor(): Promise<Cursor> {
    const m = await this.get('cursor');
    const parsed = m ? CursorSchema.safeParse(m.value) : undefined;
    return parsed?.success ? parsed.data : { seq: 0, dueDays: [], ledgerDays: [] };
  }

  saveCursor(c: Cursor): Promise<void> {
    return this.put('cursor', c);
  }

  /** Files a copy's due entry (and where to find it by notice and recipient); returns its key. */
  async putDue(e: Omit<DueEntry, 'copyKey'>, target: string): Promise<string> {
    const copyKey = `copy.${token(target)}.${token(e.recipient)}.${e.seq}`;
    const dueKey = `due.${dayOf(e.endsAt)}.${e.seq}`;
    await this.put(dueKey, { ...e, copyKey });
    await this.put(copyKey, { dueKey, seq: e.seq });
    return dueKey;
  }

  /** Moves a copy's due entry to another day (a provider's amendment makes it due now). */
  async refile(
    old: Stored<DueEntry>,
    change: Pick<DueEntry, 'code' | 'endsAt' | 'amendmentId'>,
  ): Promise<void> {
    const dueKey = `due.${dayOf(change.endsAt)}.${old.value.seq}`;
    if (dueKey === old.key && old.value.code === change.code) return;
    // Written before the old one goes: a crash in between leaves two entries for one copy,
    // and the second finds the message gone (its erasure entry is deduplicated or harmless).
    await this.put(dueKey, { ...old.value, ...change });
    await this.put(old.value.copyKey, { dueKey, seq: old.value.seq });
    if (dueKey !== old.key) await this.remove(old.stateSeq);
  }

  putLedger(e: LedgerDue): Promise<void> {
    return this.put(`ledger.${dayOf(e.endsAt)}.${token(e.noticeId)}`, e);
  }

  /** The copies filed for one notice and recipient (to amend). */
  async copiesOf(target: string, recipient: string): Promise<Stored<DueEntry>[]> {
    const out: Stored<DueEntry>[] = [];
    for (const c of await this.list(`copy.${token(target)}.${token(recipient)}.>`, CopySchema)) {
      const due = await this.get(c.value.dueKey);
      const parsed = due ? DueSchema.safeParse(due.value) : undefined;
      if (due && parsed?.success) out.push({ key: c.value.dueKey, stateSeq: due.seq, value: parsed.data });
    }
    return out;
  }

  dueOn(day: string): Promise<Stored<DueEntry>[]> {
    return this.list(`due.${day}.>`, DueSchema);
  }

  ledgerOn(day: string): Promise<Stored<LedgerDue>[]> {
    return this.list(`ledger.${day}.>`, LedgerDueSchema);
  }

  /** Deletes a done due entry and its copy pointer. */
  async done(e: Stored<DueEntry>): Promise<void> {
    const copy = await this.get(e.value.copyKey);
    if (copy) await this.remove(copy.seq);
    await this.remove(e.stateSeq);
  }

  async remove(stateSeq: number): Promise<void> {
    await retryTransient(() => this.jsm.streams.deleteMessage(this.stream, stateSeq, false)).catch((err) => {
      if (!/no message found|not found/i.test(String(err))) throw err;
    });
  }

  private async put(key: string, value: unknown): Promise<void> {
    await retryTransient(() =>
      this.js.publish(kvKeySubject(RETENTION_BUCKET, key), encoder.encode(JSON.stringify(value))),
    );
  }

  private async get(key: string): Promise<{ seq: number; value: unknown } | undefined> {
    const m = await retryTransient(() =>
      this.jsm.streams.getMessage(this.stream, { last_by_subj: kvKeySubject(RETENTION_BUCKET, key) }),
    );
    if (!m || m.data.length === 0) return undefined;
    try {
      return { seq: m.seq, value: JSON.parse(decoder.decode(m.data)) };
    } catch {
      return undefined;
    }
  }

  /** Every entry under a key filter: the subjects first (paged by the server), then one ordered read. */
  private async list<T>(filter: string, schema: z.ZodType<T>): Promise<Stored<T>[]> {
    const subject = kvKeySubject(RETENTION_BUCKET, filter);
    const info = await retryTransient(() => this.jsm.streams.info(this.stream, { subjects_filter: subject }));
    const expected = Object.keys(info.state.subjects ?? {}).length;
    if (expected === 0) return [];
    const prefix = kvKeySubject(RETENTION_BUCKET, '').length;
    const out: Stored<T>[] = [];
    const consumer = await this.js.consumers.get(this.stream, {
      filter_subjects: subject,
      deliver_policy: DeliverPolicy.All,
    });
    const messages = await consumer.consume({ max_messages: 1000 });
    const idle = idleGuard(() => void messages.close());
    let seen = 0;
    try {
      for await (const m of messages) {
        idle.touch();
        seen++;
        try {
          const parsed = schema.safeParse(JSON.parse(decoder.decode(m.data)));
          if (parsed.success) out.push({ key: m.subject.slice(prefix), stateSeq: m.seq, value: parsed.data });
        } catch {
          // not JSON: nobody but this service writes here; skipped
        }
        if (seen >= expected || (m.info.pending ?? 0) === 0) break;
      }
    } finally {
      idle.clear();
      await messages.close();
    }
    return out;
  }
}
