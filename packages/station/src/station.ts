import type { AmendmentConfirmation, LiaisonClient, ReceiptStatus } from '@liaison/client';
import type { Logger } from '@liaison/core';
import type { AgencyKeys, AudienceRequest } from '@liaison/envelope';
import type { NoticeInput } from '@liaison/notice';
import { type AccessLog, type AccessQuery, AccessLog as Log, type SignedEntry } from './access-log.js';
import { inheritedMarkings, type Relation, refOf } from './conversations.js';
import type { Db } from './db.js';
import { StationError } from './errors.js';
import { FeedFollower } from './feed-follower.js';
import { Inbox, type InboxEntry, type InboxFilter, InboxFilterSchema } from './inbox.js';
import { inboxKey } from './inbox-crypto.js';
import { StationLifecycle } from './lifecycle/station-lifecycle.js';
import { LogCheckpointer } from './log-checkpointer.js';
import { type LockoutPolicy, type NewOfficer, type Officer, Officers } from './officers.js';
import { Outbox, type OutboxEntry } from './outbox.js';
import type { ScryptCost } from './passwords.js';
import { type Preview, Publisher, type SitePublishing } from './publishing.js';
import { can, type Permission, PURPOSES, type Purpose } from './roles.js';
import { type SessionPolicy, Sessions } from './sessions.js';
import type { StoredNotice } from './stored-notice.js';

export interface StationOptions {
  db: Db;
  /** The agency's keys, from its key home; the station is their only holder. */
  keys: AgencyKeys;
  /** The agency's SDK client; absent in tests that only exercise the store. */
  client?: LiaisonClient;
  logger: Logger;
  passwordCost?: ScryptCost;
  lockout?: LockoutPolicy;
  sessions?: SessionPolicy;
  /** The clock of the lifecycle (tests move it months ahead). */
  now?: () => number;
  /** At an agency site: publishing answers "queued" once a notice is in the site's outbox (`./site.ts`). */
  site?: SitePublishing;
}

/** Why, and optionally a short note (kept in the access log only). */
export interface Justification {
  purpose: Purpose;
  note?: string;
}

function checkPurpose(j: Justification): Justification {
  if (!PURPOSES.includes(j.purpose)) throw new StationError('INVALID_INPUT', 'state a purpose');
  if (j.note !== undefined && j.note.length > 200)
    throw new StationError('INVALID_INPUT', 'the note is too long');
  return j.note?.trim() ? { purpose: j.purpose, note: j.note.trim() } : { purpose: j.purpose };
}

/**
 * The agency station's operations: what the console (and tests, and later a CLI)
 * call. Every operation takes the acting officer, checks the role, and records
 * consultations, disclosures and searches in the access log before it returns
 * anything.
 */
export class Station {
  readonly agency: string;
  readonly inbox: Inbox;
  readonly officers: Officers;
  readonly sessions: Sessions;
  readonly log: AccessLog;
  /** Reviews, PNR masking, erasure and amendments (docs/lifecycle.md). */
  readonly lifecycle: StationLifecycle;
  readonly outbox: Outbox;
  /** Hands the access log's checkpoints to the exchange's audit log (with an exchange client). */
  readonly checkpoints: LogCheckpointer | undefined;
  private readonly follower: FeedFollower | undefined;
  private readonly publisher: Publisher;
  private readonly client: LiaisonClient | undefined;

  private constructor(o: StationOptions, inbox: Inbox) {
    this.agency = o.keys.agency;
    this.inbox = inbox;
    this.officers = new Officers(o.db, o.passwordCost, o.lockout);
    this.sessions = new Sessions(o.db, o.sessions);
    this.log = Log.open(o.db, o.keys);
    this.lifecycle = new StationLifecycle(inbox, this.log, o.now);
    this.outbox = new Outbox(o.db);
    this.client = o.client;
    this.checkpoints = o.client ? new LogCheckpointer(o.db, this.log, o.client, o.logger) : undefined;
    this.follower = o.client
      ? new FeedFollower(o.client, inbox, o.logger, (id) => this.log.firstConsultation(id), this.lifecycle)
      : undefined;
    this.publisher = new Publisher(
      this.agency,
      o.client,
      this.log,
      this.outbox,
      (id) => inbox.markAnswered(id),
      o.site,
    );
  }

  static async open(o: StationOptions): Promise<Station> {
    const inbox = new Inbox(o.db, await inboxKey(o.db, o.keys), o.keys.agency);
    inbox.backfillLifecycle();
    return new Station(o, inbox);
  }

  /** Follows the agency's feed into the inbox until `signal` aborts. */
  follow(signal: AbortSignal): Promise<void> {
    return this.requireFollower().run(signal);
  }

  private requireFollower(): FeedFollower {
    if (!this.follower) throw new StationError('CONFIG_INVALID', 'this station has no exchange client');
    return this.follower;
  }

  /**
   * Stores what the exchange still holds for the agency since a time (within the
   * feed's retention), through the gate's replay endpoint; already stored deliveries
   * are kept as they are. `officer` is who asked (a supervisor), or none at start-up.
   */
  async replay(officer: Officer | undefined, since: number): Promise<{ seen: number; stored: number }> {
    if (officer) this.require(officer, 'feed.replay');
    if (!Number.isFinite(since) || since < 0 || since > Date.now())
      throw new StationError('INVALID_INPUT', 'replay from a time in the past');
    return this.requireFollower().replay(since);
  }

  /**
   * Validates, screens and plans a notice from the publish form; a valid one becomes the
   * officer's draft. A reply, forward, answer or request names the stored notices it
   * concerns (`./conversations.ts`): the original's markings are inherited and the plan
   * is asked with the provenance.
   */
  previewNotice(
    officer: Officer,
    notice: NoticeInput,
    audience: AudienceRequest = {},
    conversation?: { relation: Relation; originalId?: string; permissionId?: string },
  ): Promise<Preview> {
    this.require(officer, 'notice.publish');
    const intent = conversation && {
      relation: conversation.relation,
      ...(conversation.originalId ? { original: this.inbox.read(conversation.originalId) } : {}),
      ...(conversation.permissionId ? { permission: this.inbox.read(conversation.permissionId) } : {}),
    };
    return this.publisher.preview(officer, notice, audience, intent);
  }

  /**
   * What a reply to, forward of or answer to a stored notice starts from: the original's
   * markings (no content) and those the new notice inherits at least.
   */
  conversationStart(officer: Officer, noticeId: string, kind: string) {
    this.require(officer, 'notice.publish');
    const original = this.inbox.read(noticeId);
    return { markings: original.markings, inherited: inheritedMarkings(original, kind) };
  }

  /** The provider's grant of onward dissemination of `noticeId` this agency holds, if any. */
  grantFor(noticeId: string): string | undefined {
    for (const line of this.inbox.list({ kind: 'onward-permission', limit: 500 })) {
      const p = this.inbox.read(line.noticeId).conversation?.permission;
      if (p?.decision === 'granted' && p.noticeId === noticeId) return line.noticeId;
    }
    return undefined;
  }

  /** Asks a delivered notice's provider for onward permission to `recipients` (a disclosure to the provider). */
  requestPermission(officer: Officer, noticeId: string, recipients: string[], j: Justification) {
    this.require(officer, 'notice.publish');
    const clean = recipients.map((r) => r.trim()).filter(Boolean);
    if (clean.length === 0 || clean.some((r) => !/^[a-z0-9-]{2,40}$/.test(r)))
      throw new StationError('INVALID_INPUT', 'name the agencies it would go to');
    const original = this.inbox.read(noticeId);
    const { inReplyTo: _r, reviewAt: _v, expiresAt: _e, ...markings } = original.markings;
    return this.publisher.sendDirect(officer, 'onward-permission', markings, checkPurpose(j), (o) =>
      this.publisher.exchange!.conversation.requestPermission(refOf(original), clean, markings, undefined, o),
    );
  }

  /** As the provider: grants or refuses a permission request this agency received. */
  decidePermission(officer: Officer, requestId: string, decision: 'granted' | 'refused', j: Justification) {
    this.require(officer, 'notice.publish');
    const request = this.inbox.read(requestId);
    if (request.kind !== 'onward-permission' || request.conversation?.permission?.decision !== 'requested')
      throw new StationError('INVALID_INPUT', 'not a permission request');
    return this.publisher.sendDirect(
      officer,
      'onward-permission',
      request.markings as unknown as Record<string, unknown>,
      checkPurpose(j),
      (o) => this.publisher.exchange!.conversation.decidePermission(refOf(request), decision, o),
    );
  }

  /** Publishes the officer's draft; the disclosure is in the access log before it leaves. */
  sendDraft(officer: Officer, draftId: string, j: Justification) {
    this.require(officer, 'notice.publish');
    return this.publisher.send(officer, draftId, checkPurpose(j));
  }

  /** What the agency's officers sent. */
  sent(officer: Officer): OutboxEntry[] {
    this.require(officer, 'outbox.read');
    return this.outbox.list();
  }

  /** One sent notice and its receipts per recipient (delivered, read, the reader's log entry). */
  async receiptsOf(
    officer: Officer,
    noticeId: string,
  ): Promise<{ sent: OutboxEntry; status: ReceiptStatus[] }> {
    this.require(officer, 'outbox.read');
    const sent = this.outbox.entry(noticeId);
    if (!this.client) return { sent, status: [] };
    return { sent, status: await this.client.receiptsFor(noticeId) };
  }

  /** Who has confirmed one of this agency's rectifications or erasure requests (the provider's view). */
  async amendmentStatus(officer: Officer, amendmentId: string): Promise<AmendmentConfirmation[]> {
    this.require(officer, 'outbox.read');
    if (!this.client) return [];
    return this.client.amendmentStatus(amendmentId);
  }

  private require(officer: Officer, permission: Permission): void {
    if (!can(officer.role, permission)) throw new StationError('FORBIDDEN', 'not allowed for your role');
  }

  /** The first administrator, when the station has no account yet. */
  async bootstrapAdmin(input: Omit<NewOfficer, 'role'>): Promise<Officer | undefined> {
    if (this.officers.count() > 0) return undefined;
    return this.officers.create({ ...input, role: 'admin' }, undefined);
  }

  async createOfficer(admin: Officer, input: NewOfficer): Promise<Officer> {
    this.require(admin, 'officers.manage');
    return this.officers.create(input, admin.id);
  }

  unlockOfficer(admin: Officer, id: string): void {
    this.require(admin, 'officers.manage');
    this.officers.unlock(id);
  }

  listOfficers(admin: Officer): Officer[] {
    this.require(admin, 'officers.manage');
    return this.officers.list();
  }

  /**
   * The inbox, urgent first. A search (any filter) is an access-log entry with
   * its filters and the number of lines it matched; the plain inbox view is not.
   */
  search(
    officer: Officer,
    filter: InboxFilter,
    j: Justification = { purpose: 'routine-review' },
  ): InboxEntry[] {
    this.require(officer, 'inbox.list');
    const parsed = InboxFilterSchema.safeParse(filter);
    if (!parsed.success) throw new StationError('INVALID_INPUT', 'invalid inbox filter');
    const lines = this.inbox.list(parsed.data);
    const { limit: _limit, ...query } = parsed.data;
    if (Object.values(query).some((v) => v !== undefined)) {
      this.log.append({
        officer,
        action: 'search',
        ...checkPurpose(j),
        query: Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as Record<
          string,
          string | boolean
        >,
        results: lines.length,
      });
    }
    return lines;
  }

  /**
   * Opens a notice for an officer: logs the consultation (who, when, why, which
   * notice), decrypts it, marks it read, and on the first opening sends the agency's
   * signed read receipt through the SDK, naming that access-log entry (no name).
   */
  async openNotice(
    officer: Officer,
    noticeId: string,
    j: Justification,
  ): Promise<{ notice: StoredNotice; entry: SignedEntry }> {
    this.require(officer, 'notice.open');
    const line = this.inbox.entry(noticeId);
    const notice = this.inbox.read(noticeId);
    const entry = this.log.append({
      officer,
      action: 'consult',
      ...checkPurpose(j),
      notice: this.noticeRef(notice, line),
    });
    this.inbox.markOpened(noticeId);
    await this.follower?.receiptFor(noticeId);
    return { notice, entry };
  }

  /** Discloses a notice (an export for a case file, a court, a partner): logged with the recipients. */
  exportNotice(
    officer: Officer,
    noticeId: string,
    j: Justification & { recipients: string[] },
  ): { notice: StoredNotice; entry: SignedEntry } {
    this.require(officer, 'notice.export');
    const recipients = j.recipients.map((r) => r.trim()).filter(Boolean);
    if (recipients.length === 0 || recipients.some((r) => r.length > 200))
      throw new StationError('INVALID_INPUT', 'name the recipients of the disclosure');
    const line = this.inbox.entry(noticeId);
    const notice = this.inbox.read(noticeId);
    const entry = this.log.append({
      officer,
      action: 'disclose',
      ...checkPurpose(j),
      notice: this.noticeRef(notice, line),
      recipients,
    });
    return { notice, entry };
  }

  private noticeRef(n: StoredNotice, line: InboxEntry) {
    return {
      id: n.noticeId,
      sender: n.sender,
      kind: n.kind,
      level: line.level,
      headerSha256: n.provenance.headerSha256,
    };
  }

  /** The access log, for the data protection officer (and auditors through the DPO's export). */
  accessLog(officer: Officer, q: AccessQuery = {}): SignedEntry[] {
    this.require(officer, 'accesslog.read');
    return this.log.query(q);
  }

  /** Inclusion proof and the signed checkpoint it is checked against. */
  accessProof(officer: Officer, seq: number) {
    this.require(officer, 'accesslog.read');
    return { proof: this.log.inclusionProof(seq), checkpoint: this.log.signedCheckpoint() };
  }

  verifyAccessLog(officer: Officer) {
    this.require(officer, 'accesslog.read');
    return this.log.verify();
  }

  /** The log's size, root and consistency proofs, for an auditor's check against recorded checkpoints. */
  logView(officer: Officer) {
    this.require(officer, 'accesslog.figures');
    return this.log.view();
  }

  /**
   * The DPO's overview (header metadata and the log only, no content): the access log,
   * its verification, the checkpoint the exchange last recorded, and the traffic
   * received and sent per partner and level.
   */
  dpoOverview(officer: Officer) {
    this.require(officer, 'accesslog.figures');
    return {
      entries: this.log.query({ limit: 100_000 }),
      verified: this.log.verify(),
      recorded: this.checkpoints?.recorded(),
      view: this.log.view(),
      received: this.inbox.traffic(),
      requests: this.inbox.deadlines(),
      sent: this.outbox.list().map((e) => ({ sentAt: e.sentAt, recipients: e.recipients })),
    };
  }
}
