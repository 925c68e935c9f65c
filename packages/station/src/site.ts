import { type ClientOptions, type LiaisonClient, MemoryPlanCache } from '@liaison/client';
import type { Logger } from '@liaison/core';
import { ensureOutbox, Forwarder } from '@liaison/site';
import { outboxSubject } from '@liaison/topology';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Db } from './db.js';
import type { Outbox } from './outbox.js';
import type { SitePublishing } from './publishing.js';
import { StoredPlanCache } from './site-plans.js';

/**
 * A station at an agency site, beside the site's leaf node (docs/station.md, "At an
 * agency site"; docs/decisions/0013, 0018): it publishes into the site's outbox on the
 * leaf's own JetStream, runs the forwarder that hands the outbox to the hub, seals with
 * the gate's cached plan while the gate cannot be reached, and records the gate's answers
 * to what it queued when they come.
 */
export interface StationSiteSettings extends SitePublishing {
  /** How long a plan of the gate's may be used to seal while the gate cannot be reached. */
  planCacheMs: number;
  /** How often queued notices without an answer are looked up again. */
  confirmEveryMs: number;
}

export const DEFAULT_STATION_SITE: StationSiteSettings = {
  // As long as the gate's site window (LIAISON_SITE_MAX_AGE_MS): a notice sealed with an
  // older plan would be refused STALE on arrival anyway.
  planCacheMs: 24 * 3_600_000,
  queueAfterMs: 3000,
  receiptWaitMs: 10 * 60_000,
  confirmEveryMs: 30_000,
};

/**
 * What the SDK client of a station at a site needs: the outbox as its intake, and a plan
 * cache — in the station's database when given one (it outlives a restart during an outage).
 */
export function siteClientOptions(
  agency: string,
  s: Pick<StationSiteSettings, 'planCacheMs'>,
  db?: Db,
): Pick<ClientOptions, 'intakeSubject' | 'planCache'> {
  const planCache = db ? new StoredPlanCache(db, s.planCacheMs) : new MemoryPlanCache(s.planCacheMs);
  return { intakeSubject: outboxSubject(agency), planCache };
}

export interface StationSiteOptions {
  /** The station's connection to the site's leaf node, as the agency. */
  nc: NatsConnection;
  agency: string;
  client: LiaisonClient;
  outbox: Outbox;
  logger: Logger;
  settings: StationSiteSettings;
}

/** The outbox, the forwarder and the confirmer of a station at a site. */
export class StationSite {
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private stopped = false;

  private constructor(
    private readonly o: StationSiteOptions,
    readonly forwarder: Forwarder,
  ) {}

  static async start(o: StationSiteOptions): Promise<StationSite> {
    await ensureOutbox(o.nc, o.agency);
    const forwarder = await Forwarder.start({ nc: o.nc, agency: o.agency, logger: o.logger });
    const site = new StationSite(o, forwarder);
    void site.confirm();
    site.timer = setInterval(() => void site.confirm(), o.settings.confirmEveryMs);
    return site;
  }

  /** Looks up the gate's answers to queued notices: one round at a time (a look while one runs joins it). */
  confirm(): Promise<void> {
    this.round ??= confirmQueued(this.o.client, this.o.outbox, this.o.logger, () => this.stopped)
      .catch((err) =>
        this.o.logger.warn({ err: String(err) }, 'queued notices not confirmed; next round later'),
      )
      .finally(() => {
        this.round = undefined;
      });
    return this.round;
  }

  /**
   * Stops the confirmer (a look-up in flight ends with the connection; nothing is recorded
   * after this) and the forwarder (the envelope in hand stays in the outbox if the hub has
   * not stored it).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.forwarder.stop();
  }
}

/**
 * Records the gate's stored answer for each notice still `unconfirmed` in the station's
 * outbox table. The round stops at the first notice the gate cannot answer for (the
 * link is down, or the notice is still in the site's outbox): the next round goes on.
 */
export async function confirmQueued(
  client: LiaisonClient,
  outbox: Outbox,
  logger: Logger,
  stopped: () => boolean = () => false,
): Promise<void> {
  const waiting = outbox.list(1000).filter((e) => e.status === 'unconfirmed');
  for (const e of waiting.reverse()) {
    if (stopped()) return;
    let receipt: Awaited<ReturnType<LiaisonClient['receiptFor']>>;
    try {
      receipt = await client.receiptFor(e.noticeId, 1000);
    } catch {
      return;
    }
    if (stopped()) return;
    outbox.record({
      ...outbox.entry(e.noticeId),
      status: receipt.status === 'accepted' ? 'accepted' : 'rejected',
      code: receipt.status === 'accepted' ? undefined : receipt.code,
      recipients: receipt.recipients.map((r) => ({ recipient: r.recipient, level: r.level })),
    });
    logger.info({ noticeId: e.noticeId, status: receipt.status }, 'queued notice answered by the gate');
  }
}
