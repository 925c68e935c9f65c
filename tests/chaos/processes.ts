import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * One service runner (`services/<name>/src/main.ts`) as its own process, configured
 * through its environment only, kept running like a process supervisor would
 * (restarted a second after it exits on its own, e.g. when it could not start during a
 * leader election), and open to faults: SIGKILL, SIGSTOP / SIGCONT. Its output goes to
 * a file in the campaign's directory. Only processes started here are ever signalled,
 * by PID.
 */
export class ServiceProcess {
  private child: ChildProcess | undefined;
  private paused = false;
  private down = false;
  private stopped = false;
  private readonly out: WriteStream;
  /** Times it exited without being told to (and was started again). */
  exits = 0;

  constructor(
    readonly name: string,
    private readonly service: 'gate' | 'audit-log',
    private readonly env: Record<string, string>,
    dir: string,
  ) {
    this.out = createWriteStream(join(dir, `${name}.log`), { flags: 'a' });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    this.down = false;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=source', `services/${this.service}/src/main.ts`],
      { cwd: ROOT, env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.pipe(this.out, { end: false });
    child.stderr?.pipe(this.out, { end: false });
    this.child = child;
    child.once('exit', () => {
      if (this.child !== child) return;
      this.child = undefined;
      if (this.down || this.stopped) return;
      this.exits++;
      setTimeout(() => !this.down && !this.stopped && !this.child && this.start(), 1000).unref();
    });
  }

  /** SIGKILL, as a crash; it stays down until `start()`. */
  async kill(): Promise<void> {
    this.down = true;
    await this.signal('SIGKILL');
  }

  pause(): void {
    if (this.child?.pid && !this.paused) {
      process.kill(this.child.pid, 'SIGSTOP');
      this.paused = true;
    }
  }

  resume(): void {
    if (this.child?.pid && this.paused) process.kill(this.child.pid, 'SIGCONT');
    this.paused = false;
  }

  /** Ends it for good (SIGTERM, then SIGKILL after 5 s). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.resume();
    const child = this.child;
    if (!child) return;
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await this.signal('SIGTERM');
    clearTimeout(timer);
    this.out.end();
  }

  private async signal(sig: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child) return;
    if (this.paused && sig !== 'SIGKILL') this.resume();
    this.paused = false;
    const gone = new Promise<void>((r) =>
      child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r()),
    );
    child.kill(sig);
    await gone;
  }
}
