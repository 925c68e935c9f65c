import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLogService } from '@liaison/audit-log';
import { provisionConsumers } from '@liaison/broker';
import { LiaisonClient, sealRecipientsOf } from '@liaison/client';
import { createLogger, retryTransient } from '@liaison/core';
import { seal } from '@liaison/envelope';
import { DEMO_AGENCIES, DEMO_AGREEMENTS, exampleNotices } from '@liaison/fixtures';
import { DEFAULT_SETTINGS, Gate } from '@liaison/gate';
import { KeyStore } from '@liaison/identity';
import { type Agency, bootstrapDirectory } from '@liaison/registry';
import { type NatsCluster, startCluster } from '@liaison/testkit';
import { DURABLES, ensureStreams, GATE_STREAMS, STREAMS, Subjects } from '@liaison/topology';
import { type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, describe, expect, it } from 'vitest';
import { cpuPressure, readFeed, submissionCounts } from './helpers.js';

const t = new Subjects();

const GATE: Agency = { id: 'liaison-gate', name: 'gate', country: 'EU', kind: 'service', roles: ['gate'] };
const LOG: Agency = {
  id: 'liaison-audit-log',
  name: 'audit log',
  country: 'EU',
  kind: 'service',
  roles: ['audit-log'],
};
const N = 40;
const settings = { ...DEFAULT_SETTINGS, replicas: 3, ackWaitMs: 3000 };
const cleanup: (() => Promise<unknown>)[] = [];

afterAll(async () => {
  for (const f of cleanup.reverse()) await f().catch(() => undefined);
});

async function conn(cluster: NatsCluster, name: string): Promise<NatsConnection> {
  const nc = await connect({
    servers: cluster.urls,
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 100,
    noAsyncTraces: true,
  });
  cleanup.push(() => nc.close());
  return nc;
}

async function until<T>(f: () => Promise<T | undefined>, ms: number): Promise<T | undefined> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await f().catch(() => undefined);
    if (v !== undefined || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** What became of missing notices: their stored receipts, and the intake's and the gate durable's state. */
async function diagnose(jsm: JetStreamManager, missing: string[]): Promise<string> {
  const receipts = await Promise.all(
    missing.map(async (id) => {
      const m = await jsm.streams
        .getMessage(STREAMS.receipts, { last_by_subj: t.receipt('at-bmi', id) })
        .catch(() => null);
      if (!m) return `${id}: no receipt`;
      const p = JSON.parse(Buffer.from(m.string().split('.')[1] ?? '', 'base64url').toString());
      return `${id}: ${p.status}${p.code ? ` ${p.code}` : ''} (intake ${p.intakeSeq})`;
    }),
  );
  const intake = await jsm.streams.info(STREAMS.intake).catch((e) => String(e));
  const consumer = await jsm.consumers.info(STREAMS.intake, DURABLES.gate).catch((e) => String(e));
  return JSON.stringify({
    receipts,
    intake: typeof intake === 'string' ? intake : intake.state,
    gate:
      typeof consumer === 'string'
        ? consumer
        : {
            delivered: consumer.delivered,
            ackFloor: consumer.ack_floor,
            pending: consumer.num_pending,
            ackPending: consumer.num_ack_pending,
            redelivered: consumer.num_redelivered,
          },
  });
}

describe('the exchange on a 3-node JetStream cluster', () => {
  it('delivers every notice exactly once while the node leading the intake stream is killed and restarted', async () => {
    const cluster = await startCluster();
    cleanup.push(() => cluster.dispose());
    const home = mkdtempSync(join(tmpdir(), 'liaison-cluster-'));
    cleanup.push(async () => rmSync(home, { recursive: true, force: true }));
    const admin = await conn(cluster, 'admin');
    const { keys, store } = await retryTransient(() =>
      bootstrapDirectory(
        admin,
        new KeyStore(home),
        { origin: 'cluster', agencies: [...DEMO_AGENCIES, GATE, LOG], agreements: DEMO_AGREEMENTS },
        { replicas: 3 },
      ),
    );
    await retryTransient(async () => ensureStreams(await jetstreamManager(admin), settings, GATE_STREAMS));
    // The operator's side provisions the agencies' feed consumers (agencies never create one).
    await retryTransient(() => provisionConsumers(admin, store.registry.current));
    const gate = await Gate.start({
      nc: await conn(cluster, 'gate'),
      keys: keys.get('liaison-gate')!,
      anchors: new KeyStore(home).anchors(),
      settings,
      logger: createLogger('gate', { level: 'error' }),
    });
    cleanup.push(() => gate.stop());
    // The writer too: the gate holds its intake when nothing takes its audit batches.
    const log = await AuditLogService.start({
      nc: await conn(cluster, 'audit-log'),
      keys: keys.get('liaison-audit-log')!,
      replicas: 3,
      logger: createLogger('audit-log', { level: 'error' }),
    });
    cleanup.push(() => log.stop());
    const gateKeys = [keys.get('liaison-gate')!.signing.record];
    const bmi = await LiaisonClient.connect({
      nc: await conn(cluster, 'at-bmi'),
      keys: keys.get('at-bmi')!,
      gateKeys,
      broker: 'open', // this cluster runs without accounts
    });
    const bka = await LiaisonClient.connect({
      nc: await conn(cluster, 'de-bka'),
      keys: keys.get('de-bka')!,
      gateKeys,
      broker: 'open',
    });
    const plan = await retryTransient(() => bmi.plan(exampleNotices().borderAlert));
    const recipients = sealRecipientsOf(plan);

    const jsm = await jetstreamManager(admin);
    const leader = cluster.node((await jsm.streams.info(STREAMS.intake)).cluster!.leader!);
    const js = jetstream(admin, { timeout: 2000 });
    const ids: string[] = [];
    // The failover under load, as when the whole suite runs on two cores: elections, catch-up
    // and the clients' recovery all slow down (docs/exchange.md, "Failover").
    const pressure = cpuPressure(40_000);
    cleanup.push(() => pressure.stop());
    for (let i = 0; i < N; i++) {
      if (i === N / 4) await leader.kill();
      if (i === (3 * N) / 4) await leader.restart();
      const s = await seal({ notice: exampleNotices().borderAlert, sender: keys.get('at-bmi')!, recipients });
      ids.push(s.noticeId);
      await retryTransient(() => js.publish(t.intake('at-bmi'), s.bytes, { msgID: s.noticeId }), {
        isTransient: (e) =>
          /jetstream|timeout|leader|unavailable|no responders|disconnect|closed|peer/i.test(String(e)),
      });
    }
    const got = await readFeed(bka, N, 60_000);
    await pressure.stop();
    const seen = new Set(got.map((i) => i.notice.noticeId));
    const missing = ids.filter((id) => !seen.has(id));
    // A missing notice says which way it went (docs/exchange.md, "Failover"): refused with a
    // code (its receipt), never taken (still in INTAKE, the gate's durable not offering it),
    // or late.
    expect(missing, missing.length ? await diagnose(jsm, missing) : '').toEqual([]);
    expect(got.map((i) => i.notice.noticeId).sort()).toEqual([...ids].sort());
    // Nothing left behind in the work queue: every intake message was taken and acked.
    const left = await until(async () => {
      const n = (await jsm.streams.info(STREAMS.intake)).state.messages;
      return n === 0 ? 0 : undefined;
    }, 15_000);
    expect(left, left === 0 ? '' : await diagnose(jsm, [])).toBe(0);
    // Nothing twice: the feed holds exactly one delivery per notice for de-bka.
    const info = await retryTransient(() =>
      jsm.streams.info(STREAMS.feed, { subjects_filter: t.feedOf('de-bka') }),
    );
    expect(info.state.subjects?.[t.feed('de-bka', 'border-alert')]).toBe(N);
    // And each once in the audit log, recorded before it was delivered.
    const deadline = Date.now() + 30_000;
    let counts = (await submissionCounts(admin)).counts;
    while (ids.some((id) => counts.get(id) !== 1) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      counts = (await submissionCounts(admin)).counts;
    }
    expect(ids.map((id) => counts.get(id))).toEqual(ids.map(() => 1));
  }, 150_000);
});
