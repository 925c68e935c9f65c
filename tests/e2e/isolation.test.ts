import { exampleNotices } from '@liaison/fixtures';
import { connect, KeyStore } from '@liaison/identity';
import { remoteLog } from '@liaison/log-reader';
import { Sandbox } from '@liaison/sandbox';
import { feedDurable, inboxOf, jsApi, STREAMS, Subjects } from '@liaison/topology';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { AuthorizationError, type NatsConnection, connect as natsConnect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFeed } from './helpers.js';

const t = new Subjects();

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
  it('refuses an anonymous connection to the default exchange, even one that trusts its CA', async () => {
    const raw = await natsConnect({
      servers: sandbox.url,
      tls: { caFile: sandbox.caFile! },
      timeout: 2000,
      reconnect: false,
    }).then(
      async (nc) => {
        await nc.close();
        return 'connected';
      },
      (e: unknown) => e,
    );
    expect(raw).toBeInstanceOf(AuthorizationError);
    // Through the product's own connect: no credentials, no connection attempt at all.
    await expect(connect({ servers: [sandbox.url], name: 'anyone' })).rejects.toMatchObject({
      code: 'NO_CREDENTIALS',
    });
  });

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
      expect(await subscriptionRefused(nc, t.feedOf(B))).toBe(true);
      expect(await subscriptionRefused(nc, t.all)).toBe(true);
      expect(await subscriptionRefused(nc, inboxOf(B))).toBe(true);
      expect(await subscriptionRefused(nc, '_INBOX.>')).toBe(true);
      // B's deliveries: create, bind or pull from B's consumers, or point its own consumer at B's feed.
      expect(
        await refused(() =>
          jsm.consumers.add(STREAMS.feed, {
            name: feedDurable(B),
            durable_name: feedDurable(B),
            filter_subject: t.feedFilter(B),
          }),
        ),
      ).toMatch(/permission|timeout/i);
      expect(
        await refused(() =>
          jsm.consumers.add(STREAMS.feed, {
            name: feedDurable(A),
            durable_name: feedDurable(A),
            filter_subject: t.feedFilter(B),
          }),
        ),
      ).toMatch(/permission|timeout/i);
      expect(
        await refused(() => js.consumers.get(STREAMS.feed, feedDurable(B)).then((c) => c.info())),
      ).toMatch(/permission|timeout/i);
      expect(
        await refused(() =>
          nc.request(jsApi.consumer('MSG.NEXT', STREAMS.feed, feedDurable(B)), '{"batch":1}', {
            timeout: 1500,
          }),
        ),
      ).toMatch(/permission|timeout/i);
      // Publishing as someone else, or into feeds and the audit log.
      expect(await refused(() => js.publish(t.intake(B), new Uint8Array([1])))).toMatch(
        /permission|timeout/i,
      );
      expect(await refused(() => js.publish(t.feed(B, 'border-alert'), new Uint8Array([1])))).toMatch(
        /permission|timeout/i,
      );
      expect(await refused(() => js.publish(t.auditLog, new Uint8Array([1])))).toMatch(/permission|timeout/i);
      expect(await refused(() => js.publish(t.auditIn('liaison-gate'), new Uint8Array([1])))).toMatch(
        /permission|timeout/i,
      );
      expect(await refused(() => js.publish(t.policy('agency-added'), new Uint8Array([1])))).toMatch(
        /permission|timeout/i,
      );
      // Reading the audit, policy or intake streams.
      expect(
        await refused(() => js.consumers.get(STREAMS.audit).then((c) => c.next({ expires: 1000 }))),
      ).toMatch(/permission|timeout/i);
      expect(await refused(() => jsm.streams.getMessage(STREAMS.policy, { seq: 1 }))).toMatch(
        /permission|timeout/i,
      );
      expect(
        await refused(() => js.consumers.get(STREAMS.intake).then((c) => c.next({ expires: 1000 }))),
      ).toMatch(/permission|timeout/i);
      // Deleting, purging, administering.
      expect(await refused(() => jsm.streams.purge(STREAMS.feed))).toMatch(/permission|timeout/i);
      expect(await refused(() => jsm.streams.delete(STREAMS.audit))).toMatch(/permission|timeout/i);
      expect(await refused(() => jsm.streams.deleteMessage(STREAMS.feed, 1))).toMatch(/permission|timeout/i);
      expect(await refused(() => jsm.streams.add({ name: 'MINE', subjects: ['mine.>'] }))).toMatch(
        /permission|timeout/i,
      );
      expect(await refused(() => jsm.streams.info(STREAMS.feed))).toMatch(/permission|timeout/i);
      expect(await refused(() => jsm.consumers.list(STREAMS.feed).next())).toMatch(/permission|timeout/i);
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
        await refused(() => jsm.consumers.add(STREAMS.feed, { name: 'peek', filter_subject: t.feedAny })),
      ).toMatch(/permission|timeout/i);
      expect(
        await refused(() => js.consumers.get(STREAMS.audit).then((c) => c.next({ expires: 1000 }))),
      ).toMatch(/permission|timeout/i);
      expect(await refused(() => jsm.streams.purge(STREAMS.intake))).toMatch(/permission|timeout/i);
      expect(await refused(() => js.publish(t.intake('at-bmi'), new Uint8Array([1])))).toMatch(
        /permission|timeout/i,
      );
      expect(await refused(() => js.publish(t.auditLog, new Uint8Array([1])))).toMatch(/permission|timeout/i);
      expect(await subscriptionRefused(nc, t.feedAny)).toBe(true);
    } finally {
      await nc.close();
    }
  });

  it('lets the audit log and an auditor do their jobs and nothing more', async () => {
    const log = await as('liaison-audit-log');
    const auditor = await as('eu-auditor');
    try {
      expect(
        await refused(() => jetstream(log).publish(t.feed('us-cbp', 'border-alert'), new Uint8Array([1]))),
      ).toMatch(/permission|timeout/i);
      expect(
        await refused(() =>
          jetstream(log)
            .consumers.get(STREAMS.feed)
            .then((c) => c.next({ expires: 1000 })),
        ),
      ).toMatch(/permission|timeout/i);
      const proof = await auditor.request(t.auditLatest, new Uint8Array(0), { timeout: 5000 });
      expect(proof.string()).toMatch(/checkpoint/);
      // An auditor is alone in its own account (decision 0014): it reads the policy log, the
      // audit log and FEED through the log reader's batches, never JetStream's API.
      for await (const m of remoteLog(auditor).messages(STREAMS.policy, 1)) {
        expect(m.data.length).toBeGreaterThan(0);
        break;
      }
      expect(
        await refused(async () =>
          (await jetstreamManager(auditor, { checkAPI: false })).streams.getMessage(STREAMS.policy, {
            seq: 1,
          }),
        ),
      ).toMatch(/permission|timeout/i);
      // It reads FEED (its digests, for `audit verify --content`: cleartext headers the log
      // holds anyway, ciphertext it has no key for) — but never through an agency's own
      // durable, which would take that agency's deliveries.
      expect(
        await refused(() =>
          jetstream(auditor)
            .consumers.get(STREAMS.feed, feedDurable('us-cbp'))
            .then((c) => c.next({ expires: 1000 })),
        ),
      ).toMatch(/permission|timeout/i);
      expect(
        await refused(() => jetstream(auditor).publish(t.policy('agency-added'), new Uint8Array([1]))),
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
    await js.publish(t.ack(victim), new TextEncoder().encode('not a receipt'));
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
    expect(await refused(() => js.publish(t.ack(victim), new Uint8Array([1]), { timeout: 1500 }))).toMatch(
      /permission|timeout|closed|authorization/i,
    );
    expect(await refused(() => as(victim))).toMatch(/authorization/i);
    await nc.close().catch(() => undefined);
  });
});
