import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../src/rate-limiter.js';

describe('the per-agency token bucket', () => {
  it('allows the burst, then the rate, per key; 0 turns it off', () => {
    let now = 1_000_000;
    const limiter = new RateLimiter({ ratePerSec: 20, burst: 100 }, () => now);
    const takes = (key: string, n: number) =>
      Array.from({ length: n }, () => limiter.take(key)).filter(Boolean).length;
    expect(takes('at-bmi', 150)).toBe(100);
    expect(takes('de-bka', 10)).toBe(10); // another agency has its own bucket
    now += 1000;
    expect(takes('at-bmi', 50)).toBe(20);
    now += 60_000;
    expect(takes('at-bmi', 150)).toBe(100); // never more than the burst
    const off = new RateLimiter({ ratePerSec: 0, burst: 1 }, () => now);
    expect(Array.from({ length: 1000 }, () => off.take('x')).every(Boolean)).toBe(true);
  });
});
