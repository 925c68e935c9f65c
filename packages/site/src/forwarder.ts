import { createLogger, ensureConsumer, type Logger } from '@liaison/core';
import {
  DEFAULT_PREFIX,
  FORWARDER_DURABLE,
  OUTBOX_STORED_AT_HEADER,
  SITE_STREAMS,
  Subjects,
} from '@liaison/topology';
import { AckPolicy, DeliverPolicy, type JetStreamClient, type JsMsg, jetstream } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/transport-node';

export interface ForwarderOptions {
  /** A connection to the site's leaf node, as the agency (its nkey identity). */
  nc: NatsConnection;
  agency: string;
  prefix?: string;
  /** How long to wait for the hub's PubAck (default 5 s). */
  publishTimeoutMs?: number;
  /** How long to wait before trying again when the hub is unreachable (default 500 ms). */
  retryDelayMs?: number;
  logger?: Logger;
}

/** What the forwarder has done since it started. */
export interface ForwarderStats {
  /** Stored by the hub's intake and removed from the outbox. */
  forwarded: number;
  /** Of those, answered by the intake as a duplicate (a retry within its window). */
  duplicates: number;
  /** Attempts that got no PubAck (the link down, the hub electing a leader). */
  failures: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Hands the site's outbox to the hub, in order, one envelope at a time: each is
 * published on the agency's intake subject (through the leaf link, into the agency's
 * account on the hub, imported into the exchange's INTAKE) with its notice id as
 * `Nats-Msg-Id` and the time the outbox stored it (`Liaison-Outbox-Stored-At`, which
 * gives it the gate's site freshness window), and acknowledged in the outbox — which deletes it — only on the hub's
 * PubAck. Without one it is tried again after `retryDelayMs`, as often as it takes.
 *
 * Nothing is lost (an envelope leaves the outbox only once the hub stored it) and
 * nothing is delivered twice: a retry within INTAKE's duplicate window is dropped by
 * JetStream; a later one is recognised by the gate as the same envelope and answered
 * with the original receipt (docs/decisions/0013).
 *
 * @example
 * const forwarder = await Forwarder.start({ nc: leafConnection, agency: 'de-bka' });
 * // … later
 * await forwarder.stop();
 */
export class Forwarder {
  readonly stats: ForwarderStats = { forwarded: 0, duplicates: 0, failures: 0 };
  private readonly js: JetStreamClient;
  private readonly intake: string;
  private readonly logger: Logger;
  private stopped = false;
  private loop: Promise<void> = Promise.resolve();

  private constructor(private readonly o: ForwarderOptions) {
    this.js = jetstream(o.nc);
    this.intake = new Subjects(o.prefix ?? DEFAULT_PREFIX).intake(o.agency);
    this.logger = o.logger ?? createLogger('site-forwarder');
  }

  static async start(o: ForwarderOptions): Promise<Forwarder> {
    const f = new Forwarder(o);
    await ensureConsumer(o.nc, SITE_STREAMS.outbox, {
      durable_name: FORWARDER_DURABLE,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      // One at a time, in order; an envelope whose PubAck never came is offered again.
      max_ack_pending: 1,
      ack_wait: 30_000_000_000,
    });
    f.loop = f.run();
    return f;
  }

  private async run(): Promise<void> {
    const consumer = await this.js.consumers.get(SITE_STREAMS.outbox, FORWARDER_DURABLE);
    while (!this.stopped) {
      let m: JsMsg | null;
      try {
        m = await consumer.next({ expires: 1000 });
      } catch (err) {
        this.logger.warn({ err: String(err) }, 'outbox not readable; trying again');
        await sleep(this.o.retryDelayMs ?? 500);
        continue;
      }
      if (m) await this.forward(m);
    }
  }

  /** Publishes one envelope until the hub's intake has stored it, then removes it from the outbox. */
  private async forward(m: JsMsg): Promise<void> {
    const noticeId = m.headers?.get('Nats-Msg-Id') || undefined;
    // When the outbox stored it: the gate takes it in its site window (docs/decisions/0018).
    const h = headers();
    h.set(OUTBOX_STORED_AT_HEADER, String(Math.floor(m.info.timestampNanos / 1_000_000)));
    while (!this.stopped) {
      try {
        const ack = await this.js.publish(this.intake, m.data, {
          headers: h,
          ...(noticeId ? { msgID: noticeId } : {}),
          timeout: this.o.publishTimeoutMs ?? 5000,
        });
        this.stats.forwarded++;
        if (ack.duplicate) this.stats.duplicates++;
        // Deleted from the work queue only now; a crash before this line forwards it again,
        // which the intake or the gate recognises as the same envelope.
        await m.ackAck().catch(() => m.ack());
        return;
      } catch (err) {
        this.stats.failures++;
        this.logger.debug({ err: String(err), noticeId }, 'hub intake unreachable; trying again');
        m.working();
        await sleep(this.o.retryDelayMs ?? 500);
      }
    }
    m.nak();
  }

  /** Stops after the envelope in hand (it stays in the outbox if the hub has not stored it). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop.catch(() => undefined);
  }
}
