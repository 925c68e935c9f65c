/** A service started by its package's `run…()`: stops when its signal aborts, or when asked. */
export interface RunningService {
  /** Resolves once the service has stopped and let go of its connection. */
  readonly done: Promise<void>;
  /** Stops the service (idempotent); resolves with `done`. */
  stop(): Promise<void>;
}

/**
 * Ties a started service to an AbortSignal: aborting it (a runner's SIGINT or
 * SIGTERM, a test's teardown) runs `stop` once. No signal handling here: signals
 * belong to the runner, which turns them into an abort.
 */
export function stopOnAbort(signal: AbortSignal | undefined, stop: () => Promise<void>): RunningService {
  let stopping = false;
  let resolveDone!: () => void;
  let rejectDone!: (err: unknown) => void;
  const done = new Promise<void>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  const run = (): Promise<void> => {
    if (!stopping) {
      stopping = true;
      stop().then(resolveDone, rejectDone);
    }
    return done;
  };
  if (signal?.aborted) void run();
  else signal?.addEventListener('abort', () => void run(), { once: true });
  return { done, stop: run };
}
