import type { Logger } from '@liaison/core';
import { DURABLES, STREAMS } from '@liaison/topology';
import type { JetStreamManager, MsgRequest } from '@nats-io/jetstream';
import type { MsgHdrs } from '@nats-io/transport-node';

/** One intake message taken over from the stream itself, not from the gate's durable. */
export interface StrandedMessage {
  seq: number;
  subject: string;
  data: Uint8Array;
  headers: MsgHdrs | undefined;
  /** When INTAKE stored it (ms). */
  storedAt: number;
}

/**
 * Finds intake messages the gate's durable will never offer again, and hands them to the
 * gate. On nats-server 2.9.10 a replicated pull consumer can skip messages after a leader
 * change: the old leader sent messages whose "delivered" update had not reached a quorum,
 * the new leader does not know them, ignores their naks, and an ack of a later message
 * moves its position past them — they are neither pending nor awaiting an ack, and are
 * never redelivered (fixed upstream in 2025, nats-server PR #6469; docs/exchange.md,
 * "Failover"). In a work queue such a message stays in INTAKE: a notice lost silently.
 *
 * The test is a count: INTAKE (a work queue with one durable) holds every message not
 * yet acked, each either pending delivery or awaiting its ack. More messages than that,
 * on two looks `graceMs` apart (counters move while messages flow), means some are
 * stranded: each message older than `graceMs` below the durable's delivered position is
 * read directly and processed like a delivery (the ledger recognises the same intake
 * sequence, the publishes carry the same message ids, so a message that was in fact
 * still in flight is not delivered twice), then deleted from INTAKE.
 */
export class IntakeSweeper {
  private timer: NodeJS.Timeout | undefined;
  private suspect = false;
  private running: Promise<void> | undefined;
  /** Messages taken over since the gate started. */
  recovered = 0;

  constructor(
    private readonly jsm: JetStreamManager,
    private readonly graceMs: number,
    /** Every intake subject (`Subjects.intakeAll`). */
    private readonly subjects: string,
    private readonly handle: (m: StrandedMessage) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.sweep(), this.graceMs);
    this.timer.unref();
  }

  stop(): Promise<void> {
    clearInterval(this.timer);
    return this.running ?? Promise.resolve();
  }

  /** One look (and, on the second suspicious look in a row, the take-over). */
  sweep(): Promise<void> {
    this.running ??= this.look()
      .catch((err) => this.logger.warn({ err: String(err) }, 'intake sweep failed; next look later'))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private async look(): Promise<void> {
    const stream = (await this.jsm.streams.info(STREAMS.intake)).state;
    const c = await this.jsm.consumers.info(STREAMS.intake, DURABLES.gate);
    const accounted = c.num_pending + c.num_ack_pending;
    if (stream.messages <= accounted) {
      this.suspect = false;
      return;
    }
    if (!this.suspect) {
      this.suspect = true;
      return;
    }
    const below = c.delivered.stream_seq;
    // Message by message from the oldest (a work queue's acked messages are gone, so the
    // next one at or after a sequence is found in one request, not one per sequence).
    for (let seq = stream.first_seq, n = 0; seq <= below && n < stream.messages; n++) {
      // nats-server 2.9 takes `next_by_subj` in STREAM.MSG.GET; the client's type names only `seq` and `last_by_subj`.
      const query: MsgRequest & { next_by_subj: string } = { seq, next_by_subj: this.subjects };
      const m = await this.jsm.streams.getMessage(STREAMS.intake, query);
      if (!m || m.seq > below) break;
      seq = m.seq + 1;
      const storedAt = m.timestamp ? Date.parse(m.timestamp) : Date.now();
      if (Date.now() - storedAt < this.graceMs) continue;
      this.logger.error(
        { code: 'INTAKE_STRANDED', seq: m.seq, delivered: below, ackFloor: c.ack_floor.stream_seq },
        'an intake message the gate’s durable no longer offers: taken over from the stream',
      );
      await this.handle({ seq: m.seq, subject: m.subject, data: m.data, headers: m.header, storedAt });
      await this.jsm.streams.deleteMessage(STREAMS.intake, m.seq, false);
      this.recovered++;
    }
    this.suspect = false;
  }
}
