import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trackDir, trackProcess, untrackDir, untrackProcess } from './children.js';
import { LauncherError } from './errors.js';
import { findNatsServer } from './find-binary.js';
import { freePort } from './free-port.js';
import { renderConfig, type Template } from './render-config.js';

export interface ServerPorts {
  port: number;
  httpPort: number;
  clusterPort?: number;
}

export interface ServerSpec {
  name: string;
  template: Template;
  ports: ServerPorts;
  /** Route URLs of every cluster node (cluster template only). */
  routes?: string[];
  /** Extra configuration blocks (authorization, tls), appended verbatim. */
  extraConfig?: string;
  /** Values of the template's own placeholders (documented at the top of each file in deploy/nats). */
  values?: Record<string, string | number>;
  /** Templates the main one includes, rendered with the same values beside it (`hub` includes `node.conf`). */
  includes?: Template[];
  /**
   * The file the template includes for its accounts (`accounts.conf` for `node`, `hub`,
   * `leaf`): the extra configuration is written there instead of into `{{EXTRA}}`.
   */
  extraFile?: string;
  /** How long to wait for readiness. */
  readyTimeoutMs?: number;
}

const STDERR_TAIL_LINES = 40;

/**
 * One real nats-server process with its own temporary directory. The process can
 * be stopped, killed with SIGKILL and restarted on the same ports and store, which
 * is what fault tests need. Disposing it kills the process and removes the dir.
 */
export class NatsServer implements AsyncDisposable {
  readonly name: string;
  readonly dir: string;
  readonly storeDir: string;
  readonly configFile: string;
  readonly port: number;
  readonly httpPort: number;
  readonly clusterPort: number | undefined;
  readonly url: string;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private stderrTail: string[] = [];
  private readonly readyTimeoutMs: number;
  private readonly bin: string;
  private readonly spec: ServerSpec;

  private constructor(spec: ServerSpec, bin: string) {
    this.bin = bin;
    this.spec = spec;
    this.name = spec.name;
    this.port = spec.ports.port;
    this.httpPort = spec.ports.httpPort;
    this.clusterPort = spec.ports.clusterPort;
    this.url = `nats://127.0.0.1:${this.port}`;
    this.readyTimeoutMs = spec.readyTimeoutMs ?? 20_000;
    this.dir = mkdtempSync(join(tmpdir(), `liaison-nats-${spec.name}-`));
    trackDir(this.dir);
    this.storeDir = join(this.dir, 'jetstream');
    this.configFile = join(this.dir, 'nats-server.conf');
    this.writeConfig(spec.extraConfig ?? '');
  }

  private writeConfig(extra: string): void {
    const values = {
      SERVER_NAME: this.spec.name,
      PORT: this.port,
      HTTP_PORT: this.httpPort,
      STORE_DIR: this.storeDir,
      CLUSTER_PORT: this.clusterPort ?? 0,
      ROUTES: (this.spec.routes ?? []).map((r) => JSON.stringify(r)).join(', '),
      ...this.spec.values,
      EXTRA: this.spec.extraFile ? '' : extra,
    };
    // The production templates include their accounts (and `hub` its `node.conf`) from beside them.
    if (this.spec.extraFile) writeFileSync(join(this.dir, this.spec.extraFile), extra);
    for (const t of this.spec.includes ?? [])
      writeFileSync(join(this.dir, `${t}.conf`), renderConfig(t, values));
    writeFileSync(this.configFile, renderConfig(this.spec.template, values));
  }

  /**
   * Rewrites the extra configuration (authorization, tls) and hot-reloads the
   * running server (SIGHUP), waiting until it reports the new load time.
   */
  async reload(extraConfig: string): Promise<void> {
    const pid = this.child?.pid;
    if (!pid) throw new LauncherError('NATS_SERVER_STATE', `${this.name} is not running`);
    const before = await this.configLoadTime();
    this.writeConfig(extraConfig);
    process.kill(pid, 'SIGHUP');
    const deadline = Date.now() + this.readyTimeoutMs;
    while (Date.now() < deadline) {
      if ((await this.configLoadTime()) !== before) return;
      if (!this.child)
        throw new LauncherError('NATS_SERVER_START_FAILED', `${this.name} exited on reload:\n${this.log}`);
      await sleep(25);
    }
    throw new LauncherError('NATS_SERVER_NOT_READY', `${this.name} did not reload:\n${this.log}`);
  }

  /**
   * Rewrites the extra configuration and restarts the server on the same ports and
   * store (what a reload cannot change: nats-server 2.9.10 does not wire an account
   * import that a reload adds). Clients reconnect; JetStream keeps its streams.
   */
  async restartWith(extraConfig: string): Promise<void> {
    this.writeConfig(extraConfig);
    await this.restart();
  }

  private async configLoadTime(): Promise<string> {
    const res = await fetch(`http://127.0.0.1:${this.httpPort}/varz`, { signal: AbortSignal.timeout(1000) });
    return String(((await res.json()) as { config_load_time?: string }).config_load_time);
  }

  /** Creates the process (not yet started). Prefer `startServer`/`startCluster`. */
  static create(spec: ServerSpec): NatsServer {
    return new NatsServer(spec, findNatsServer());
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /** Last lines the server wrote to stderr (its log), for error messages. */
  get log(): string {
    return this.stderrTail.join('\n');
  }

  /** Spawns the process; resolves once it is listening (not yet JetStream-ready). */
  spawn(): void {
    if (this.child) throw new LauncherError('NATS_SERVER_STATE', `${this.name} is already running`);
    const child = spawn(this.bin, ['-c', this.configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    if (child.pid === undefined)
      throw new LauncherError('NATS_SERVER_START_FAILED', `could not spawn ${this.bin}`);
    trackProcess(child.pid);
    this.child = child;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) if (line) this.stderrTail.push(line);
      if (this.stderrTail.length > STDERR_TAIL_LINES)
        this.stderrTail.splice(0, this.stderrTail.length - STDERR_TAIL_LINES);
    });
    const pid = child.pid;
    this.exited = new Promise((resolve) => {
      child.once('exit', () => {
        untrackProcess(pid);
        if (this.child === child) this.child = undefined;
        resolve();
      });
    });
  }

  /**
   * Waits until the server answers `/healthz?js-enabled-only=true` with 200. Fails
   * early, with the server's log, if the process exits first.
   */
  async waitReady(path = '/healthz?js-enabled-only=true'): Promise<void> {
    const deadline = Date.now() + this.readyTimeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      if (!this.child) {
        throw new LauncherError(
          'NATS_SERVER_START_FAILED',
          `${this.name} exited during start-up:\n${this.log}`,
        );
      }
      try {
        const res = await fetch(`http://127.0.0.1:${this.httpPort}${path}`, {
          signal: AbortSignal.timeout(1000),
        });
        last = `${res.status} ${await res.text()}`;
        if (res.ok) return;
      } catch (err) {
        last = String(err);
      }
      await sleep(50);
    }
    throw new LauncherError(
      'NATS_SERVER_NOT_READY',
      `${this.name} not ready after ${this.readyTimeoutMs} ms (last: ${last}):\n${this.log}`,
    );
  }

  /** Graceful stop (SIGTERM); resolves when the process has exited. */
  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  /** Hard kill (SIGKILL), as a crash; resolves when the process has exited. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** Starts the process again on the same ports and store, and waits until it is ready. */
  async restart(): Promise<void> {
    if (this.child) await this.stop();
    this.spawn();
    await this.waitReady();
  }

  /** Kills the process if it runs and removes the temporary directory. */
  async dispose(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
    untrackDir(this.dir);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  private async signal(sig: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill(sig);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function allocatePorts(cluster: boolean): Promise<ServerPorts> {
  const ports: ServerPorts = { port: await freePort(), httpPort: await freePort() };
  if (cluster) ports.clusterPort = await freePort();
  return ports;
}
