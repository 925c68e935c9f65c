import { allocatePorts, LauncherError, NatsServer, sleep, type Template } from '@liaison/launcher';
import { installReaper } from './reaper.js';

interface JszMeta {
  meta_cluster?: { leader?: string; cluster_size?: number };
}

/** Which template a cluster's nodes run, and what it needs beyond ports and routes. */
export interface ClusterLayout {
  template?: Template;
  values?: (node: number) => Record<string, string | number>;
  /** Templates the nodes' config includes (`hub` includes `node`). */
  includes?: Template[];
  /** The file the template includes for the extra configuration (`accounts.conf`). */
  extraFile?: string;
  /** The routes' credentials (`hub.conf`'s route user and password). */
  routeAuth?: { user: string; password: string };
}

/**
 * A JetStream cluster of real nats-server processes on loopback. Nodes can be
 * stopped, killed (SIGKILL) and restarted one at a time for fault tests.
 */
export class NatsCluster implements AsyncDisposable {
  readonly servers: readonly NatsServer[];

  private constructor(servers: NatsServer[]) {
    this.servers = servers;
  }

  static async create(size: number, extraConfig?: string, o: ClusterLayout = {}): Promise<NatsCluster> {
    installReaper();
    const ports = [];
    for (let i = 0; i < size; i++) ports.push(await allocatePorts(true));
    const auth = o.routeAuth
      ? `${encodeURIComponent(o.routeAuth.user)}:${encodeURIComponent(o.routeAuth.password)}@`
      : '';
    const routes = ports.map((p) => `nats-route://${auth}127.0.0.1:${p.clusterPort}`);
    const tag = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    const servers = ports.map((p, i) =>
      NatsServer.create({
        name: `n${i + 1}-${tag}`,
        template: o.template ?? 'cluster',
        ports: p,
        routes,
        extraConfig,
        ...(o.values ? { values: o.values(i) } : {}),
        ...(o.includes ? { includes: o.includes } : {}),
        ...(o.extraFile ? { extraFile: o.extraFile } : {}),
      }),
    );
    return new NatsCluster(servers);
  }

  /** Client URLs of every node (pass them all to `connect`). */
  get urls(): string[] {
    return this.servers.map((s) => s.url);
  }

  node(name: string): NatsServer {
    const found = this.servers.find((s) => s.name === name);
    if (!found) throw new LauncherError('NATS_SERVER_STATE', `no node named ${name}`);
    return found;
  }

  /** Restarts every node, one after the other, with new extra configuration (accounts a reload cannot wire). */
  async restartAllWith(extraConfig: string): Promise<void> {
    for (const s of this.servers) await s.restartWith(extraConfig);
    await this.waitForMetaLeader();
  }

  async startAll(): Promise<void> {
    for (const s of this.servers) s.spawn();
    await Promise.all(this.servers.map((s) => s.waitReady()));
    await this.waitForMetaLeader();
  }

  /** Waits until the running nodes agree on a JetStream meta leader. */
  async waitForMetaLeader(timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const leaders = new Set<string>();
      let answered = 0;
      for (const s of this.servers.filter((x) => x.running)) {
        try {
          const res = await fetch(`http://127.0.0.1:${s.httpPort}/jsz`, {
            signal: AbortSignal.timeout(1000),
          });
          const body = (await res.json()) as JszMeta;
          if (body.meta_cluster?.leader) leaders.add(body.meta_cluster.leader);
          answered++;
        } catch {
          // node not answering yet
        }
      }
      const [leader] = leaders;
      if (leader && leaders.size === 1 && answered > 0) return leader;
      await sleep(100);
    }
    throw new LauncherError('NATS_SERVER_NOT_READY', `no JetStream meta leader after ${timeoutMs} ms`);
  }

  async dispose(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.dispose()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }
}
