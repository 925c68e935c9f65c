/**
 * Stops an ordered read that has nothing more to give: reading from a cursor, or a
 * filter listed a moment ago, can find the messages it expected deleted meanwhile (a
 * sweep after a crash, an operator's deletion), and a JetStream consumer then just waits.
 * `touch()` on every message; `stop` runs after `idleMs` without one.
 */
export function idleGuard(stop: () => void, idleMs = 2_000): { touch(): void; clear(): void } {
  let timer = setTimeout(stop, idleMs);
  return {
    touch() {
      clearTimeout(timer);
      timer = setTimeout(stop, idleMs);
    },
    clear() {
      clearTimeout(timer);
    },
  };
}
