import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { provisionConsumers } from '@liaison/broker';
import { retryTransient } from '@liaison/core';
import type { AgencyKeys } from '@liaison/envelope';
import { DEMO_AGENCIES, DEMO_AGREEMENTS } from '@liaison/fixtures';
import { KeyStore } from '@liaison/identity';
import { type Agency, bootstrapDirectory, type PolicyStore } from '@liaison/registry';
import { type NatsCluster, startCluster } from '@liaison/testkit';
import { ensureStreams } from '@liaison/topology';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { ServiceProcess } from './processes.js';

export const GATE_ID = 'liaison-gate';
export const AUDIT_LOG_ID = 'liaison-audit-log';
const SERVICES: Agency[] = [
  { id: GATE_ID, name: 'gate', country: 'EU', kind: 'service', roles: ['gate'] },
  { id: AUDIT_LOG_ID, name: 'audit log', country: 'EU', kind: 'service', roles: ['audit-log'] },
];

/**
 * A whole exchange on a 3-node R3 cluster on loopback, the services as their own
 * processes: a signed directory (the demo's agencies) in a fresh key home, every stream
 * created R3 before any service starts (the audit log's runner creates R1 streams), two
 * gates sharing the intake and one audit-log writer. The cluster is the testkit's
 * (development only: an open broker, no TLS; the campaign is about faults, not
 * permissions, which the secure sandbox's tests cover).
 */
export class ClusterExchange {
  private constructor(
    readonly cluster: NatsCluster,
    readonly dir: string,
    readonly home: string,
    readonly admin: NatsConnection,
    readonly store: PolicyStore,
    readonly keys: Map<string, AgencyKeys>,
    readonly gates: ServiceProcess[],
    readonly writer: ServiceProcess,
  ) {}

  static async start(
    o: { agencies?: readonly Agency[]; gateEnv?: Record<string, string> } = {},
  ): Promise<ClusterExchange> {
    const cluster = await startCluster();
    try {
      const dir = mkdtempSync(join(tmpdir(), 'liaison-chaos-'));
      const home = join(dir, 'home');
      const admin = await connection(cluster, 'operator');
      const { store, keys } = await retryTransient(() =>
        bootstrapDirectory(
          admin,
          new KeyStore(home),
          {
            origin: 'chaos',
            agencies: [...(o.agencies ?? DEMO_AGENCIES), ...SERVICES],
            agreements: DEMO_AGREEMENTS,
          },
          { replicas: 3 },
        ),
      );
      await retryTransient(async () => ensureStreams(await jetstreamManager(admin), { replicas: 3 }));
      // The operator's side provisions the agencies' feed durables (agencies never create one).
      await retryTransient(() => provisionConsumers(admin, store.registry.current));
      const env = {
        LIAISON_NATS_URL: cluster.urls.join(','),
        LIAISON_NATS_OPEN: 'true',
        LIAISON_HOME: home,
        LIAISON_REPLICAS: '3',
        LIAISON_LOG_LEVEL: process.env.LIAISON_CHAOS_LOG_LEVEL ?? 'warn',
      };
      const gateEnv = { ...env, LIAISON_GATE_ID: GATE_ID, LIAISON_ACK_WAIT_MS: '5000', ...o.gateEnv };
      const gates = ['gate-1', 'gate-2'].map((n) => new ServiceProcess(n, 'gate', gateEnv, dir));
      const writer = new ServiceProcess('audit-log', 'audit-log', env, dir);
      for (const p of [...gates, writer]) p.start();
      return new ClusterExchange(cluster, dir, home, admin, store, keys, gates, writer);
    } catch (err) {
      await cluster.dispose();
      throw err;
    }
  }

  connection(name: string): Promise<NatsConnection> {
    return connection(this.cluster, name);
  }

  get services(): ServiceProcess[] {
    return [...this.gates, this.writer];
  }

  async dispose(): Promise<void> {
    for (const p of this.services) await p.stop();
    await this.admin.close().catch(() => undefined);
    await this.cluster.dispose();
  }
}

function connection(cluster: NatsCluster, name: string): Promise<NatsConnection> {
  return connect({
    servers: cluster.urls,
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    noAsyncTraces: true,
  });
}
