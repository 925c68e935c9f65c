import { type FeedItem, LiaisonClient, type PlanRecipient, sealRecipientsOf } from '@liaison/client';
import { createLogger, retryTransient } from '@liaison/core';
import { type AgencyKeys, type PublicKeyRecord, seal } from '@liaison/envelope';
import { exampleNotices } from '@liaison/fixtures';
import type { Agency } from '@liaison/registry';
import { Subjects } from '@liaison/topology';
import { type JetStreamClient, jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

/** More member-state authorities, so that 10–20 agencies can publish. */
export const EXTRA_AGENCIES: Agency[] = [
  ['be-fedpol', 'BE', 'Belgium — Federal Police'],
  ['fr-dgpn', 'FR', 'France — National Police'],
  ['it-ps', 'IT', 'Italy — State Police'],
  ['es-cnp', 'ES', 'Spain — National Police'],
  ['pl-sg', 'PL', 'Poland — Border Guard'],
  ['se-polis', 'SE', 'Sweden — Police Authority'],
].map(([id, country, name]) => ({
  id: id!,
  name: name!,
  country: country!,
  kind: 'member-state-authority',
  roles: ['publisher', 'subscriber'],
}));

const KINDS = ['borderAlert', 'passengerDataHit', 'threatNotice'] as const;

/** What a sender knows of one of its notices: what it sealed for whom, and whether the broker took it. */
export interface Sent {
  noticeId: string;
  sender: string;
  /** The recipients the gate's signed plan named (sealed for). */
  planned: string[];
  publishedAt: number;
  /** The broker acknowledged the publish (otherwise it was given up after retries). */
  stored: boolean;
}

/** What a recipient saw of one notice. */
export interface Seen {
  recipient: string;
  noticeId: string;
  sender: string;
  firstAt: number;
  /** How often the feed handed it over (redeliveries to the reader, not deliveries by the gate). */
  times: number;
  /** Its read receipt was published (the item acked). */
  readSent: boolean;
}

const logger = createLogger('chaos-agency', { level: 'fatal' });

/**
 * One agency of the campaign: publishes a notice every `1/rate` seconds on its own
 * intake subject (sealed with the gate's signed plan, published with the notice id as
 * message id and retried through elections, as the SDK does) and reads its own feed,
 * acknowledging each delivery with a signed read receipt. It keeps its own records;
 * the campaign checks the exchange against them.
 */
export class ChaosAgency {
  readonly sent: Sent[] = [];
  readonly seen = new Map<string, Seen>();
  private readonly js: JetStreamClient;
  private readonly plans = new Map<string, PlanRecipient[]>();
  private readonly stop = new AbortController();
  private readonly loops: Promise<void>[] = [];
  private publishing = true;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly keys: AgencyKeys,
    private readonly client: LiaisonClient,
    private readonly publishes: boolean,
  ) {
    this.js = jetstream(nc, { timeout: 2000 });
  }

  static async connect(
    nc: NatsConnection,
    keys: AgencyKeys,
    gateKeys: PublicKeyRecord[],
    publishes: boolean,
  ): Promise<ChaosAgency> {
    // The campaign's cluster is an open one (no accounts): JetStream is reached directly.
    const client = await LiaisonClient.connect({ nc, keys, gateKeys, logger, broker: 'open' });
    return new ChaosAgency(nc, keys, client, publishes);
  }

  get id(): string {
    return this.keys.agency;
  }

  start(ratePerSec: number, until: number): void {
    this.loops.push(this.read());
    if (this.publishes) this.loops.push(this.publish(ratePerSec, until));
  }

  /** Stops publishing (after the notice in hand); reading goes on until `close`. */
  stopPublishing(): void {
    this.publishing = false;
  }

  private async publish(ratePerSec: number, until: number): Promise<void> {
    const subjects = new Subjects();
    const every = 1000 / ratePerSec;
    let next = Date.now() + Math.random() * every;
    for (let i = 0; this.publishing && Date.now() < until; i++) {
      await sleep(next - Date.now());
      next += every;
      const kind = KINDS[i % KINDS.length]!;
      const notice = exampleNotices()[kind];
      const plan = await this.plan(kind, notice);
      if (!plan) continue;
      const s = await seal({ notice, sender: this.keys, recipients: sealRecipientsOf(plan) });
      const record: Sent = {
        noticeId: s.noticeId,
        sender: this.id,
        planned: plan.filter((r) => r.encryptionKey).map((r) => r.agency),
        publishedAt: Date.now(),
        stored: false,
      };
      this.sent.push(record);
      try {
        await retryTransient(
          () => this.js.publish(subjects.intake(this.id), s.bytes, { msgID: s.noticeId }),
          { attempts: 40 },
        );
        record.stored = true;
      } catch {
        // given up: the sender knows it never reached the broker (not counted as lost)
      }
    }
  }

  /** The gate's plan per kind, asked once (and again while the gates are away). */
  private async plan(kind: string, notice: unknown): Promise<PlanRecipient[] | undefined> {
    const known = this.plans.get(kind);
    if (known) return known;
    try {
      const plan = await this.client.plan(notice);
      this.plans.set(kind, plan);
      return plan;
    } catch {
      return undefined; // no gate answered: try at the next tick
    }
  }

  private async read(): Promise<void> {
    while (!this.stop.signal.aborted) {
      try {
        for await (const item of this.client.feed({ signal: this.stop.signal })) await this.take(item);
      } catch {
        // the consumer went away under a fault: follow the feed again
      }
      await sleep(500);
    }
  }

  private async take(item: FeedItem): Promise<void> {
    const { noticeId, sender } = item.notice;
    const s = this.seen.get(noticeId);
    if (s) s.times++;
    else
      this.seen.set(noticeId, {
        recipient: this.id,
        noticeId,
        sender,
        firstAt: Date.now(),
        times: 1,
        readSent: false,
      });
    try {
      await item.ack();
      this.seen.get(noticeId)!.readSent = true;
    } catch {
      // not acknowledged: the feed hands it over again
    }
  }

  async close(): Promise<void> {
    this.publishing = false;
    this.stop.abort();
    await Promise.allSettled(this.loops);
    await this.client.close();
    await this.nc.close().catch(() => undefined);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.max(0, ms)));
}
