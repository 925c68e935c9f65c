import { createHash } from 'node:crypto';
import { AUDIT_ENTRY_DOMAIN, signErasureEntry } from '@liaison/audit-log';
import { createLogger, type Logger, retryTransient } from '@liaison/core';
import type { AgencyKeys } from '@liaison/envelope';
import { DEFAULT_TOPOLOGY, STREAMS, Subjects, type TopologySettings } from '@liaison/topology';
import { AuditBatchSchema, AuditEntryKind, AuditEntrySchema, create, toBinary } from '@liaison/wire';
import { DeliverPolicy, type JetStreamClient, type JetStreamManager, jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { collectAmendments, type Removal, removalOf } from './decide-removal.js';
import { type FeedCopy, feedCopyOf } from './feed-copies.js';

export interface RetentionOptions {
  nc: NatsConnection;
  /** The retention identity's keys (it signs every erasure entry it records). */
  keys: AgencyKeys;
  settings?: Partial<Pick<TopologySettings, 'prefix' | 'feedMaxAgeDays'>>;
  logger?: Logger;
  /** The clock (tests move it months ahead instead of waiting). */
  now?: () => number;
}

export interface SweepReport {
  /** FEED messages looked at. */
  examined: number;
  /** Copies removed, with why. */
  removed: { noticeId: string; recipient: string; seq: number; code: string }[];
  /** Messages that do not decode as deliveries (left in place, logged). */
  undecodable: number;
}

/**
 * The retention service: the one identity that may delete a FEED message. Each sweep
 * reads FEED's cleartext headers and grants (it holds no key that opens content),
 * decides per delivery when its time in the exchange ends (its retention class, the
 * delivery window, the provider's rectification or erasure request), and for each one
 * due first records a signed ERASURE entry through its audit outbox — metadata and
 * the removed message's digest — and then deletes the message with `erase` (the
 * server overwrites it). Recording first means a crash between the two leaves a
 * recorded erasure that the next sweep completes, never an unrecorded gap.
 */
export class RetentionService {
  private readonly js: JetStreamClient;
  private readonly subjects: Subjects;
  private readonly settings: Pick<TopologySettings, 'prefix' | 'feedMaxAgeDays'>;
  private readonly logger: Logger;
  private readonly clock: () => number;

  constructor(private readonly o: RetentionOptions) {
    this.settings = {
      prefix: o.settings?.prefix ?? DEFAULT_TOPOLOGY.prefix,
      feedMaxAgeDays: o.settings?.feedMaxAgeDays ?? DEFAULT_TOPOLOGY.feedMaxAgeDays,
    };
    this.js = jetstream(o.nc);
    this.subjects = new Subjects(this.settings.prefix);
    this.logger = o.logger ?? createLogger('retention');
    this.clock = o.now ?? Date.now;
  }

  get id(): string {
    return this.o.keys.agency;
  }

  /** One pass over FEED at `now` (default: the service's clock). */
  async sweep(now = this.clock()): Promise<SweepReport> {
    const jsm = await this.js.jetstreamManager();
    const { copies, undecodable } = await this.readFeed(jsm);
    const amendments = collectAmendments(copies);
    const report: SweepReport = { examined: copies.length + undecodable, removed: [], undecodable };
    for (const copy of copies) {
      const removal = removalOf(copy, amendments, now);
      if (!removal) continue;
      await this.record(copy, removal, now);
      await retryTransient(() => jsm.streams.deleteMessage(STREAMS.feed, copy.seq, true)).catch((err) => {
        // Already gone (a previous sweep that crashed after deleting): the entry is recorded once per seq.
        if (!/no message found|not found/i.test(String(err))) throw err;
      });
      report.removed.push({
        noticeId: copy.noticeId,
        recipient: copy.recipient,
        seq: copy.seq,
        code: removal.code,
      });
    }
    if (report.removed.length > 0)
      this.logger.info({ removed: report.removed.length, examined: report.examined }, 'feed swept');
    return report;
  }

  private async readFeed(jsm: JetStreamManager): Promise<{ copies: FeedCopy[]; undecodable: number }> {
    const copies: FeedCopy[] = [];
    let undecodable = 0;
    const info = await jsm.streams.info(STREAMS.feed);
    if (info.state.messages === 0) return { copies, undecodable };
    const last = info.state.last_seq;
    // A short-lived ordered reader of the whole stream (its permissions deny the agencies' durables).
    const consumer = await this.js.consumers.get(STREAMS.feed, {
      deliver_policy: DeliverPolicy.All,
    });
    const messages = await consumer.consume({ max_bytes: 4 * 1024 * 1024 });
    try {
      for await (const m of messages) {
        const copy = feedCopyOf(m.seq, m.subject, m.data, this.settings);
        if (copy) copies.push(copy);
        else {
          undecodable++;
          this.logger.warn({ seq: m.seq }, 'a FEED message that is not a delivery; left in place');
        }
        if (m.seq >= last) break;
        if ((m.info.pending ?? 0) === 0) break;
      }
    } finally {
      await messages.close();
    }
    return { copies, undecodable };
  }

  private async record(copy: FeedCopy, removal: Removal, now: number): Promise<void> {
    const entry = create(AuditEntrySchema, {
      domain: AUDIT_ENTRY_DOMAIN,
      kind: AuditEntryKind.ERASURE,
      atMs: BigInt(now),
      gateId: this.id,
      noticeId: copy.noticeId,
      sender: copy.sender,
      recipient: copy.recipient,
      headerSha256: copy.headerSha256,
      envelopeSha256: copy.envelopeSha256,
      code: removal.code,
      retentionClass: copy.schedule.class,
      retentionEndsAtMs: BigInt(removal.endsAt),
      feedSeq: BigInt(copy.seq),
      amendmentId: removal.amendmentId ?? '',
    });
    signErasureEntry(entry, this.o.keys);
    const batch = toBinary(AuditBatchSchema, create(AuditBatchSchema, { entries: [entry] }));
    const id = createHash('sha256').update(copy.envelopeSha256).digest('hex').slice(0, 16);
    await retryTransient(() =>
      this.js.publish(this.subjects.auditIn(this.id), batch, { msgID: `erasure/${copy.seq}/${id}` }),
    );
  }
}
