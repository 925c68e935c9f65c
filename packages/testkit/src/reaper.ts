import { rmSync } from 'node:fs';
import { constants } from 'node:os';

/**
 * Last line of defence: whatever happens to the test process (a failed test, a
 * timeout, an uncaught exception, Ctrl-C), the servers it started are killed by
 * PID and their temporary directories removed.
 */
const live = new Map<number, () => void>();
const dirs = new Set<string>();
let installed = false;

function reapAll(): void {
  for (const kill of live.values()) kill();
  live.clear();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  process.once('exit', reapAll);
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
      reapAll();
      // Others still listen (a shutdown that never ends): stopping here would leave the
      // process running without its servers, waiting forever. It ends, as the signal asked.
      if (others > 0) process.exit(128 + (constants.signals[signal] ?? 1));
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

export function trackProcess(pid: number): void {
  install();
  live.set(pid, () => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  });
}

export function untrackProcess(pid: number): void {
  live.delete(pid);
}

export function trackDir(dir: string): void {
  install();
  dirs.add(dir);
}

export function untrackDir(dir: string): void {
  dirs.delete(dir);
}
