import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLogService } from '@liaison/audit-log';
import { BrokerSync, LeafPasswords, operatorOnlyBlock, siteConfig } from '@liaison/broker';
import { LiaisonClient } from '@liaison/client';
import { createLogger, retryTransient } from '@liaison/core';
import { toJwks } from '@liaison/envelope';
import { DEMO_AGENCIES, DEMO_AGREEMENTS, exampleNotices } from '@liaison/fixtures';
import { DEFAULT_SETTINGS, Gate, type Outcome } from '@liaison/gate';
import { CredentialStore, connect, connectionFor, KeyStore } from '@liaison/identity';
import { type Agency, bootstrapDirectory } from '@liaison/registry';
import { outboxDepth } from '@liaison/site';
import { type RunningStation, runStation, type StationConfig } from '@liaison/station';
import {
  freePort,
  LinkProxy,
  makeDevCa,
  type NatsServer,
  sleep,
  startHubNode,
  startLeafNode,
} from '@liaison/testkit';
import { ensureStreams, GATE_STREAMS, Subjects } from '@liaison/topology';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submissionCounts } from './helpers.js';

/**
 * The station at an agency site (issue 16; docs/station.md "At an agency site",
 * docs/decisions/0018): a real hub node (deploy/nats/node.conf) with the locked-down
 * accounts, the real gate and audit log, and de-bka's site — a real leaf node
 * (deploy/nats/leaf.conf) behind a relay the test can cut — with its station run by
 * `runStation` in site mode. Officers publish while the link is down; the notices wait
 * in the site's outbox longer than the gate's hub window (4 s here, 5 minutes by
 * default), arrive through the forwarder within the site window, and reach at-bmi
 * exactly once.
 */
const t = new Subjects();
const OPERATOR = 'liaison-operator';
const SITE = 'de-bka';
const PEER = 'at-bmi';
const GATE: Agency = { id: 'liaison-gate', name: 'gate', country: 'EU', kind: 'service', roles: ['gate'] };
const LOG: Agency = {
  id: 'liaison-audit-log',
  name: 'audit log',
  country: 'EU',
  kind: 'service',
  roles: ['audit-log'],
};
/** The hub window, shortened so that a few seconds' outage outlasts it. */
const HUB_MAX_AGE_MS = 4000;
const TEST_COST = { N: 2 ** 10, r: 8, p: 1 };
const cleanup: (() => Promise<unknown>)[] = [];
const outcomes: { at: number; outcome: Outcome }[] = [];
const received = new Map<string, number>();

let home: string;
let tlsDir: string;
let hub: NatsServer;
let admin: NatsConnection;
let proxy: LinkProxy;
let running: RunningStation;
let peer: LiaisonClient;
/** A connection to the site's leaf as de-bka (as the station's), to look at its outbox. */
let siteNc: NatsConnection;
let stationConfig: StationConfig;
let stopping: AbortController | undefined;

/** Starts the site's station (`runStation`, site mode) on its database; `stopStation` stops it. */
async function startStation(): Promise<void> {
  stopping = new AbortController();
  running = await runStation(stationConfig, {
    signal: stopping.signal,
    logger: createLogger('station', { level: 'error' }),
  });
}

async function stopStation(): Promise<void> {
  stopping?.abort();
  await running?.done;
}

afterAll(async () => {
  for (const f of cleanup.reverse()) await f().catch(() => undefined);
});

const tlsUrl = (s: NatsServer) => s.url.replace('nats://', 'tls://');

async function until<T>(
  what: string,
  f: () => Promise<T | undefined> | T | undefined,
  ms = 30_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function siteLinked(): Promise<boolean> {
  const res = await fetch(`http://127.0.0.1:${hub.httpPort}/leafz`, { signal: AbortSignal.timeout(1000) });
  return (((await res.json()) as { leafs?: unknown[] }).leafs ?? []).length > 0;
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'liaison-station-site-'));
  cleanup.push(async () => rmSync(home, { recursive: true, force: true }));
  tlsDir = makeDevCa(join(home, 'tls'));
  const caFile = join(tlsDir, 'ca.pem');
  const creds = new CredentialStore(home);
  const leafPort = await freePort();
  const unreachable = await freePort();
  hub = await startHubNode({
    tlsDir,
    leafPorts: [leafPort],
    // The relay stays the site's only way to the hub (docs/decisions/0013).
    leafAdvertise: () => `127.0.0.1:${unreachable}`,
    accounts: operatorOnlyBlock(OPERATOR, creds, { leafGuard: true }),
  });
  cleanup.push(() => hub.dispose());
  admin = await connect(
    connectionFor({ home, identity: OPERATOR, servers: tlsUrl(hub), caFile, reconnect: true }),
  );
  cleanup.push(() => admin.close());
  const boot = await retryTransient(() =>
    bootstrapDirectory(admin, new KeyStore(home), {
      origin: 'station-site',
      agencies: [...DEMO_AGENCIES, GATE, LOG],
      agreements: DEMO_AGREEMENTS,
      validFrom: Date.now() - 86_400_000,
    }),
  );
  const settings = {
    ...DEFAULT_SETTINGS,
    maxAgeMs: HUB_MAX_AGE_MS,
    siteAgencies: [SITE],
    siteMaxAgeMs: 10 * 60_000,
  };
  await retryTransient(async () => ensureStreams(await jetstreamManager(admin), settings, GATE_STREAMS));
  const passwords = new LeafPasswords(home);
  passwords.get(SITE, true);
  const sync = await BrokerSync.start({
    nc: admin,
    store: boot.store,
    creds,
    operator: OPERATOR,
    leafPassword: (id) => passwords.get(id),
    apply: async (block, { accountsChanged }) => {
      if (accountsChanged) await hub.restartWith(block);
      else await hub.reload(block);
      await retryTransient(() => admin.flush(), { attempts: 200, delayMs: 50, isTransient: () => true });
      const jsm = await jetstreamManager(admin, { checkAPI: false });
      await retryTransient(() => jsm.getAccountInfo(), { attempts: 200, delayMs: 50 });
    },
  });
  cleanup.push(async () => sync.stop());
  const service = async (id: string) => {
    const nc = await connect(
      connectionFor({ home, identity: id, servers: tlsUrl(hub), caFile, reconnect: true }),
    );
    cleanup.push(() => nc.close());
    return nc;
  };
  const gate = await retryTransient(
    async () =>
      Gate.start({
        nc: await service(GATE.id),
        keys: boot.keys.get(GATE.id)!,
        anchors: new KeyStore(home).anchors(),
        settings,
        logger: createLogger('gate', { level: 'error' }),
        onOutcome: (outcome) => outcomes.push({ at: Date.now(), outcome }),
      }),
    { attempts: 20, delayMs: 250 },
  );
  cleanup.push(() => gate.stop());
  const log = await AuditLogService.start({
    nc: await service(LOG.id),
    keys: boot.keys.get(LOG.id)!,
    logger: createLogger('audit-log', { level: 'error' }),
  });
  cleanup.push(() => log.stop());
  // The recipient, at the hub, follows its feed and counts what it gets.
  const gateKeys = [boot.keys.get(GATE.id)!.signing.record];
  peer = await LiaisonClient.connect({ nc: await service(PEER), keys: boot.keys.get(PEER)!, gateKeys });
  const following = new AbortController();
  cleanup.push(async () => following.abort());
  void (async () => {
    for await (const item of peer.feed({ signal: following.signal })) {
      received.set(item.notice.noticeId, (received.get(item.notice.noticeId) ?? 0) + 1);
      await item.settle();
    }
  })().catch(() => undefined);
  // de-bka's site: its leaf node behind a relay, and its station beside it.
  proxy = await LinkProxy.start({ host: '127.0.0.1', port: leafPort });
  cleanup.push(() => proxy.dispose());
  const config = siteConfig({
    agency: DEMO_AGENCIES.find((a) => a.id === SITE)!,
    creds,
    hubLeafNodes: [proxy.address],
    password: passwords.get(SITE)!,
  });
  const leaf = await startLeafNode({
    name: 'site-de-bka',
    values: config.values,
    extraConfig: config.accounts,
    tlsDir,
  });
  cleanup.push(() => leaf.dispose());
  await until('the site linked', siteLinked);
  siteNc = await connect(
    connectionFor({ home, identity: SITE, servers: tlsUrl(leaf), caFile, reconnect: true }),
  );
  cleanup.push(() => siteNc.close());
  writeFileSync(join(home, 'gate.jwks.json'), JSON.stringify({ gate: GATE.id, ...toJwks(gateKeys) }));
  stationConfig = {
    agency: SITE,
    home,
    connection: connectionFor({ home, identity: SITE, servers: tlsUrl(leaf), caFile, reconnect: true }),
    dbFile: join(home, 'station.db'),
    port: 0,
    passwordCost: TEST_COST,
    site: { confirmEveryMs: 1000 },
  };
  await startStation();
  cleanup.push(stopStation);
}, 180_000);

describe('a station at an agency site publishes through the site’s outbox', () => {
  it('lets an officer publish while the link is down, across a restart of the station; the notices arrive past the hub window, exactly once', async () => {
    let station = running.station;
    const admin0 = (await station.bootstrapAdmin({
      username: 'admin',
      displayName: 'Admin',
      password: 'admin-password-1',
    }))!;
    const officer = await station.createOfficer(admin0, {
      username: 'anna.schmidt',
      displayName: 'Anna Schmidt',
      role: 'officer',
      password: 'anna-password-1',
    });
    const notice = exampleNotices().borderAlert;
    const send = async () => {
      station = running.station;
      const officer = station.officers.list().find((o) => o.role === 'officer')!;
      const preview = await station.previewNotice(officer, notice, { recipients: [PEER] });
      expect(preview.problems).toEqual([]);
      return station.sendDraft(officer, preview.draftId!, { purpose: 'case-work' });
    };
    // Link up: answered by the gate (and the plan is cached for the outage).
    const before = [await send(), await send()];
    expect(before.map((s) => s.queued)).toEqual([false, false]);
    expect(before.every((s) => s.receipt?.status === 'accepted')).toBe(true);

    // The link cut: the officer still publishes; each notice waits in the site's outbox.
    await proxy.cutLink();
    await until('the hub to drop the link', async () => !(await siteLinked()));
    const cutAt = Date.now();
    const during = [await send(), await send()];
    // The station restarted during the outage: it still seals (the gate's plans are in its
    // database), and its confirmer takes over the answers the old process was waiting for.
    await stopStation();
    await startStation();
    during.push(await send());
    const sealedBy = Date.now();
    expect(during.map((s) => s.queued)).toEqual([true, true, true]);
    expect(await outboxDepth(siteNc)).toBe(3);
    expect(station.sent(officer).filter((e) => e.status === 'unconfirmed')).toHaveLength(3);
    // Longer than the hub window: these would be STALE on the hub's 4 s.
    await sleep(HUB_MAX_AGE_MS + 2000);
    await proxy.restore();
    const cutFor = Date.now() - cutAt;

    const ids = [...before, ...during].map((s) => s.noticeId);
    await until('every delivery', () => ids.every((id) => received.get(id) === 1), 60_000);
    await sleep(1000); // a late duplicate would show now
    expect(ids.map((id) => received.get(id))).toEqual([1, 1, 1, 1, 1]);
    expect([...received.keys()].sort()).toEqual([...ids].sort());
    // The gate took the queued notices in the site window, older than the hub window.
    for (const s of during) {
      const taken = outcomes.find(
        (o) => o.outcome.status === 'accepted' && o.outcome.noticeId === s.noticeId,
      );
      expect(taken, s.noticeId).toBeDefined();
      expect(taken!.at - sealedBy).toBeGreaterThan(HUB_MAX_AGE_MS);
    }
    expect(outcomes.filter((o) => o.outcome.status !== 'accepted')).toEqual([]);
    // The station learnt the gate's answers; the outbox is empty; the forwarder saw the cut.
    await until('the answers recorded', () =>
      ids.every((id) => station.sent(officer).find((e) => e.noticeId === id)?.status === 'accepted'),
    );
    expect(running.site!.forwarder.stats.failures).toBeGreaterThan(0);
    expect(await outboxDepth(siteNc)).toBe(0);
    for (const id of ids)
      expect((await station.receiptsOf(officer, id)).status.map((r) => r.recipient)).toContain(PEER);
    // Each submission once in the audit log.
    await until('the audit log', async () => {
      const { counts } = await submissionCounts(admin);
      return ids.every((id) => counts.get(id) === 1);
    });
    process.stdout.write(
      `station site: ${ids.length} notices (3 sealed with the link cut for ${cutFor} ms, the station restarted meanwhile, hub window ` +
        `${HUB_MAX_AGE_MS} ms), forwarder failures ${running.site!.forwarder.stats.failures}, lost 0, duplicated 0\n`,
    );
  }, 120_000);

  it('the hub window still refuses the same envelope when it comes without the site’s mark', async () => {
    // The bytes of a notice the site forwarded, as the operator sees them on the intake.
    const seen: Uint8Array[] = [];
    const tap = admin.subscribe(t.intake(SITE), {
      callback: (_e, m) => {
        seen.push(m.data);
      },
    });
    await admin.flush();
    const officer = running.station.officers.list().find((o) => o.role === 'officer')!;
    const preview = await running.station.previewNotice(officer, exampleNotices().borderAlert, {
      recipients: [PEER],
    });
    const sent = await running.station.sendDraft(officer, preview.draftId!, { purpose: 'case-work' });
    await until('the envelope on the intake', () => seen.length > 0);
    tap.unsubscribe();
    await until('its delivery', () => received.get(sent.noticeId) === 1);
    await sleep(HUB_MAX_AGE_MS + 500);
    const n = outcomes.length;
    // Published straight onto the hub's intake (no outbox mark): older than the hub window.
    await jetstream(admin).publish(t.intake(SITE), seen[0]!);
    await until('the answer', () => outcomes.length > n);
    expect(outcomes.slice(n).map((o) => o.outcome)).toEqual([{ status: 'rejected', code: 'STALE' }]);
    expect(received.get(sent.noticeId)).toBe(1);
  }, 60_000);
});
