import type { NatsConnection } from '@nats-io/transport-node';

/** The gate did not answer: no one listens yet (a gate restarting, a broker back from a restart) or no answer in time. */
export function gateUnreachable(err: unknown): boolean {
  return /no responders|timeout|503|disconnect|closed/i.test(`${String(err)} ${(err as Error)?.name ?? ''}`);
}

export interface AskGateOptions {
  /** How long one attempt waits for the answer (default 3 s). */
  attemptMs?: number;
  /** How long all attempts together may take (default 15 s). */
  totalMs?: number;
}

/**
 * One of the gate's idempotent questions (a plan, the directory, a receipts query, a
 * replay): asked again while the gate cannot be reached, within `totalMs`. A request
 * that crosses from an agency's account to the exchange is lost, not refused, when
 * no gate is subscribed at that moment (a gate reconnecting after a broker restart),
 * so one long wait would turn a gap of a few hundred milliseconds into a failure.
 * Asking twice is harmless: each answer goes to its own reply inbox.
 */
export async function askGate(
  nc: NatsConnection,
  subject: string,
  body: Uint8Array,
  o: AskGateOptions = {},
): Promise<string> {
  const attemptMs = o.attemptMs ?? 3000;
  const deadline = Date.now() + (o.totalMs ?? 15_000);
  for (;;) {
    const timeout = Math.max(1, Math.min(attemptMs, deadline - Date.now()));
    const started = Date.now();
    try {
      return (await nc.request(subject, body, { timeout })).string();
    } catch (err) {
      if (!gateUnreachable(err) || Date.now() >= deadline) throw err;
      // "no responders" comes back at once: do not spin on it.
      const waited = Date.now() - started;
      if (waited < 200) await new Promise((r) => setTimeout(r, 200 - waited));
    }
  }
}
