import { consumeDurable, createLogger, type Logger } from '@liaison/core';
import type { AgencyKeys } from '@liaison/envelope';
import { decodeEnvelope, decodeHeader } from '@liaison/envelope';
import { PolicyStore, type RegistrySnapshot } from '@liaison/registry';
import {
  DELIVERIES_BUCKET,
  DURABLES,
  deliveriesBucketOptions,
  ensureStreams,
  GATE_STREAMS,
  lastToken,
  STREAMS,
  Subjects,
} from '@liaison/topology';
import {
  AckPolicy,
  type ConsumerMessages,
  type JsMsg,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { relayReadReceipt } from './acks.js';
import { checkAmendment } from './amendments.js';
import { AuditWriter } from './audit.js';
import { type ConversationContext, checkConversation } from './check-conversation.js';
import { DEFAULT_SETTINGS, type GateSettings } from './config.js';
import { Countersigner } from './countersigner.js';
import { DeliveryLedger } from './delivery-ledger.js';
import { serveEndpoints } from './endpoints.js';
import { GateError } from './errors.js';
import { EvidenceGuard, type EvidenceHealth } from './evidence-guard.js';
import { checkFreshnessSettings, routeOf } from './freshness.js';
import { IntakeSweeper, type StrandedMessage } from './intake-sweeper.js';
import { answerRejection, deliver, type Outcome, type ProcessorDeps, reject } from './process-submission.js';
import { RateLimitSummary } from './rate-limit-summary.js';
import { RateLimiter } from './rate-limiter.js';
import { answerResubmission } from './resubmission.js';
import { verifySubmission } from './verify-submission.js';

export interface GateOptions {
  nc: NatsConnection;
  /** The gate's own keys (it countersigns deliveries and signs receipts). */
  keys: AgencyKeys;
  /** Trust anchors of the registry. */
  anchors: readonly string[];
  settings?: Partial<GateSettings>;
  logger?: Logger;
  /** Submissions processed at once (their publishes are pipelined). */
  concurrency?: number;
  /** Called after each submission (tests, metrics). */
  onOutcome?: (o: Outcome) => void;
}

const REFRESH_INTERVAL_MS = 2000;

/**
 * The policy gate. Several instances may run against the same streams: they share
 * the intake work queue through one durable consumer. Every submission is
 * verified, decided, delivered, audited and answered; bad input is rejected with
 * a code and never stops the loop.
 *
 * @example
 * const gate = await Gate.start({ nc, keys, anchors });
 * // ...
 * await gate.stop();
 */
export class Gate {
  private readonly loops: Promise<void>[] = [];
  private readonly iterators: ConsumerMessages[] = [];
  private readonly subs: Subscription[] = [];
  private refreshing: Promise<unknown> | undefined;
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly intakeLimiter: RateLimiter;
  private readonly rateLimited: RateLimitSummary;
  private readonly auditUnavailable: RateLimitSummary;
  private sweeper: IntakeSweeper | undefined;

  private constructor(
    private readonly o: GateOptions,
    private readonly store: PolicyStore,
    private readonly deps: ProcessorDeps,
    private readonly evidence: EvidenceGuard,
  ) {
    this.intakeLimiter = new RateLimiter(deps.settings.intakeLimit);
    this.rateLimited = new RateLimitSummary(deps.audit, deps.settings.rateLimitWindowMs, deps.logger);
    this.auditUnavailable = new RateLimitSummary(
      deps.audit,
      deps.settings.rateLimitWindowMs,
      deps.logger,
      'AUDIT_UNAVAILABLE',
    );
  }

  static async start(o: GateOptions): Promise<Gate> {
    const settings = { ...DEFAULT_SETTINGS, ...o.settings, gateId: o.keys.agency };
    checkFreshnessSettings(settings);
    const logger = o.logger ?? createLogger('gate');
    const jsm = await jetstreamManager(o.nc);
    await ensureStreams(jsm, settings, GATE_STREAMS);
    const js = jetstream(o.nc);
    const ledger = new DeliveryLedger(
      await new Kvm(o.nc).create(DELIVERIES_BUCKET, deliveriesBucketOptions(settings)),
    );
    const subjects = new Subjects(settings.prefix);
    const store = await PolicyStore.open(o.nc, {
      anchors: o.anchors,
      prefix: settings.prefix,
      replicas: settings.replicas,
      logger,
    });
    const evidence = new EvidenceGuard(jsm, settings.evidence, logger);
    const deps: ProcessorDeps = {
      js,
      audit: new AuditWriter(js, subjects, settings.gateId, (err) => evidence.reportFailure(err)),
      subjects,
      settings,
      gateKeys: o.keys,
      signer: new Countersigner(o.keys),
      ledger,
      logger,
    };
    const gate = new Gate(o, store, deps, evidence);
    await evidence.start();
    await gate.begin();
    if (settings.intakeSweepMs > 0) {
      const take = (m: StrandedMessage) => gate.takeOver(m);
      gate.sweeper = new IntakeSweeper(jsm, settings.intakeSweepMs, subjects.intakeAll, take, logger);
      gate.sweeper.start();
    }
    return gate;
  }

  private async begin(): Promise<void> {
    const { nc } = this.o;
    const { subjects, logger } = this.deps;
    // Policy changes take effect at once: any event on the policy subjects marks
    // the registry stale, and it is refreshed before the next submission.
    const markStale = (): void => {
      this.dirty = true;
    };
    this.subs.push(nc.subscribe(subjects.policyAll, { callback: markStale }));
    this.timer = setInterval(markStale, REFRESH_INTERVAL_MS);
    this.subs.push(
      ...serveEndpoints(
        nc,
        subjects,
        this.o.keys,
        () => this.snapshot(),
        logger,
        this.deps.settings.requestLimit,
        this.deps.ledger,
        this.deps.audit,
      ),
    );
    const durable = (name: string) => ({
      durable_name: name,
      ack_policy: AckPolicy.Explicit,
      ack_wait: this.deps.settings.ackWaitMs * 1_000_000,
      max_ack_pending: 1024,
    });
    const intake = await consumeDurable(nc, STREAMS.intake, durable(DURABLES.gate), { max_messages: 256 });
    const acks = await consumeDurable(nc, STREAMS.acks, durable(DURABLES.gateAcks), { max_messages: 64 });
    this.iterators.push(intake, acks);
    this.loops.push(this.guard(this.loop(intake, (m) => this.handleSubmission(m))));
    this.loops.push(
      this.guard(
        this.loop(acks, async (m) => {
          // A read receipt is recorded before it is relayed: while the audit log cannot
          // record it, it waits in ACKS.
          if (!this.evidence.open) return m.nak(this.deps.settings.evidence.checkMs);
          return relayReadReceipt(
            m,
            await this.snapshot(),
            this.deps.js,
            this.deps.audit,
            this.deps.ledger,
            subjects,
            logger,
          );
        }),
      ),
    );
    logger.info(
      { gateId: this.deps.settings.gateId, revision: this.store.registry.current.revision },
      'gate started',
    );
  }

  /** A consuming loop that ends with an error (its connection closed) is logged, never left unhandled. */
  private guard(loop: Promise<void>): Promise<void> {
    return loop.catch((err) => this.deps.logger.warn({ err: String(err) }, 'consumer loop ended'));
  }

  /** The registry snapshot, refreshed first if a policy event arrived since the last refresh. */
  async snapshot(): Promise<RegistrySnapshot> {
    if (this.dirty && !this.refreshing) {
      this.dirty = false;
      this.refreshing = this.store.refresh().finally(() => {
        this.refreshing = undefined;
      });
    }
    if (this.refreshing) await this.refreshing;
    return this.store.registry.current;
  }

  private async loop(messages: ConsumerMessages, handle: (m: JsMsg) => Promise<void>): Promise<void> {
    const limit = this.o.concurrency ?? 32;
    const inflight = new Set<Promise<void>>();
    for await (const m of messages) {
      const p = handle(m)
        .catch((err) => {
          this.deps.logger.warn({ err: String(err), seq: m.seq }, 'transient failure; will retry');
          m.nak(500);
        })
        .finally(() => inflight.delete(p));
      inflight.add(p);
      if (inflight.size >= limit) await Promise.race(inflight);
    }
    await Promise.all(inflight);
  }

  private async handleSubmission(m: JsMsg): Promise<void> {
    const now = Date.now();
    const agency = lastToken(m.subject);
    if (!this.intakeLimiter.take(agency)) {
      await this.refuseRateLimited(m, agency, now);
      return;
    }
    // Fail closed: nothing is verified, delivered or answered that the audit log cannot record.
    if (!(await this.evidence.admit(m, publishedAt(m) + this.deps.settings.evidence.holdMs))) {
      // A message tried before may have been recorded and delivered in part: it is
      // finished once the audit log is back, never answered as refused.
      if (m.info.redelivered) m.nak(this.deps.settings.evidence.holdMs);
      else await this.refuseAuditUnavailable(m, agency);
      return;
    }
    return this.process(m, agency);
  }

  private async process(m: IntakeMessage, agency: string): Promise<void> {
    const now = Date.now();
    const snapshot = await this.snapshot();
    let outcome: Outcome;
    let verified: ReturnType<typeof verifySubmission> | undefined;
    let conversation: ConversationContext | undefined;
    try {
      const route = routeOf(m.headers, agency, this.deps.settings);
      verified = verifySubmission(m.data, agency, snapshot, this.deps.settings, now, route);
      if (route.via === 'site' && now - Number(verified.header.createdAtMs) > this.deps.settings.maxAgeMs)
        this.deps.logger.info(
          {
            noticeId: verified.header.noticeId,
            sender: agency,
            ageMs: now - Number(verified.header.createdAtMs),
            outboxStoredAt: route.outboxStoredAt,
          },
          'a notice held in its site’s outbox past the hub window, taken in the site window',
        );
      await checkAmendment(this.deps.ledger, verified);
      conversation = await checkConversation(verified, this.deps.ledger);
    } catch (err) {
      // A ledger that cannot be read is a transient failure (nak), not the sender's fault.
      if (verified && !(err instanceof GateError)) throw err;
      const id = verified?.header.noticeId ?? noticeIdOf(m.data);
      outcome = await reject(this.deps, err, m.data, agency, m.seq, now, id);
      m.ack();
      this.o.onOutcome?.(outcome);
      return;
    }
    try {
      outcome = await deliver(this.deps, verified, m.data, snapshot, m.seq, now, conversation);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'RESUBMITTED')
        outcome = await answerResubmission(this.deps, this.o.nc, agency, verified.header.noticeId, m.seq);
      else if (code === 'REPLAYED')
        outcome = await reject(this.deps, err, m.data, agency, m.seq, now, verified.header.noticeId);
      else throw err;
    }
    m.ack();
    this.o.onOutcome?.(outcome);
  }

  /**
   * Over the agency's rate: answered (a signed RATE_LIMITED receipt, under the notice id
   * when the envelope can be read, so the SDK's publish learns why) but not audited one
   * by one — the audit log gets one summary per agency per window. Nothing is verified.
   */
  private async refuseRateLimited(m: JsMsg, agency: string, now: number): Promise<void> {
    const noticeId = m.data.length <= this.deps.settings.maxEnvelopeBytes ? noticeIdOf(m.data) : undefined;
    await answerRejection(
      this.deps,
      'RATE_LIMITED',
      'too many submissions; slow down',
      agency,
      m.seq,
      now,
      noticeId,
    );
    this.rateLimited.add(agency, m.seq);
    m.ack();
    this.o.onOutcome?.({ status: 'rejected', code: 'RATE_LIMITED' });
  }

  /**
   * Held past its deadline because the audit log cannot record it: answered (a signed
   * AUDIT_UNAVAILABLE receipt; the notice id is not claimed — publish again), and counted
   * in a summary the audit log gets once it can be written again.
   */
  private async refuseAuditUnavailable(m: JsMsg, agency: string): Promise<void> {
    const now = Date.now();
    const noticeId = m.data.length <= this.deps.settings.maxEnvelopeBytes ? noticeIdOf(m.data) : undefined;
    await answerRejection(
      this.deps,
      'AUDIT_UNAVAILABLE',
      'the audit log cannot record submissions now; publish again later',
      agency,
      m.seq,
      now,
      noticeId,
    );
    this.auditUnavailable.add(agency, m.seq);
    this.evidence.countRefused();
    m.ack();
    this.o.onOutcome?.({ status: 'rejected', code: 'AUDIT_UNAVAILABLE' });
  }

  /**
   * An intake message the durable no longer offers (`IntakeSweeper`): processed like a
   * delivery, and only while evidence can be written; the sweeper deletes it afterwards.
   */
  private async takeOver(m: StrandedMessage): Promise<void> {
    if (!this.evidence.open) throw new GateError('AUDIT_UNAVAILABLE', 'evidence cannot be written');
    await this.process(
      { data: m.data, seq: m.seq, headers: m.headers, ack: () => undefined },
      lastToken(m.subject),
    );
  }

  /** Whether the gate accepts submissions, and why not; gauges and counters for a metrics exporter. */
  health(): { evidence: EvidenceHealth; intake: { stranded: number } } {
    return { evidence: this.evidence.health(), intake: { stranded: this.sweeper?.recovered ?? 0 } };
  }

  /** Stops consuming, lets in-flight submissions finish, records the refusal summaries, and unsubscribes. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeper?.stop();
    this.evidence.stop();
    for (const it of this.iterators) await it.close();
    await Promise.all(this.loops);
    await this.rateLimited.stop();
    await this.auditUnavailable.stop();
    for (const s of this.subs) s.unsubscribe();
  }
}

/** What processing needs of an intake message: from the gate's durable, or taken over from the stream. */
type IntakeMessage = Pick<JsMsg, 'data' | 'seq' | 'headers' | 'ack'>;

/** When JetStream stored the message (the server's clock): a held submission's deadline counts from it. */
function publishedAt(m: JsMsg): number {
  return Math.min(Date.now(), m.info.timestampNanos / 1_000_000);
}

/** The notice id of an envelope that failed verification, when it can be read at all. */
function noticeIdOf(data: Uint8Array): string | undefined {
  try {
    const id = decodeHeader(decodeEnvelope(data).header).noticeId;
    return /^[0-9a-f-]{36}$/.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}
