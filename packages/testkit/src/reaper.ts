import { constants } from 'node:os';
import { reapChildren } from '@liaison/launcher';

/**
 * Last line of defence for tests: whatever happens to the test process (a failed
 * test, a timeout, an uncaught exception, Ctrl-C), the servers it started are
 * killed by PID and their temporary directories removed. The launcher reaps on
 * 'exit'; this adds the signals, which only a runner may handle (and a test
 * process is its own runner).
 */
let installed = false;

export function installReaper(): void {
  if (installed) return;
  installed = true;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    let graceful = false;
    const onSignal = (): void => {
      // Someone else handles the first signal (a graceful shutdown): let them; 'exit'
      // still reaps. A second signal (Ctrl-C twice, or a wrapper such as pnpm or tsx
      // forwarding one more) would otherwise kill the process without an 'exit' event
      // and orphan the servers: it reaps, then lets the signal do what it would.
      const others = process.listenerCount(signal) - 1;
      if (others > 0 && !graceful) {
        graceful = true;
        return;
      }
      reapChildren();
      // Others still listen (a shutdown that never ends): stopping here would leave the
      // process running without its servers, waiting forever. It ends, as the signal asked.
      if (others > 0) process.exit(128 + (constants.signals[signal] ?? 1));
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}
