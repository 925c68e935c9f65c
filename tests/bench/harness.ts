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
 * Measures two functions in alternating short rounds and returns the median time
 * of each, so that drift in the machine's load hits both alike.
 */
export async function compare(
  a: () => unknown | Promise<unknown>,
  b: () => unknown | Promise<unknown>,
  rounds = 7,
  roundMs = 250,
): Promise<{ a: Measurement; b: Measurement; ratio: number }> {
  const as: Measurement[] = [];
  const bs: Measurement[] = [];
  for (let i = 0; i < rounds; i++) {
    as.push(await measure('a', a, roundMs));
    bs.push(await measure('b', b, roundMs));
  }
  const median = (xs: Measurement[]) =>
    [...xs].sort((x, y) => x.meanUs - y.meanUs)[Math.floor(xs.length / 2)]!;
  const ma = median(as);
  const mb = median(bs);
  return { a: ma, b: mb, ratio: ma.meanUs / mb.meanUs };
}
