/** Minimal benchmark harness: ops/s of a function over a time budget, after warm-up. */
export interface Measurement {
  name: string;
  opsPerSec: number;
  meanUs: number;
}

export async function measure(
  name: string,
  fn: () => unknown | Promise<unknown>,
  budgetMs = 1000,
): Promise<Measurement> {
  const warmUntil = performance.now() + budgetMs / 4;
  while (performance.now() < warmUntil) await fn();
  let n = 0;
  const start = performance.now();
  const until = start + budgetMs;
  while (performance.now() < until) {
    await fn();
    n++;
  }
  const elapsed = performance.now() - start;
  return { name, opsPerSec: (n * 1000) / elapsed, meanUs: (elapsed * 1000) / n };
}

export function table(rows: Record<string, string | number>[]): void {
  console.table(rows);
}

export function verdict(ratio: number, target: number, lowerIsBetter: boolean): string {
  const ok = lowerIsBetter ? ratio <= target : ratio >= target;
  return `${ratio.toFixed(2)}x ${ok ? 'meets' : 'MISSES'} target ${lowerIsBetter ? '<=' : '>='} ${target}x`;
}

/**
 * Measures two functions in alternating short rounds. The ratio is the median of the
 * rounds' own ratios (each of a round of `a` over the round of `b` right after it), so
 * that drift in the machine's speed, which this VM has within seconds, hits both sides
 * of each ratio alike; the times reported are the medians of each side.
 */
export async function compare(
  a: () => unknown | Promise<unknown>,
  b: () => unknown | Promise<unknown>,
  rounds = 11,
  roundMs = 250,
): Promise<{ a: Measurement; b: Measurement; ratio: number }> {
  const as: Measurement[] = [];
  const bs: Measurement[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < rounds; i++) {
    as.push(await measure('a', a, roundMs));
    bs.push(await measure('b', b, roundMs));
    ratios.push(as[i]!.meanUs / bs[i]!.meanUs);
  }
  const middle = <T>(xs: T[], key: (x: T) => number) =>
    [...xs].sort((x, y) => key(x) - key(y))[Math.floor(xs.length / 2)]!;
  return { a: middle(as, (m) => m.meanUs), b: middle(bs, (m) => m.meanUs), ratio: middle(ratios, (r) => r) };
}
