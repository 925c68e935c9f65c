import { createLogger, type Logger, retryTransient } from '@liaison/core';
import type { AgencyKeys } from '@liaison/envelope';
import { DEFAULT_TOPOLOGY, STREAMS, type TopologySettings } from '@liaison/topology';
import { DeliverPolicy, type JetStreamClient, type JetStreamManager, jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { amendmentRemoval, amendmentTargetOf, scheduledRemoval } from './decide-removal.js';
import { ErasureRecorder } from './erasure-recorder.js';
import { type FeedCopy, feedCopyOf } from './feed-copies.js';
import { idleGuard } from './idle-guard.js';
import { deleteLedgerRecord } from './ledger-records.js';
import { type Cursor, dayOf, RetentionState } from './retention-state.js';

export interface RetentionOptions {
  nc: NatsConnection;
  /** The retention identity's keys (it signs every erasure entry it records). */
  keys: AgencyKeys;
  settings?: Partial<Pick<TopologySettings, 'prefix' | 'feedMaxAgeDays' | 'replicas'>>;
  logger?: Logger;
  /** The clock (tests move it months ahead instead of waiting). */
  now?: () => number;
}

export interface SweepReport {
  /** New FEED messages read (past the cursor). */
  examined: number;
  /** The FEED sequence indexed up to, after this sweep (the cursor). */
  cursor: number;
  /** Copies removed, with why. */
  removed: { noticeId: string; recipient: string; seq: number; code: string }[];
  /** Delivery-ledger records deleted at the end of their notice's class. */
  ledgerRemoved: string[];
  /** Messages that do not decode as deliveries (left in place, logged once). */
  undecodable: number;
}

/**
 * The retention service: the one identity that may delete a FEED message (and a
 * delivery-ledger record). Each sweep reads only what FEED received since its cursor
 * (cleartext headers and grants: it holds no key that opens content) and files, per
 * copy, when its time in the exchange ends (its class, the delivery window, a later
 * rectification or erasure request); then, for everything due, it records a signed
 * ERASURE entry through its audit outbox and deletes the message with `erase`.
 *
 * Crash safety, in order: index, then advance the cursor (a crash before re-reads the
 * same messages and files the same keys again); record, then delete, then drop the due
 * entry (a crash before the drop finds the message gone next time and completes; the
 * entry's message id makes the audit log drop a repeat within its duplicate window, and
 * a later repeat is a second record of the same erasure, which the auditor accepts).
 */
export class RetentionService {
  private readonly js: JetStreamClient;
  private readonly settings: Pick<TopologySettings, 'prefix' | 'feedMaxAgeDays' | 'replicas'>;
  private readonly logger: Logger;
  private readonly clock: () => number;
  private readonly recorder: ErasureRecorder;
  private state: Promise<RetentionState> | undefined;

  constructor(private readonly o: RetentionOptions) {
    this.settings = {
      prefix: o.settings?.prefix ?? DEFAULT_TOPOLOGY.prefix,
      feedMaxAgeDays: o.settings?.feedMaxAgeDays ?? DEFAULT_TOPOLOGY.feedMaxAgeDays,
      replicas: o.settings?.replicas ?? DEFAULT_TOPOLOGY.replicas,
    };
    this.js = jetstream(o.nc);
    this.logger = o.logger ?? createLogger('retention');
    this.clock = o.now ?? Date.now;
    this.recorder = new ErasureRecorder(this.js, o.keys, this.settings.prefix);
  }

  get id(): string {
    return this.o.keys.agency;
  }

  /** One pass at `now` (default: the service's clock): index what is new, then remove what is due. */
  async sweep(now = this.clock()): Promise<SweepReport> {
    this.state ??= RetentionState.open(this.o.nc, this.js, this.settings);
    const state = await this.state.catch((err) => {
      this.state = undefined;
      throw err;
    });
    const jsm = await this.js.jetstreamManager();
    const cursor = await state.cursor();
    const report: SweepReport = {
      examined: 0,
      cursor: cursor.seq,
      removed: [],
      ledgerRemoved: [],
      undecodable: 0,
    };
    await this.index(jsm, state, cursor, now, report);
    await state.saveCursor(cursor);
    report.cursor = cursor.seq;
    await this.removeDue(jsm, state, cursor, now, report);
    await this.removeLedger(jsm, state, cursor, now, report);
    await state.saveCursor(cursor);
    if (report.removed.length + report.ledgerRemoved.length > 0)
      this.logger.info(
        { removed: report.removed.length, ledger: report.ledgerRemoved.length, examined: report.examined },
        'feed swept',
      );
    return report;
  }

  /** Reads FEED past the cursor and files each copy (and its amendment's effect on older copies). */
  private async index(
    jsm: JetStreamManager,
    state: RetentionState,
    cursor: Cursor,
    now: number,
    report: SweepReport,
  ): Promise<void> {
    const info = await jsm.streams.info(STREAMS.feed);
    const last = info.state.last_seq;
    if (last <= cursor.seq || info.state.messages === 0) {
      cursor.seq = Math.max(cursor.seq, last);
      return;
    }
    // A short-lived ordered reader from the cursor on (its permissions deny the agencies' durables).
    const consumer = await this.js.consumers.get(STREAMS.feed, {
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: Math.max(cursor.seq + 1, info.state.first_seq),
    });
    const messages = await consumer.consume({ max_bytes: 4 * 1024 * 1024 });
    const idle = idleGuard(() => void messages.close());
    try {
      for await (const m of messages) {
        idle.touch();
        report.examined++;
        const copy = feedCopyOf(m.seq, m.subject, m.data, this.settings);
        if (copy) await this.file(state, cursor, copy, now);
        else {
          report.undecodable++;
          this.logger.warn({ seq: m.seq }, 'a FEED message that is not a delivery; left in place');
        }
        cursor.seq = m.seq;
        if (m.seq >= last || (m.info.pending ?? 0) === 0) break;
      }
    } finally {
      idle.clear();
      await messages.close();
    }
    // Nothing came (what was past the cursor was deleted meanwhile): the cursor stays, and
    // moves on with the next message FEED receives — never past one not yet read.
  }

  private async file(state: RetentionState, cursor: Cursor, copy: FeedCopy, now: number): Promise<void> {
    const amended = amendmentRemoval(copy, now);
    if (amended && copy.amendment)
      for (const older of await state.copiesOf(copy.amendment.noticeId, copy.recipient))
        if (older.value.seq < copy.seq) {
          await state.refile(older, { ...amended, amendmentId: amended.amendmentId });
          addDay(cursor.dueDays, dayOf(amended.endsAt));
        }
    const r = scheduledRemoval(copy);
    await state.putDue(
      {
        seq: copy.seq,
        noticeId: copy.noticeId,
        sender: copy.sender,
        recipient: copy.recipient,
        headerSha256: hex(copy.headerSha256),
        envelopeSha256: hex(copy.envelopeSha256),
        class: copy.schedule.class,
        code: r.code,
        endsAt: r.endsAt,
      },
      amendmentTargetOf(copy),
    );
    addDay(cursor.dueDays, dayOf(r.endsAt));
    const ledgerAt = copy.schedule.ledgerRemoveAt;
    if (ledgerAt !== undefined) {
      await state.putLedger({
        noticeId: copy.noticeId,
        sender: copy.sender,
        headerSha256: hex(copy.headerSha256),
        class: copy.schedule.class,
        endsAt: ledgerAt,
      });
      addDay(cursor.ledgerDays, dayOf(ledgerAt));
    }
  }

  private async removeDue(
    jsm: JetStreamManager,
    state: RetentionState,
    cursor: Cursor,
    now: number,
    report: SweepReport,
  ): Promise<void> {
    const today = dayOf(now);
    for (const day of [...cursor.dueDays].sort()) {
      if (day > today) break;
      let left = 0;
      for (const e of (await state.dueOn(day)).sort((a, b) => a.value.seq - b.value.seq)) {
        if (e.value.endsAt > now) {
          left++;
          continue;
        }
        await this.recorder.recordCopy(e.value, now);
        await retryTransient(() => jsm.streams.deleteMessage(STREAMS.feed, e.value.seq, true)).catch(
          (err) => {
            // Already gone (a sweep that crashed after deleting): the erasure is recorded.
            if (!notFound(err)) throw err;
          },
        );
        await state.done(e);
        const { noticeId, recipient, seq, code } = e.value;
        report.removed.push({ noticeId, recipient, seq, code });
      }
      if (left === 0 && day < today) removeDay(cursor.dueDays, day);
    }
  }

  private async removeLedger(
    jsm: JetStreamManager,
    state: RetentionState,
    cursor: Cursor,
    now: number,
    report: SweepReport,
  ): Promise<void> {
    const today = dayOf(now);
    for (const day of [...cursor.ledgerDays].sort()) {
      if (day > today) break;
      let left = 0;
      for (const e of await state.ledgerOn(day)) {
        if (e.value.endsAt > now) {
          left++;
          continue;
        }
        await this.recorder.recordLedger(e.value, now);
        await deleteLedgerRecord(jsm, e.value.noticeId);
        await state.remove(e.stateSeq);
        report.ledgerRemoved.push(e.value.noticeId);
      }
      if (left === 0 && day < today) removeDay(cursor.ledgerDays, day);
    }
  }
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const notFound = (err: unknown) => /no message found|not found/i.test(String(err));
function addDay(days: string[], day: string): void {
  if (!days.includes(day)) days.push(day);
}
function removeDay(days: string[], day: string): void {
  const i = days.indexOf(day);
  if (i >= 0) days.splice(i, 1);
}
