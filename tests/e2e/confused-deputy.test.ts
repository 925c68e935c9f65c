// The confused deputy, tried for real against the default (locked-down) exchange: an
// agency — even a subscribe-only strategic partner — must not be able to make the gate,
// the audit log or JetStream publish for it on a subject it may not publish on itself.
// Every agency is alone in an account of its own; an answer to its request lands in its
// own account whatever reply subject it picks. Each attack below succeeded against the
// single-account broker with `allow_responses` (issue 14); after each, the queues hold
// what they held and `audit verify` passes.
import { exampleNotices } from '@liaison/fixtures';
import { Sandbox } from '@liaison/sandbox';
import {
  DELIVERIES_BUCKET,
  feedDurable,
  inboxPrefix,
  jetStreamApi,
  jsApi,
  kvStreamName,
  STREAMS,
  Subjects,
} from '@liaison/topology';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFeed } from './helpers.js';

const t = new Subjects();
const local = jetStreamApi(t.agencyJsApi);
const enc = new TextEncoder();
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await Sandbox.start();
});
afterAll(async () => {
  await sandbox?.dispose();
});

/** How many messages each stream the attacks aim at holds (the ledger KV included). */
async function counts(): Promise<Record<string, number>> {
  const jsm = await jetstreamManager(sandbox.admin);
  const out: Record<string, number> = {};
  for (const s of [
    STREAMS.intake,
    STREAMS.audit,
    STREAMS.auditCheckpoints,
    STREAMS.policy,
    STREAMS.acks,
    kvStreamName(DELIVERIES_BUCKET),
  ])
    out[s] = (await jsm.streams.info(s)).state.messages;
  return out;
}

/** Publishes a request with a chosen reply subject (what an attacker controls). */
async function requestWithReply(nc: NatsConnection, subject: string, reply: string, body = '{}') {
  nc.publish(subject, enc.encode(body), { reply });
  await nc.flush();
}

const settle = () => new Promise((r) => setTimeout(r, 400));

/** Until the exchange is idle: read receipts relayed, the audit log caught up and checkpointed. */
async function quiet(): Promise<void> {
  const jsm = await jetstreamManager(sandbox.admin);
  for (let i = 0; i < 100 && (await jsm.streams.info(STREAMS.acks)).state.messages > 0; i++) await settle();
  await settle();
  await sandbox.auditSettled();
  await sandbox.auditLog!.checkpoint();
}

describe('no identity can make another component publish for it', () => {
  it('the gate answers plan, directory, receipts, replay and station-checkpoint requests only into the requester’s own account', async () => {
    // Something in every log the attacks aim at: a notice delivered, audited, in the ledger.
    const receipt = await (await sandbox.client('at-bmi')).publish(exampleNotices().borderAlert);
    await readFeed(await sandbox.client('de-bka'), 1);
    await quiet();
    const before = await counts();
    expect(before[kvStreamName(DELIVERIES_BUCKET)]).toBeGreaterThan(0);

    const targets = [
      jsApi.stream('PURGE', STREAMS.intake),
      jsApi.stream('PURGE', kvStreamName(DELIVERIES_BUCKET)),
      jsApi.stream('DELETE', STREAMS.audit),
      t.auditLog,
      t.auditCheckpoint,
      t.policy('agency-added'),
      t.ack('us-cbp'),
      `${inboxPrefix('us-cbp')}.stolen`,
    ];
    // A subscribe-only strategic partner and a publisher, each with every target as reply,
    // and another agency's intake (an answer there would be audited as a submission
    // "from" an agency that never sent it). Its own intake is no target: an answer there
    // is a submission the attacker could publish itself.
    for (const [attacker, victim] of [
      ['ru-mvd', 'at-bmi'],
      ['at-bmi', 'de-bka'],
    ] as const) {
      const nc = await sandbox.connection(attacker);
      for (const reply of [...targets, t.intake(victim)]) {
        await requestWithReply(nc, t.plan(attacker), reply, JSON.stringify({ kind: 'threat-notice' }));
        await requestWithReply(nc, t.directory(attacker), reply);
        await requestWithReply(nc, t.replay(attacker), reply, JSON.stringify({ since: 0 }));
        await requestWithReply(nc, t.stationCheckpoint(attacker), reply, JSON.stringify({ note: 'x' }));
        if (attacker === 'at-bmi')
          await requestWithReply(
            nc,
            t.receiptsQuery(attacker),
            reply,
            JSON.stringify({ noticeId: receipt.noticeId }),
          );
      }
    }
    await quiet();
    // Nothing the gate answered landed anywhere: not a purge, a deletion, a junk record,
    // a policy event, a submission "from" at-bmi (it would be audited as a rejection).
    expect(await counts()).toEqual(before);
    expect((await sandbox.verifyAudit()).discrepancies).toEqual([]);
    // And the exchange goes on.
    const next = await (await sandbox.client('at-bmi')).publish(exampleNotices().borderAlert);
    expect((await readFeed(await sandbox.client('de-bka'), 1))[0]?.notice.noticeId).toBe(next.noticeId);
  });

  it('JetStream delivers an agency’s own feed only into its own account, whatever reply it asks for', async () => {
    const bmi = await sandbox.client('at-bmi');
    await bmi.publish(exampleNotices().threatNotice, { recipients: ['ca-cbsa'] });
    await quiet();
    const before = await counts();
    const nc = await sandbox.connection('ca-cbsa');
    const next = local.consumer('MSG.NEXT', STREAMS.feed, feedDurable('ca-cbsa'));
    for (const reply of [t.auditLog, t.auditCheckpoint, t.policy('agency-added'), t.intake('at-bmi')])
      await requestWithReply(nc, next, reply, JSON.stringify({ batch: 5, expires: 500_000_000 }));
    await quiet();
    expect(await counts()).toEqual(before);
    expect((await sandbox.verifyAudit()).discrepancies).toEqual([]);
  });

  it('an agency can create no consumer at all, so no push consumer with a foreign deliver subject', async () => {
    const jsm = await jetstreamManager(sandbox.admin);
    const names = async () => (await jsm.consumers.list(STREAMS.feed).next()).map((c) => c.name).sort();
    const before = await names();
    const nc = await sandbox.connection('us-cbp');
    const push = JSON.stringify({
      stream_name: STREAMS.feed,
      config: {
        name: 'pushed',
        deliver_subject: t.auditLog,
        filter_subject: t.feedFilter('us-cbp'),
        ack_policy: 'none',
      },
    });
    for (const api of [jsApi, local]) {
      await requestWithReply(
        nc,
        api.consumerCreate(STREAMS.feed, 'pushed', t.feedFilter('us-cbp')),
        `${inboxPrefix('us-cbp')}.x`,
        push,
      );
      await requestWithReply(
        nc,
        api.durableCreate(STREAMS.feed, 'pushed'),
        `${inboxPrefix('us-cbp')}.x`,
        push,
      );
    }
    await settle();
    expect(await names()).toEqual(before);
    expect(before).not.toContain('pushed');
  });

  it('an agency cannot replay another agency’s feed: the subject is not in its account', async () => {
    const bmi = await sandbox.client('at-bmi');
    const receipt = await bmi.publish(exampleNotices().borderAlert, { recipients: ['de-bka'] });
    const since = Date.now() - 60_000;
    // ru-mvd (strategic, subscribe-only) and us-cbp (operational) ask for de-bka's feed.
    for (const attacker of ['ru-mvd', 'us-cbp']) {
      const nc = await sandbox.connection(attacker);
      await expect(
        nc.request(t.replay('de-bka'), enc.encode(JSON.stringify({ since })), { timeout: 1000 }),
      ).rejects.toThrow();
      // Its own replay answers with its own deliveries only: never the one sent to de-bka alone.
      const own = JSON.parse(
        (
          await nc.request(t.replay(attacker), enc.encode(JSON.stringify({ since })), { timeout: 5000 })
        ).string(),
      ) as { deliveries: { data: string }[] };
      const raw = own.deliveries.map((d) => Buffer.from(d.data, 'base64').toString('latin1')).join('');
      expect(raw).not.toContain(receipt.noticeId);
      const items = [];
      for await (const r of (await sandbox.client(attacker)).replay({ since })) items.push(r.notice.noticeId);
      expect(items).not.toContain(receipt.noticeId);
    }
    // The check above would see it: de-bka's own replay holds the notice id in its bytes.
    const theirs = JSON.parse(
      (
        await (
          await sandbox.connection('de-bka')
        ).request(t.replay('de-bka'), enc.encode(JSON.stringify({ since })), {
          timeout: 5000,
        })
      ).string(),
    ) as { deliveries: { data: string }[] };
    expect(theirs.deliveries.map((d) => Buffer.from(d.data, 'base64').toString('latin1')).join('')).toContain(
      receipt.noticeId,
    );
    // A replay request is no way to move anyone's durable: de-bka's delivery is still waiting.
    const items = await readFeed(await sandbox.client('de-bka'), 20, 3000);
    expect(items.map((i) => i.notice.noticeId)).toContain(receipt.noticeId);
  });

  it('an agency cannot use another agency’s consumer by name, nor read its receipts', async () => {
    const bmi = await sandbox.client('at-bmi');
    const receipt = await bmi.publish(exampleNotices().borderAlert, { recipients: ['de-bpol'] });
    const jsm = await jetstreamManager(sandbox.admin);
    const pending = async () => (await jsm.consumers.info(STREAMS.feed, feedDurable('de-bpol'))).num_pending;
    const waiting = await pending();
    expect(waiting).toBeGreaterThan(0);

    const nc = await sandbox.connection('us-cbp');
    const theirs = feedDurable('de-bpol');
    await expect(
      nc.request(local.consumer('MSG.NEXT', STREAMS.feed, theirs), enc.encode('{"batch":1}'), {
        timeout: 1000,
      }),
    ).rejects.toThrow();
    await expect(
      nc.request(local.consumer('INFO', STREAMS.feed, theirs), enc.encode(''), { timeout: 1000 }),
    ).rejects.toThrow();
    // Another agency's receipts: neither as they are published nor by query.
    const sub = nc.subscribe(t.receiptsOf('at-bmi'));
    const closed = await Promise.race([
      sub.closed.then((e) => String(e ?? 'closed')),
      settle().then(() => 'open'),
    ]);
    expect(closed).toMatch(/permission/i);
    await expect(
      nc.request(t.receiptsQuery('at-bmi'), enc.encode(JSON.stringify({ noticeId: receipt.noticeId })), {
        timeout: 1000,
      }),
    ).rejects.toThrow();
    await settle();
    expect(await pending()).toBe(waiting);
    // de-bpol still gets its own delivery.
    const items = await readFeed(await sandbox.client('de-bpol'), waiting);
    expect(items.map((i) => i.notice.noticeId)).toContain(receipt.noticeId);
  });
});
