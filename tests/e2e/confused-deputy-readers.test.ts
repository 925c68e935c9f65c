// The confused deputy, for the identities that read the logs (issue 14, decision 0014):
// auditors and administrators are alone in accounts of their own and reach the logs only
// through the log reader's batches, so neither can make JetStream publish for it. Each
// tries, on the default (locked-down) exchange, a push consumer with a foreign deliver
// subject on AUDIT, AUDIT_CHECKPOINTS, POLICY and FEED, a MSG.NEXT with a foreign reply,
// a direct publish on the log subjects and a read request whose reply is a log subject:
// all refused or harmless; afterwards the streams hold what they held and `audit verify`
// passes — as the operator and as the auditor, through the log reader.
import { findCause } from '@liaison/core';
import { exampleNotices } from '@liaison/fixtures';
import { Sandbox } from '@liaison/sandbox';
import {
  DELIVERIES_BUCKET,
  DURABLES,
  feedDurable,
  jetStreamApi,
  jsApi,
  kvStreamName,
  READABLE_STREAMS,
  STREAMS,
  Subjects,
} from '@liaison/topology';
import { jetstreamManager } from '@nats-io/jetstream';
import { errors, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFeed } from './helpers.js';

const t = new Subjects();
const enc = new TextEncoder();
const AUDITOR = 'eu-auditor';
const ADMIN = 'admin-1';
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await Sandbox.start();
});
afterAll(async () => {
  await sandbox?.dispose();
});

const WATCHED = [
  ...READABLE_STREAMS,
  STREAMS.intake,
  STREAMS.acks,
  STREAMS.auditIn,
  kvStreamName(DELIVERIES_BUCKET),
];

/** How many messages each stream holds, and which consumers each has. */
async function snapshot(): Promise<{
  messages: Record<string, number>;
  consumers: Record<string, string[]>;
}> {
  const jsm = await jetstreamManager(sandbox.admin);
  const messages: Record<string, number> = {};
  const consumers: Record<string, string[]> = {};
  for (const s of WATCHED) {
    messages[s] = (await jsm.streams.info(s)).state.messages;
    consumers[s] = (await jsm.consumers.list(s).next()).map((c) => c.name).sort();
  }
  return { messages, consumers };
}

const settle = () => new Promise((r) => setTimeout(r, 400));

async function quiet(): Promise<void> {
  await settle();
  await sandbox.auditSettled();
  await sandbox.auditLog!.checkpoint();
  await settle();
}

/** A request the broker must refuse outright: a permission violation, never an answer. */
async function refused(nc: NatsConnection, subject: string, body: string, reply?: string): Promise<void> {
  if (reply) {
    nc.publish(subject, enc.encode(body), { reply });
    await nc.flush();
    return;
  }
  const err = await nc.request(subject, enc.encode(body), { timeout: 1500 }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(findCause(err, errors.PermissionViolationError), subject).toBeTruthy();
}

const targets = [t.auditLog, t.auditCheckpoint, t.policy('agency-added'), t.intake('at-bmi'), t.auditIn('x')];

describe('auditors and administrators cannot make JetStream publish for them', () => {
  it('refuses every consumer, pull and log publish, and a read answer lands only in their own account', async () => {
    const receipt = await (await sandbox.client('at-bmi')).publish(exampleNotices().borderAlert);
    await readFeed(await sandbox.client('de-bka'), 1);
    // Something left waiting in a durable, for the MSG.NEXT attempts.
    await (await sandbox.client('at-bmi')).publish(exampleNotices().threatNotice, {
      recipients: ['ca-cbsa'],
    });
    await quiet();
    const before = await snapshot();
    expect(before.messages[STREAMS.feed]).toBeGreaterThan(0);

    for (const id of [AUDITOR, ADMIN]) {
      const nc = await sandbox.connection(id);
      // Push consumers with a foreign deliver subject, under JetStream's API and under the
      // prefix an agency's imports use: nothing of either is in their accounts.
      for (const api of [jsApi, jetStreamApi(t.agencyJsApi)])
        for (const stream of READABLE_STREAMS)
          for (const deliver of targets) {
            const push = JSON.stringify({
              stream_name: stream,
              config: {
                name: 'pushed',
                durable_name: 'pushed',
                deliver_subject: deliver,
                ack_policy: 'none',
              },
            });
            await refused(nc, api.consumerCreate(stream, 'pushed'), push);
            await refused(nc, api.consumerCreate(stream, 'pushed', '>'), push);
            await refused(nc, api.durableCreate(stream, 'pushed'), push);
          }
      // Pulls with a foreign reply from the services' and the agencies' durables.
      for (const [stream, durable] of [
        [STREAMS.feed, feedDurable('ca-cbsa')],
        [STREAMS.intake, DURABLES.gate],
        [STREAMS.auditIn, DURABLES.auditLog],
      ] as const)
        for (const reply of targets) {
          await refused(nc, jsApi.consumer('MSG.NEXT', stream, durable), '{"batch":5}', reply);
          await refused(nc, jsApi.consumer('MSG.NEXT', stream, durable), '{"batch":5}');
        }
      // Direct publishes on the logs (an administrator's policy events are its own right: not here).
      for (const subject of targets.filter((x) => id === AUDITOR || x !== t.policy('agency-added')))
        await refused(nc, subject, 'junk');
      await refused(nc, jsApi.stream('MSG.GET', STREAMS.audit), '{"seq":1}');
      // A read request whose reply is a log subject: the reader answers into the service
      // import's reply, mapped back into the requester's own account, where nothing listens.
      for (const stream of id === AUDITOR ? READABLE_STREAMS : [STREAMS.policy])
        for (const reply of targets) {
          nc.publish(t.read(stream), enc.encode('{"fromSeq":1}'), { reply });
          await nc.flush();
        }
      // An administrator has no read of the audit log at all.
      if (id === ADMIN) await refused(nc, t.read(STREAMS.audit), '{"fromSeq":1}');
    }
    await quiet();
    const after = await snapshot();
    // Only the audit log's own checkpoint (quiet) may have been added.
    expect({ ...after.messages, [STREAMS.auditCheckpoints]: 0 }).toEqual({
      ...before.messages,
      [STREAMS.auditCheckpoints]: 0,
    });
    expect(after.consumers).toEqual(before.consumers);
    expect(Object.values(after.consumers).flat()).not.toContain('pushed');
    expect((await sandbox.verifyAudit()).discrepancies).toEqual([]);
    expect((await sandbox.verifyAudit({ as: AUDITOR, content: true })).discrepancies).toEqual([]);
    // The waiting delivery is still there for its recipient.
    const items = await readFeed(await sandbox.client('ca-cbsa'), 1);
    expect(items).toHaveLength(1);
    expect(receipt.noticeId).toBeTruthy();
  });
});
