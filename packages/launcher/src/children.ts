import { rmSync } from 'node:fs';

/**
 * The servers this process started, killed by PID (and their directories removed)
 * when the process exits, however it exits. Only the 'exit' event: signals belong
 * to the runner (a service's main.ts, or the testkit for tests), which ends the
 * process its own way and so reaches 'exit'.
 */
const live = new Map<number, () => void>();
const dirs = new Set<string>();
let installed = false;

/** Kills every tracked server and removes every tracked directory, now. */
export function reapChildren(): void {
  for (const kill of live.values()) kill();
  live.clear();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  process.once('exit', reapChildren);
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
