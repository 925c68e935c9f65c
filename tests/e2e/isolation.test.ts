import { exampleNotices } from '@liaison/fixtures';
import { connect, KeyStore } from '@liaison/identity';
import { Sandbox } from '@liaison/sandbox';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFeed } from './helpers.js';

let sandbox: Sandbox;
const A = 'de-bka';
const B = 'us-cbp';

beforeAll(async () => {
  // The default sandbox is the default `pnpm start` exchange: TLS, per-identity nkeys and permissions.
  sandbox = await Sandbox.start();
});
afterAll(async () => {
  await sandbox?.dispose();
});

/** Runs an operation expected to be refused by the server; returns the error text. */
async function refused(op: () => Promise<unknown>, timeoutMs = 3000): Promise<string> {
  try {
    await Promise.race([
      op(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('TIMEOUT: no answer')), timeoutMs)),
    ]);
  } catch (err) {
    return String((err as Error)?.message ?? err) + String((err as { cause?: unknown }).cause ?? '');
  }
  throw new Error('the server allowed it');
}

async function as(id: string): Promise<NatsConnection> {
  return connect(sandbox.connectionConfig(id));
}

async function subscriptionRefused(nc: NatsConnection, subject: string): Promise<boolean> {
  const sub = nc.subscribe(subject);
  const closed = await Promise.race([
    sub.closed.then((e) => e ?? 'closed'),
    new Promise((r) => setTimeout(() => r(undefined), 2000)),
  ]);
  return closed !== undefined && /permission/i.test(String(closed));
}

describe('broker-enforced isolation (attacks tried for real)', () => {
  it('the whole exchange still works with per-identity credentials', async () => {
    const receipt = await (await sandbox.client('at-bmi')).publish(exampleNotices().borderAlert);
    expect(receipt.recipients.map((r) => r.recipient)).toContain(B);
    const items = await readFeed(await sandbox.client(B), 1);
    expect(items[0]?.notice.level).toBe('operational');
  });

  it(`refuses agency ${A} everything that is not its own`, async () => {
    const nc = await as(A);
    const js = jetstream(nc);
    const jsm = await jetstreamManager(nc, { checkAPI: false });
    try {
      expect(await subscriptionRefused(nc, `liaison.feed.${B}.>`)).toBe(true);
      expect(await subscriptionRefused(nc, 'liaison.>')).toBe(true);
      expect(await subscriptionRefused(nc, `_INBOX_${B}.>`)).toBe(true);
      expect(await subscriptionRefused(nc, '_INBOX.>')).toBe(true);
      // B's deliveries: create, bind or pull from B's consumers, or point its own consumer at B's feed.
      expect(
        await refused(() =>
          jsm.consumers.add('FEED', {
            name: `feed-${B}`,
            durable_name: `feed-${B}`,
            filter_subject: `liaison.feed.${B}.*`,
          }),
        ),
      ).toMatch(/permission|timeout/i);
      expect(
        await refused(() =>
          jsm.consumers.add('FEED', {
            name: `feed-${A}`,
            durable_name: `feed-${A}`,
            filter_subject: `liaison.feed.${B}.*`,
          }),
        ),
      ).toMatch(/permission|timeout/i);
      expect(await refused(() => js.consumers.get('FEED', `feed-${B}`).then((c) => c.info()))).toMatch(
        /permission|timeout/i,
      );
      expect(
        await refused(() =>
          nc.request(`$JS.API.CONSUMER.MSG.NEXT.FEED.feed-${B}`, '{"batch":1}', { timeout: 1500 }),
        ),
      ).toMatch(/permission|timeout/i);
      // Publishing as someone else, or into feeds and the audit log.
      expect(await refused(() => js.publish(`liaison.intake.${B}`, new Uint8Array([1])))).toMatch(
        /permission|timeout/i,
      );
      expect(await refused(() => js.publish(`liaison.feed.${B}.border-alert`, new Uint8Array([1])))).toMatch(
        /permission|timeout/i,
      );
      expect(await refused(() => js.publish('liaison.audit.log', new Uint8Array([1])))).toMatch(
        /permission|timeout/i,
      );
      expect(await refused(() => js.publish('liaison.auditin.liaison-gate', new Uint8Array([1])))).toMatch(
        /permission|timeout/i,
      );
      expect(await refused(() => js.publish('liaison.policy.agency-added', new Uint8Array([1])))).toMatch(
        /permission|timeout/i,
      );
      // Reading the audit, policy or intake streams.
      expect(await refused(() => js.consumers.get('AUDIT').then((c) => c.next({ expires: 1000 })))).toMatch(
        /permission|timeout/i,
      );
      expect(await refused(() => jsm.streams.getMessage('POLICY', { seq: 1 }))).toMatch(
        /permission|timeout/i,
      );
      expect(await refused(() => js.consumers.get('INTAKE').then((c) => c.next({ expires: 1000 })))).toMatch(
        /permission|timeout/i,
      );
      // Deleting, purging, administering.
      expect(await refused(() => jsm.streams.purge('FEED'))).toMatch(/permission|timeout/i);
      expect(await refused(() => jsm.streams.delete('AUDIT'))).toMatch(/permission|timeout/i);
      expect(await refused(() => jsm.streams.deleteMessage('FEED', 1))).toMatch(/permission|timeout/i);
      expect(await refused(() => jsm.streams.add({ name: 'MINE', subjects: ['mine.>'] }))).toMatch(
        /permission|timeout/i,
      );
      expect(await refused(() => jsm.streams.info('FEED'))).toMatch(/permission|timeout/i);
      expect(await refused(() => jsm.consumers.list('FEED').next())).toMatch(/permission|timeout/i);
    } finally {
      await nc.close();
    }
  });

  it('lets the gate do its job and nothing more', async () => {
    const nc = await as('liaison-gate');
    const js = jetstream(nc);
    const jsm = await jetstreamManager(nc, { checkAPI: false });
    try {
      expect(
        await refused(() => jsm.consumers.add('FEED', { name: 'peek', filter_subject: 'liaison.feed.>' })),
      ).toMatch(/permission|timeout/i);
      expect(await refused(() => js.consumers.get('AUDIT').then((c) => c.next({ expires: 1000 })))).toMatch(
        /permission|timeout/i,
      );
      expect(await refused(() => jsm.streams.purge('INTAKE'))).toMatch(/permission|timeout/i);
      expect(await refused(() => js.publish('liaison.intake.at-bmi', new Uint8Array([1])))).toMatch(
        /permission|timeout/i,
      );
      expect(await refused(() => js.publish('liaison.audit.log', new Uint8Array([1])))).toMatch(
        /permission|timeout/i,
      );
      expect(await subscriptionRefused(nc, 'liaison.feed.>')).toBe(true);
    } finally {
      await nc.close();
    }
  });

  it('lets the audit log and an auditor do their jobs and nothing more', async () => {
    const log = await as('liaison-audit-log');
    const auditor = await as('eu-auditor');
    try {
      expect(
        await refused(() => jetstream(log).publish('liaison.feed.us-cbp.border-alert', new Uint8Array([1]))),
      ).toMatch(/permission|timeout/i);
      expect(
        await refused(() =>
          jetstream(log)
            .consumers.get('FEED')
            .then((c) => c.next({ expires: 1000 })),
        ),
      ).toMatch(/permission|timeout/i);
      const proof = await auditor.request('liaison.audit.latest', new Uint8Array(0), { timeout: 5000 });
      expect(proof.string()).toMatch(/checkpoint/);
      const m = await (await jetstreamManager(auditor, { checkAPI: false })).streams.getMessage('POLICY', {
        seq: 1,
      });
      expect(m?.data.length).toBeGreaterThan(0);
      expect(
        await refused(() =>
          jetstream(auditor)
            .consumers.get('FEED')
            .then((c) => c.next({ expires: 1000 })),
        ),
      ).toMatch(/permission|timeout/i);
      expect(
        await refused(() => jetstream(auditor).publish('liaison.policy.agency-added', new Uint8Array([1]))),
      ).toMatch(/permission|timeout/i);
    } finally {
      await log.close();
      await auditor.close();
    }
  });

  it('cuts a revoked agency off, its open connection included, without a restart', async () => {
    const victim = 'ca-cbsa';
    const nc = await as(victim);
    const js = jetstream(nc);
    await js.publish(`liaison.ack.${victim}`, new TextEncoder().encode('not a receipt'));
    const admin = {
      id: 'admin-1',
      key: (await new KeyStore(sandbox.home).load('admins', 'admin-1')).signing,
    };
    const store = sandbox.store;
    await store.refresh();
    for (const k of store.registry.current.keys.get(victim) ?? []) {
      await store.append(
        await store.registry.prepare(
          'key-revoked',
          { agency: victim, kid: k.kid, revokedAt: Date.now() },
          admin,
        ),
      );
    }
    // No restart and no manual step: the broker follows the registry and reloads itself.
    const deadline = Date.now() + 10_000;
    while (
      Date.now() < deadline &&
      (await as(victim).then(
        (c) => c.close().then(() => true),
        () => false,
      ))
    ) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(
      await refused(() => js.publish(`liaison.ack.${victim}`, new Uint8Array([1]), { timeout: 1500 })),
    ).toMatch(/permission|timeout|closed|authorization/i);
    expect(await refused(() => as(victim))).toMatch(/authorization/i);
    await nc.close().catch(() => undefined);
  });
});
