import { readFileSync } from 'node:fs';

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) && ppid > 1 ? ppid : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * For runners: aborts `controller` when a process that started this one ends (its
 * parent, or an ancestor up to `depth` levels: `pnpm start` → tsx → node). pnpm 12
 * does not pass SIGTERM on to the script it runs, so a runner would otherwise outlive
 * `kill <pnpm pid>` with its nats-server. Linux `/proc`; elsewhere it does nothing.
 */
export function abortWhenOrphaned(
  controller: AbortController,
  o: { depth?: number; everyMs?: number } = {},
): void {
  const ancestors: number[] = [];
  for (let pid = process.pid, i = 0; i < (o.depth ?? 3); i++) {
    const parent = parentOf(pid);
    if (parent === undefined) break;
    ancestors.push(parent);
    pid = parent;
  }
  if (ancestors.length === 0) return;
  const timer = setInterval(() => {
    if (ancestors.every(alive) && process.ppid === ancestors[0]) return;
    clearInterval(timer);
    controller.abort();
  }, o.everyMs ?? 250);
  timer.unref();
  controller.signal.addEventListener('abort', () => clearInterval(timer), { once: true });
}
