const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Errors a JetStream client sees while a cluster elects a leader, a node restarts
 * or a server reloads its configuration. They say nothing about the request itself, so an idempotent request
 * (a publish with `Nats-Msg-Id`, an info call) may simply be tried again.
 */
export function isTransientJetStreamError(err: unknown): boolean {
  const text = `${(err as Error)?.name ?? ''} ${(err as Error)?.message ?? String(err)}`.toLowerCase();
  return [
    'jetstream is not enabled',
    'jetstream not enabled',
    'timeout',
    'timed out',
    'no responders',
    'no response',
    'stream not found',
    'jetstream system temporarily unavailable',
    'leader',
    'disconnect',
    'connection closed',
    'insufficient resources',
    'no suitable peers',
    'peer remove',
    'cluster not available',
  ].some((needle) => text.includes(needle));
}

export interface RetryOptions {
  attempts?: number;
  delayMs?: number;
  isTransient?: (err: unknown) => boolean;
}

/** Runs `fn` until it succeeds, retrying transient JetStream errors with backoff. */
export async function retryTransient<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 60;
  const isTransient = options.isTransient ?? isTransientJetStreamError;
  let delay = options.delayMs ?? 100;
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts || !isTransient(err)) throw err;
      await sleep(delay);
      delay = Math.min(delay * 2, 1000);
    }
  }
}
