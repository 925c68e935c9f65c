import type { ValidNotice } from '@liaison/notice';

/** A notice already validated (by `validateNotice`), not raw input. */
export function isValid(x: unknown): x is ValidNotice {
  return typeof x === 'object' && x !== null && 'layers' in x && 'schemaVersion' in x;
}

/** The notice with its sender's opt-in for strategic partners in its markings (signed in the header). */
export function withStrategicOptIn(notice: unknown): unknown {
  const n = notice as { markings?: Record<string, unknown> };
  return { ...n, markings: { ...n.markings, strategicOptIn: true } };
}
