/**
 * One look shared by the gauges of a scrape. prom-client collects every metric of a
 * registry at once, so gauges filled by the same request (a consumer's pending and
 * ack-pending) each await this rather than one filling the others — which would show
 * the previous scrape's values. A look is reused for `ttlMs`.
 */
export function sampled<T>(look: () => Promise<T>, ttlMs = 250): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | undefined;
  return () => {
    const now = Date.now();
    if (!last || now - last.at > ttlMs) last = { at: now, value: look() };
    return last.value;
  };
}
