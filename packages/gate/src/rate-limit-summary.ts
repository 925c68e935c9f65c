import type { Logger } from '@liaison/core';
import { AuditEntryKind, type AuditWriter } from './audit.js';

interface Tally {
  count: number;
  firstSeq: number;
}

/** The codes whose refusals are recorded as summaries rather than one by one. */
export type SummarisedCode = 'RATE_LIMITED' | 'AUDIT_UNAVAILABLE';

const ID_PREFIX: Record<SummarisedCode, string> = {
  RATE_LIMITED: 'rate-limited',
  AUDIT_UNAVAILABLE: 'audit-unavailable',
};

/**
 * Counts the submissions refused with one code — RATE_LIMITED, or AUDIT_UNAVAILABLE
 * (refused because the audit log could not record them) — and records them in the audit
 * log as one REJECTION entry per agency and window, with the count: a flood is answered
 * message by message, but must not write one permanent record per junk message.
 * In memory: a gate that dies loses the count of its current window (the answers
 * were sent; docs/exchange.md). A summary that cannot be recorded (the audit log is
 * unavailable: the very reason for AUDIT_UNAVAILABLE) is tried again, under the same
 * message id, at the end of the next window.
 */
export class RateLimitSummary {
  private tallies = new Map<string, Tally>();
  private windowStart = Date.now();
  private readonly timer: NodeJS.Timeout;
  private unsent = new Map<string, { agency: string; t: Tally; atMs: number }>();

  constructor(
    private readonly audit: AuditWriter,
    windowMs: number,
    private readonly logger: Logger,
    private readonly code: SummarisedCode = 'RATE_LIMITED',
  ) {
    this.timer = setInterval(() => void this.flush(), windowMs);
    this.timer.unref();
  }

  add(agency: string, intakeSeq: number): void {
    const t = this.tallies.get(agency);
    if (t) t.count++;
    else this.tallies.set(agency, { count: 1, firstSeq: intakeSeq });
  }

  /** Writes one entry per agency for the window that ends now. */
  async flush(): Promise<void> {
    const tallies = this.tallies;
    const start = this.windowStart;
    this.tallies = new Map();
    this.windowStart = Date.now();
    const due = this.unsent;
    this.unsent = new Map();
    for (const [agency, t] of tallies)
      due.set(`${ID_PREFIX[this.code]}/${this.audit.gateId}/${agency}/${start}`, {
        agency,
        t,
        atMs: this.windowStart,
      });
    await Promise.all(
      [...due].map(async ([msgId, { agency, t, atMs }]) => {
        try {
          await this.audit.append(msgId, {
            kind: AuditEntryKind.REJECTION,
            atMs: BigInt(atMs),
            sender: agency,
            code: this.code,
            intakeSeq: BigInt(t.firstSeq),
            count: BigInt(t.count),
          });
          this.logger.warn({ code: this.code, sender: agency, count: t.count }, 'submissions refused');
        } catch (err) {
          this.unsent.set(msgId, { agency, t, atMs });
          this.logger.warn(
            { err: String(err), code: this.code, sender: agency, count: t.count },
            'refusal summary not recorded yet',
          );
        }
      }),
    );
  }

  /** Stops the timer and records what is left. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
