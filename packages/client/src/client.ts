import { createLogger, isTransientJetStreamError, type Logger, retryTransient } from '@liaison/core';
import {
  type AudienceRequest,
  type DeadlineReport,
  decodeEnvelope,
  decodeHeader,
  EnvelopeError,
  type OpenedNotice,
  open,
  type ProvenanceRequest,
  type ReadReceipt,
  type Sealed,
  type SubmissionReceipt,
  seal,
  sha256,
  signReceipt,
} from '@liaison/envelope';
import { type ConnectionConfigInput, connect } from '@liaison/identity';
import { type NoticeKind, screenNotice, validateNotice } from '@liaison/notice';
import { DEFAULT_PREFIX, feedDurable, JS_API_PREFIX, STREAMS, Subjects } from '@liaison/topology';
import { type JetStreamClient, type JsMsg, jetstream } from '@nats-io/jetstream';
import * as amend from './amendments.js';
import type { ClientOptions } from './client-options.js';
import { Conversation, verifiedReports } from './conversation.js';
import { Directory } from './directory.js';
import { ClientError } from './errors.js';
import { verifiedSubmission } from './gate-statements.js';
import { isValid, withStrategicOptIn } from './notice-input.js';
import { requestPlan, sealRecipientsOf } from './plan.js';
import { receiptStatus } from './receipt-status.js';
import { ReceiptWatcher } from './receipt-watcher.js';
import { replayBatches } from './replay.js';
import { MemorySentJournal, type SentJournal, sentNoticeOf } from './sent-journal.js';
import { submitCheckpoint } from './station-checkpoint.js';
import { TwoStep } from './two-step.js';
import type {
  FeedItem,
  PublishOptions,
  ReadReceiptOptions,
  ReceiptStatus,
  ReceiptTarget,
  ReplayItem,
} from './types.js';

export type { ClientOptions } from './client-options.js';
export { type PlanRecipient, sealRecipientsOf } from './plan.js';

const enc = new TextEncoder();
/** How long a delivery that could not be opened for a transient reason waits to come back. */
const REOPEN_DELAY_MS = 1000;

/**
 * The agency SDK. Seals with what the gate's signed plan says, publishes on the
 * agency's own intake subject, reads the agency's own feed, sends read receipts.
 *
 * @example
 * const client = await LiaisonClient.connect({ nc, keys, gateKeys });
 * const receipt = await client.publish(notice, { deny: ['country:RU'] });
 * for await (const item of client.feed()) { store(item.notice); await item.settle(); }
 * await client.sendReadReceipt(openedByAPerson, { reader }); // when someone opens it
 */
export class LiaisonClient {
  readonly agency: string;
  private readonly js: JetStreamClient;
  private readonly subjects: Subjects;
  private readonly logger: Logger;
  private readonly directory: Directory;
  readonly sent: SentJournal; // what it sent (accepted), for `caseThread`
  private watcher: Promise<ReceiptWatcher> | undefined;

  private constructor(private readonly o: ClientOptions) {
    this.agency = o.keys.agency;
    this.subjects = new Subjects(o.prefix ?? DEFAULT_PREFIX);
    // In its own account an agency sees only its durables' subjects, imported under agencyJsApi.
    this.js = jetstream(o.nc, {
      apiPrefix: o.broker === 'open' ? JS_API_PREFIX : this.subjects.agencyJsApi,
    });
    this.logger = o.logger ?? createLogger('client');
    this.directory = new Directory(o.nc, this.subjects.directory(this.agency), o.gateKeys);
    this.sent = o.sentJournal ?? new MemorySentJournal();
  }

  static async connect(o: ClientOptions): Promise<LiaisonClient> {
    return new LiaisonClient(o);
  }

  /** Connects as the agency (its nkey, TLS, its own inbox) and returns its client; `close` closes both. */
  static async open(
    o: Omit<ClientOptions, 'nc'> & { connection: ConnectionConfigInput },
  ): Promise<LiaisonClient> {
    const { connection, ...rest } = o;
    const client = new LiaisonClient({ ...rest, nc: await connect(connection) });
    client.ownsConnection = true;
    return client;
  }
  private ownsConnection = false;

  /** Follows this agency's receipts (publishers only), started on first use. */
  private receipts(): Promise<ReceiptWatcher> {
    this.watcher ??= ReceiptWatcher.start(
      this.o.nc,
      this.subjects.receiptsOf(this.agency),
      this.subjects.receiptsQuery(this.agency),
    );
    return this.watcher;
  }

  /** Asks the gate whom a notice would go to, at which level, with which keys (`./plan.ts`). */
  async plan(notice: unknown, audience: AudienceRequest = {}, provenance?: ProvenanceRequest) {
    const v = isValid(notice) ? notice : validateNotice(notice, new Date(), { screen: false });
    return requestPlan(
      this.o.nc,
      this.subjects.plan(this.agency),
      this.o.gateKeys,
      this.agency,
      v,
      audience,
      provenance,
      this.o.planCache,
    );
  }

  /**
   * Validates, plans, seals and publishes a notice; resolves with the gate's
   * signed submission receipt (accepted with the level per recipient, or rejected
   * with its code — then this throws REJECTED with the code in `issues`).
   */
  async publish(
    notice: unknown,
    audience: AudienceRequest = {},
    options: PublishOptions = {},
    amendment?: amend.AmendmentRequest,
  ): Promise<SubmissionReceipt> {
    const createdAt = new Date();
    const input = options.strategicOptIn ? withStrategicOptIn(notice) : notice;
    // Screened only if the plan has a strategic recipient: a notice for operational
    // partners only is never blocked by screening meant for strategic ones.
    const valid = validateNotice(input, createdAt, { screen: false });
    const plan = await this.plan(valid, audience, options.provenance);
    if (plan.some((r) => r.level === 'strategic'))
      // The registry's functional contacts (signed in the gate's directory) may be cited.
      screenNotice(valid, { now: createdAt, functionalContacts: await this.directory.contacts() });
    const recipients = sealRecipientsOf(plan);
    const sealed = await seal({
      notice: valid,
      sender: this.o.keys,
      recipients,
      audience,
      createdAt,
      ...(options.provenance ? { provenance: options.provenance } : {}),
      ...(amendment ? { amendment } : {}), // wire 1.2: a rectification
    });
    if (options.onSealed)
      await options.onSealed({
        noticeId: sealed.noticeId,
        headerSha256: Buffer.from(sha256(decodeEnvelope(sealed.bytes).header)).toString('hex'),
        recipients: plan.filter((r) => r.encryptionKey).map((r) => ({ agency: r.agency, level: r.level })),
      });
    return this.submit(sealed, options.timeoutMs, options.onStored);
  }

  /** Publishes a sealed envelope on this agency's intake and waits for the gate's signed answer. */
  private async submit(
    sealed: Sealed,
    timeoutMs = 15_000,
    onStored?: () => void,
  ): Promise<SubmissionReceipt> {
    const waiting = (await this.receipts()).waitFor(sealed.noticeId, timeoutMs);
    waiting.catch(() => undefined); // awaited below; do not let a timeout go unhandled meanwhile
    // Idempotent (the notice id is the message id): retried through a leader election.
    await retryTransient(() => this.js.publish(this.intakeSubject, sealed.bytes, { msgID: sealed.noticeId }));
    onStored?.();
    const receipt = await this.verifiedSubmission(await waiting);
    if (receipt.status === 'rejected') {
      throw new ClientError('REJECTED', `the gate rejected the notice: ${receipt.code}`, {
        issues: [{ code: receipt.code ?? 'REJECTED', path: [], message: receipt.message ?? '' }],
      });
    }
    await this.sent.record(sentNoticeOf(sealed, receipt));
    return receipt;
  }

  private verifiedSubmission(jws: string): Promise<SubmissionReceipt> {
    return verifiedSubmission(jws, this.o.gateKeys);
  }

  /** Replies, forwards, requests, answers, permissions (docs/conversations.md, `./conversation.ts`). */
  readonly conversation: Conversation = new Conversation(this);
  /** Two-step hit / no-hit queries, answers and follow-ups (docs/decisions/0015, `./two-step.ts`). */
  readonly hits: TwoStep = new TwoStep(this, this.conversation);

  /** Publishes raw bytes on this agency's intake subject (tools and tests). */
  async publishRaw(bytes: Uint8Array, msgId?: string): Promise<void> {
    await this.js.publish(this.intakeSubject, bytes, msgId ? { msgID: msgId } : undefined);
  }

  private get intakeSubject(): string {
    return this.o.intakeSubject ?? this.subjects.intake(this.agency);
  }

  /** The gate's submission receipt for one of this agency's notices: as it arrives, or from its stored receipts (a site's outbox). */
  async receiptFor(noticeId: string, timeoutMs = 15_000): Promise<SubmissionReceipt> {
    return this.verifiedSubmission(await (await this.receipts()).waitFor(noticeId, timeoutMs));
  }

  /**
   * This agency's feed: verified, opened notices with their markings, level and
   * sender, through a durable consumer (so nothing is missed between sessions).
   * A delivery that fails verification is logged, terminated and skipped.
   */
  async *feed(
    options: { kind?: NoticeKind; durable?: string; signal?: AbortSignal } = {},
  ): AsyncGenerator<FeedItem> {
    const durable = options.durable ?? feedDurable(this.agency, options.kind);
    // The durable is the operator's (provisioned from the registry); the agency only pulls.
    const consumer = await retryTransient(() => this.js.consumers.get(STREAMS.feed, durable), {
      attempts: 30,
      isTransient: (err) => isTransientJetStreamError(err) || /consumer not found/i.test(String(err)),
    });
    // Short pulls: after a failover, or a site's link to the hub coming back, the next
    // pull is seconds away (the client's default, 30 s, left a site's feed stalled that long).
    const messages = await consumer.consume({ max_messages: 64, expires: 5000 });
    options.signal?.addEventListener('abort', () => void messages.close());
    for await (const m of messages) {
      const item = await this.openDelivery(m);
      if (item) yield item;
    }
  }

  /** How far behind this agency's feed durable is (a station's metrics): stored and not pulled, pulled and not acked. */
  async feedPending(options: { kind?: NoticeKind; durable?: string } = {}): Promise<{
    pending: number;
    ackPending: number;
  }> {
    const durable = options.durable ?? feedDurable(this.agency, options.kind);
    const info = await (await this.js.consumers.get(STREAMS.feed, durable)).info(true);
    return { pending: info.num_pending, ackPending: info.num_ack_pending };
  }

  /** Verifies and opens one delivery's bytes: both signatures, the sender's key from the directory. */
  private async openEnvelope(bytes: Uint8Array): Promise<{ notice: OpenedNotice; headerSha256: string }> {
    // Decoded once: the header names the sender's key (fetched from the directory if new).
    const envelope = decodeEnvelope(bytes);
    const header = decodeHeader(envelope.header);
    await this.directory.ensure(header.sender, header.senderKeyId);
    const notice = await open(envelope, {
      recipient: this.o.keys,
      resolveKey: this.directory.resolver,
      resolveGateKey: this.directory.resolver,
    });
    return { notice, headerSha256: Buffer.from(sha256(envelope.header)).toString('hex') };
  }

  private async openDelivery(m: JsMsg): Promise<FeedItem | undefined> {
    try {
      const { notice, headerSha256 } = await this.openEnvelope(m.data);
      const settle = async () => {
        m.ack();
        await this.o.nc.flush();
      };
      return {
        notice,
        headerSha256,
        settle,
        ack: async (options) => {
          await this.sendReadReceipt(
            { noticeId: notice.noticeId, sender: notice.sender, headerSha256 },
            options,
          );
          m.ack();
        },
      };
    } catch (err) {
      if (err instanceof EnvelopeError) {
        // The delivery itself is bad (signature, countersignature, decryption, schema): drop it.
        this.logger.warn({ code: err.code, seq: m.seq }, 'delivery refused');
        m.term();
      } else {
        // The directory could not be reached (the gate restarting, a leader election): later.
        this.logger.warn({ err: String(err), seq: m.seq }, 'delivery not opened yet; redelivered later');
        m.nak(REOPEN_DELAY_MS);
      }
      return undefined;
    }
  }

  /**
   * Sends this agency's signed read receipt for a delivered notice: the statement that
   * it was opened (with `reader`, by the person whose access-log entry that is). The
   * gate relays the first one per notice to the sender and the audit log; it does not
   * touch the delivery's acknowledgement (`settle`). Idempotent: one message id per
   * notice and reader agency, retried through a leader election.
   *
   * @example
   * for await (const item of client.feed()) { store(item); await item.settle(); }
   * // later, when an officer opens it:
   * await client.sendReadReceipt(stored, { reader: { log, seq, leafHash } });
   */
  async sendReadReceipt(target: ReceiptTarget, options: ReadReceiptOptions = {}): Promise<void> {
    const receipt: ReadReceipt = {
      type: 'read',
      noticeId: target.noticeId,
      sender: target.sender,
      recipient: this.agency,
      headerSha256: target.headerSha256,
      readAt: options.readAt ?? Date.now(),
      ...(options.reader ? { reader: options.reader } : {}),
      ...(options.applied ? { applied: options.applied } : {}),
    };
    const jws = enc.encode(await signReceipt(receipt, this.o.keys));
    await retryTransient(() =>
      this.js.publish(this.subjects.ack(this.agency), jws, {
        msgID: `read/${target.noticeId}/${this.agency}`,
      }),
    );
  }

  /**
   * This agency's stored deliveries from a time, as the gate reads them back from the
   * feed's retention (agencies hold no consumer of their own to rewind): each verified
   * and opened exactly like a live delivery; one that fails verification is logged and
   * skipped. Nothing is acknowledged and no receipt is sent.
   */
  async *replay(options: { since: Date | number; signal?: AbortSignal }): AsyncGenerator<ReplayItem> {
    const since = typeof options.since === 'number' ? options.since : options.since.getTime();
    for await (const d of replayBatches(
      this.o.nc,
      this.subjects.replay(this.agency),
      since,
      options.signal,
    )) {
      try {
        const { notice, headerSha256 } = await this.openEnvelope(d.bytes);
        yield { notice, headerSha256, seq: d.seq, storedAt: d.at };
      } catch (err) {
        if (!(err instanceof EnvelopeError)) throw err;
        this.logger.warn({ code: err.code, seq: d.seq }, 'replayed delivery refused');
      }
    }
  }

  /** Rectifies one of this agency's notices (wire 1.2, LED Art. 16): the whole corrected notice, for exactly its recipients. */
  rectify(orig: SubmissionReceipt, corrected: unknown, why: amend.AmendmentReason, o: PublishOptions = {}) {
    const r = amend.rectificationOf(this.agency, orig, why);
    return this.publish(corrected, r.audience, o, r.amendment);
  }

  /** Asks every recipient of one of this agency's notices to erase it (wire 1.2): no content, only the instruction. */
  async requestErasure(orig: SubmissionReceipt, o: amend.ErasureRequestOptions) {
    return this.submit(await amend.sealErasureRequest(this.o.keys, orig, o), o.timeoutMs);
  }

  /** Who has confirmed applying one of this agency's rectifications or erasure requests. */
  async amendmentStatus(amendmentId: string): Promise<amend.AmendmentConfirmation[]> {
    return amend.confirmationsOf(await this.receiptsFor(amendmentId));
  }

  /** Delivered / read status per recipient of one of this agency's notices. */
  async receiptsFor(noticeId: string): Promise<ReceiptStatus[]> {
    await this.directory.refresh();
    const all = await (await this.receipts()).history(noticeId);
    return receiptStatus(all, this.agency, this.directory.resolver);
  }

  /** The deadline service's signed reports (DUE_SOON, OVERDUE) on a request this agency sent or was asked. */
  async deadlineReports(requestId: string): Promise<DeadlineReport[]> {
    await this.directory.refresh();
    return verifiedReports(await (await this.receipts()).history(requestId), this.directory.resolver);
  }

  /** Records this agency station's signed access-log checkpoint in the audit log (`./station-checkpoint.ts`). */
  submitStationCheckpoint(note: string) {
    return submitCheckpoint(this.o.nc, this.subjects.stationCheckpoint(this.agency), note);
  }

  async close(): Promise<void> {
    if (this.watcher) await (await this.watcher).stop();
    if (this.ownsConnection) await this.o.nc.close();
  }
}
