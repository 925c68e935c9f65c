import { defaultWarn, RequestBook, type RequestState } from '@liaison/audit-log';
import { createLogger, type Logger } from '@liaison/core';
import { type AgencyKeys, signDeadlineReport } from '@liaison/envelope';
import { STREAMS, Subjects } from '@liaison/topology';
import { AuditBatchSchema, AuditEntryKind, AuditEntrySchema, create, toBinary } from '@liaison/wire';
import { type ConsumerMessages, type JetStreamClient, jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { followLog } from './follow-log.js';

export interface DeadlineServiceOptions {
  nc: NatsConnection;
  /** The service's keys (it signs its reports). */
  keys: AgencyKeys;
  prefix?: string;
  /** How long before a deadline the parties are told (ms); default a quarter of the deadline. */
  warnMs?: number;
  logger?: Logger;
  /** The clock (tests). */
  now?: () => number;
}

const AUDIT_DOMAIN = 'liaison.v1.AuditEntry';
const enc = new TextEncoder();
/** A timer never sleeps longer than this (Node's limit is ~24.8 days; the log may bring news anyway). */
const MAX_SLEEP_MS = 60 * 60 * 1000;

/**
 * Tracks every information request's deadline (Directive 2023/977 Art. 5) from the
 * audit log and, when one is near (DUE_SOON) or passed (OVERDUE) without an answer,
 * tells the requester and the requested agencies (a signed report on their receipt
 * subjects for that request) and records the escalation in the audit log.
 *
 * No timer can be lost: the state is a fold over the log (`RequestBook`), re-derived on
 * every start, and the escalations it recorded are in the log too, so a restart
 * neither repeats nor forgets one. Its publishes carry message ids derived from the
 * request and the stage, so a crash between them repeats nothing the duplicate windows
 * still hold.
 */
export class DeadlineService {
  private readonly book = new RequestBook();
  private readonly js: JetStreamClient;
  private readonly subjects: Subjects;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly sent = new Set<string>();
  private messages: ConsumerMessages | undefined;
  private timer: NodeJS.Timeout | undefined;
  private live = false;
  private stopped = false;
  private running: Promise<void> = Promise.resolve();

  private constructor(private readonly o: DeadlineServiceOptions) {
    this.js = jetstream(o.nc);
    this.subjects = new Subjects(o.prefix);
    this.logger = o.logger ?? createLogger('deadlines');
    this.now = o.now ?? Date.now;
  }

  static async start(o: DeadlineServiceOptions): Promise<DeadlineService> {
    const s = new DeadlineService(o);
    s.messages = await followLog(
      o.nc,
      STREAMS.audit,
      (e) => {
        s.book.apply(e);
        if (s.live) s.schedule();
      },
      () => {
        s.live = true;
        s.logger.info({ requests: s.book.requests.size }, 'deadlines re-derived from the audit log');
        s.schedule();
      },
    );
    return s;
  }

  /** The requests as the service sees them (tests, the CLI). */
  get requests(): ReadonlyMap<string, RequestState> {
    return this.book.requests;
  }

  private warn = (r: RequestState): number => this.o.warnMs ?? defaultWarn(r);

  private schedule(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    const now = this.now();
    const next = this.book.nextWake(now, this.warn);
    if (next === undefined) return;
    const delay = Math.min(Math.max(0, next - now), MAX_SLEEP_MS);
    this.timer = setTimeout(() => {
      this.running = this.running
        .then(() => this.tick())
        .catch((err) => {
          this.logger.warn({ err: String(err) }, 'escalation failed; retrying');
          setTimeout(() => this.schedule(), 1000);
        });
    }, delay);
  }

  private async tick(): Promise<void> {
    const now = this.now();
    for (const { request, stage, dueAt } of this.book.due(now, this.warn)) {
      const key = `${request.requestId}/${stage}`;
      if (this.sent.has(key)) continue;
      await this.escalate(request, stage, dueAt, now);
      this.sent.add(key);
      // The log will bring the entry back; until then the book knows it too.
      request.escalations.add(stage);
    }
    this.schedule();
  }

  private async escalate(
    r: RequestState,
    stage: 'DUE_SOON' | 'OVERDUE',
    dueAt: number,
    now: number,
  ): Promise<void> {
    const id = this.o.keys.agency;
    const report = signDeadlineReport(
      {
        type: 'deadline',
        requestId: r.requestId,
        requester: r.requester,
        requested: r.requested,
        stage,
        dueAt,
        at: now,
        service: id,
      },
      this.o.keys,
    );
    for (const party of [r.requester, ...r.requested])
      await this.js.publish(this.subjects.receipt(party, r.requestId), enc.encode(report), {
        msgID: `deadline/${r.requestId}/${stage}/${party}`,
      });
    const entries = r.requested.map((recipient) =>
      create(AuditEntrySchema, {
        domain: AUDIT_DOMAIN,
        kind: AuditEntryKind.ESCALATION,
        atMs: BigInt(now),
        gateId: id,
        noticeId: r.requestId,
        sender: r.requester,
        recipient,
        code: stage,
        dueAtMs: BigInt(dueAt),
      }),
    );
    await this.js.publish(
      this.subjects.auditIn(id),
      toBinary(AuditBatchSchema, create(AuditBatchSchema, { entries })),
      { msgID: `escalation/${r.requestId}/${stage}` },
    );
    this.logger.info({ request: r.requestId, stage, dueAt }, 'deadline escalated');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.messages?.close();
    await this.running.catch(() => undefined);
  }
}
