import type { Logger } from '@liaison/core';
import { AuditEntryKind, type AuditWriter } from './audit.js';

interface Tally {
  count: number;
  firstSeq: number;
}

/**
 * Counts the submissions refused as RATE_LIMITED and records them in the audit log
 * as one REJECTION entry per agency and window, with the count: a flood is answered
 * message by message, but must not write one permanent record per junk message.
 * In memory: a gate that dies loses the count of its current window (the answers
 * were sent; docs/exchange.md).
 */
export class RateLimitSummary {
  private tallies = new Map<string, Tally>();
  private windowStart = Date.now();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly audit: AuditWriter,
    windowMs: number,
    private readonly logger: Logger,
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
    await Promise.all(
      [...tallies].map(async ([agency, t]) => {
        try {
          await this.audit.append(`rate-limited/${this.audit.gateId}/${agency}/${start}`, {
            kind: AuditEntryKind.REJECTION,
            atMs: BigInt(this.windowStart),
            sender: agency,
            code: 'RATE_LIMITED',
            intakeSeq: BigInt(t.firstSeq),
            count: BigInt(t.count),
          });
          this.logger.warn({ sender: agency, count: t.count }, 'submissions rate limited');
        } catch (err) {
          this.logger.warn(
            { err: String(err), sender: agency, count: t.count },
            'rate-limit summary not recorded',
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
