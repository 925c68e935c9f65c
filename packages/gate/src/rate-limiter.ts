/** How many messages per second a key may send on average, and how many at once. */
export interface RateLimit {
  /** Tokens added per second; 0 turns the limit off. */
  ratePerSec: number;
  /** The bucket's size: the largest burst allowed after a quiet spell. */
  burst: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets kept before idle (full) ones are forgotten: keys come from subjects. */
const MAX_BUCKETS = 10_000;

/**
 * A token bucket per key (an agency). In memory, per gate instance: several gates
 * sharing the intake queue each allow the rate (docs/exchange.md).
 *
 * @example
 * const limiter = new RateLimiter({ ratePerSec: 20, burst: 100 });
 * if (!limiter.take('at-bmi')) answer('RATE_LIMITED');
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limit: RateLimit,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Takes one token from the key's bucket; false if it is empty. */
  take(key: string): boolean {
    if (this.limit.ratePerSec <= 0) return true;
    const now = this.clock();
    const b = this.buckets.get(key) ?? { tokens: this.limit.burst, at: now };
    b.tokens = Math.min(this.limit.burst, b.tokens + ((now - b.at) / 1000) * this.limit.ratePerSec);
    b.at = now;
    if (!this.buckets.has(key)) {
      if (this.buckets.size >= MAX_BUCKETS) this.forgetIdle(now);
      this.buckets.set(key, b);
    }
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  /** Drops buckets that have refilled (forgetting them changes nothing), else the oldest. */
  private forgetIdle(now: number): void {
    for (const [key, b] of this.buckets)
      if (b.tokens + ((now - b.at) / 1000) * this.limit.ratePerSec >= this.limit.burst)
        this.buckets.delete(key);
    if (this.buckets.size >= MAX_BUCKETS) this.buckets.delete(this.buckets.keys().next().value!);
  }
}
