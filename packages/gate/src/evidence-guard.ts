import type { Logger } from '@liaison/core';
import { STREAMS } from '@liaison/topology';
import { DiscardPolicy, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';

/** When the gate holds its intake because evidence cannot be written (`GateSettings.evidence`). */
export interface EvidenceSettings {
  /** The oldest audit batch the writer has not taken yet may be this old (ms; 0: no bound). */
  maxLagMs: number;
  /** At most this many audit batches may wait for the writer (0: no bound). */
  maxLagMessages: number;
  /** How long a submission waits for the audit log before it is answered AUDIT_UNAVAILABLE (ms). */
  holdMs: number;
  /** How often `AUDIT_IN` is looked at (ms). */
  checkMs: number;
}

export const DEFAULT_EVIDENCE: EvidenceSettings = {
  maxLagMs: 30_000,
  maxLagMessages: 50_000,
  holdMs: 10_000,
  checkMs: 1_000,
};

/** Why the gate holds its intake. */
export type EvidenceReason =
  /** `AUDIT_IN` does not exist (deleted, or never created by a writer or gate). */
  | 'AUDIT_IN_MISSING'
  /** `AUDIT_IN` does not answer (no leader, no quorum, server unreachable). */
  | 'AUDIT_IN_UNREACHABLE'
  /** `AUDIT_IN` is at its own limits (messages or bytes, discarding new ones): publishes are refused. */
  | 'AUDIT_IN_FULL'
  /** The writer is behind by more than the bound (stopped, stalled, overwhelmed). */
  | 'AUDIT_LAG'
  /** A publish to `AUDIT_IN` failed (refused — e.g. over the account's limits — or timed out). */
  | 'AUDIT_PUBLISH_FAILED';

/** The gate's evidence state, as a metrics exporter would read it (`Gate.health()`). */
export interface EvidenceHealth {
  state: 'open' | 'closed';
  reason: EvidenceReason | undefined;
  /** When the intake was last held (ms since the epoch), while it is. */
  closedSince: number | undefined;
  /** Gauge: audit batches in `AUDIT_IN` the writer has not taken, at the last look. */
  auditLagMessages: number;
  /** Gauge: age of the oldest of them (ms), at the last look. */
  auditLagMs: number;
  /** Gauge: submissions waiting for the audit log now. */
  held: number;
  /** Counter: how often the intake was held. */
  closures: number;
  /** Counter: submissions answered AUDIT_UNAVAILABLE. */
  auditUnavailable: number;
  /** When `AUDIT_IN` was last looked at (ms since the epoch). */
  checkedAt: number;
}

/** How often a held message tells JetStream it is still being worked on. */
const WORKING_EVERY_MS = 5_000;

/**
 * Fail closed when evidence cannot be written. Nothing may reach a recipient that
 * the audit log cannot record (X-Road stops exchanging when it cannot timestamp):
 * the guard looks at `AUDIT_IN` every `checkMs` — there, the writer's lag — and
 * hears of every failed audit publish; while `AUDIT_IN` is missing, unreachable or
 * refusing, or the writer is behind the bound, the intake is held (submissions wait,
 * then are answered AUDIT_UNAVAILABLE), an alarm is logged with a stable code, and
 * the gate resumes by itself once a look finds the audit log healthy again.
 */
export class EvidenceGuard {
  private reason: EvidenceReason | undefined;
  private closedSince: number | undefined;
  private lagMessages = 0;
  private lagMs = 0;
  private checkedAt = 0;
  private closures = 0;
  private refused = 0;
  private readonly waiters = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;

  constructor(
    private readonly jsm: JetStreamManager,
    readonly settings: EvidenceSettings,
    private readonly logger: Logger,
  ) {}

  /** Looks once (so a gate never starts open on a log it cannot write), then every `checkMs`. */
  async start(): Promise<void> {
    await this.check();
    this.timer = setInterval(() => void this.check(), this.settings.checkMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    for (const wake of this.waiters) wake();
  }

  get open(): boolean {
    return this.reason === undefined;
  }

  /** Looks at `AUDIT_IN`: there, unanswered, or behind. One look at a time. */
  check(): Promise<void> {
    this.checking ??= this.look().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  private async look(): Promise<void> {
    try {
      const { state, config } = await this.jsm.streams.info(STREAMS.auditIn);
      const now = Date.now();
      this.checkedAt = now;
      this.lagMessages = state.messages;
      this.lagMs = state.messages > 0 ? Math.max(0, now - Date.parse(state.first_ts)) : 0;
      const { maxLagMs, maxLagMessages } = this.settings;
      const behind =
        (maxLagMs > 0 && this.lagMs > maxLagMs) || (maxLagMessages > 0 && this.lagMessages > maxLagMessages);
      const full =
        config.discard === DiscardPolicy.New &&
        ((config.max_msgs > 0 && state.messages >= config.max_msgs) ||
          (config.max_bytes > 0 && state.bytes >= config.max_bytes));
      if (full) this.close('AUDIT_IN_FULL');
      else if (behind) this.close('AUDIT_LAG');
      else this.reopen();
    } catch (err) {
      this.checkedAt = Date.now();
      this.close(/stream not found/i.test(String(err)) ? 'AUDIT_IN_MISSING' : 'AUDIT_IN_UNREACHABLE', err);
    }
  }

  /** A publish to `AUDIT_IN` failed: hold at once; the next look decides when to resume. */
  reportFailure(err: unknown): void {
    this.close('AUDIT_PUBLISH_FAILED', err);
  }

  private close(reason: EvidenceReason, err?: unknown): void {
    if (this.reason === reason) return;
    const wasOpen = this.open;
    this.reason = reason;
    if (wasOpen) {
      this.closedSince = Date.now();
      this.closures++;
    }
    this.logger.error(
      {
        code: 'AUDIT_UNAVAILABLE',
        reason,
        auditLagMessages: this.lagMessages,
        auditLagMs: this.lagMs,
        ...(err === undefined ? {} : { err: String(err) }),
      },
      'evidence cannot be written: intake held',
    );
  }

  private reopen(): void {
    if (this.open) return;
    this.logger.warn(
      { code: 'AUDIT_RESUMED', heldForMs: Date.now() - (this.closedSince ?? Date.now()) },
      'evidence can be written again: intake resumed',
    );
    this.reason = undefined;
    this.closedSince = undefined;
    for (const wake of this.waiters) wake();
  }

  /**
   * Resolves true at once while evidence can be written; otherwise holds the message
   * (telling JetStream it is being worked on, so it is not redelivered meanwhile) until
   * the guard reopens — true — or `deadline` passes — false.
   */
  async admit(m: JsMsg, deadline: number): Promise<boolean> {
    if (this.open) return true;
    let wake!: () => void;
    const woken = new Promise<void>((resolve) => {
      wake = resolve;
    });
    this.waiters.add(wake);
    const working = setInterval(() => m.working(), WORKING_EVERY_MS);
    const expired = setTimeout(wake, Math.max(0, deadline - Date.now()));
    try {
      await woken;
      return this.open;
    } finally {
      this.waiters.delete(wake);
      clearInterval(working);
      clearTimeout(expired);
    }
  }

  /** A submission was answered AUDIT_UNAVAILABLE. */
  countRefused(): void {
    this.refused++;
  }

  health(): EvidenceHealth {
    return {
      state: this.open ? 'open' : 'closed',
      reason: this.reason,
      closedSince: this.closedSince,
      auditLagMessages: this.lagMessages,
      auditLagMs: this.lagMs,
      held: this.waiters.size,
      closures: this.closures,
      auditUnavailable: this.refused,
      checkedAt: this.checkedAt,
    };
  }
}
