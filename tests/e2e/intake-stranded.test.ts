import { sealRecipientsOf } from '@liaison/client';
import { seal } from '@liaison/envelope';
import { exampleNotices } from '@liaison/fixtures';
import type { Outcome } from '@liaison/gate';
import { Sandbox } from '@liaison/sandbox';
import { DURABLES, STREAMS, Subjects } from '@liaison/topology';
import { jetstreamManager } from '@nats-io/jetstream';
import { afterAll, describe, expect, it } from 'vitest';
import { readFeed, submissionCounts } from './helpers.js';

/**
 * A notice stranded in INTAKE (docs/exchange.md, "Failover"): on nats-server 2.9.10 a
 * replicated pull consumer can move past messages it never knew it delivered after a
 * leader change (fixed upstream in 2025, nats-server PR #6469) — they stay in the work
 * queue, never offered again, and the notice is lost without a receipt. The same state
 * is made here on purpose, on the locked-down sandbox (the gate with its generated
 * permissions): the gate's durable is changed so that it does not account for a stored submission. The
 * gate's intake sweeper finds the message its durable does not account for, processes it
 * from the stream, and removes it: delivered once, answered, audited once.
 */
const t = new Subjects();
const outcomes: Outcome[] = [];
let sandbox: Sandbox | undefined;

afterAll(async () => {
  await sandbox?.dispose();
});

describe('an intake message the gate’s durable no longer offers', () => {
  it('is taken over from INTAKE, delivered once and answered', async () => {
    sandbox = await Sandbox.start({
      gate: false,
      gateSettings: { intakeSweepMs: 1000 },
      onOutcome: (o) => outcomes.push(o),
    });
    await sandbox.startGate();
    const bmi = await sandbox.client('at-bmi');
    const bka = await sandbox.client('de-bka');
    const notice = exampleNotices().borderAlert;
    const plan = await bmi.plan(notice);
    // The gate's durable changed so that it does not account for at-bmi's next submission
    // (a work queue's consumer must deliver all: a filter on another agency's intake does
    // it), as the 2.9.10 consumer is after the bug...
    const jsm = await jetstreamManager(sandbox.admin);
    const { config } = await jsm.consumers.info(STREAMS.intake, DURABLES.gate);
    await jsm.consumers.update(STREAMS.intake, DURABLES.gate, {
      ...config,
      filter_subject: t.intake('de-bka'),
    });
    // ...and the submission stored in INTAKE.
    const stranded = await seal({
      notice,
      sender: sandbox.keys.get('at-bmi')!,
      recipients: sealRecipientsOf(plan),
    });
    await bmi.publishRaw(stranded.bytes, stranded.noticeId);
    // A later notice goes through the durable as usual, and moves its position past the stranded one.
    const later = await bka.publish(notice);
    expect(later.status).toBe('accepted');
    expect(await readFeed(bmi, 1, 20_000)).toHaveLength(1);
    // The stranded one is found (two looks a second apart), processed from the stream and removed.
    const got = await readFeed(bka, 1, 30_000);
    expect(got.map((i) => i.notice.noticeId)).toEqual([stranded.noticeId]);
    expect((await bmi.receiptFor(stranded.noticeId, 10_000)).status).toBe('accepted');
    expect((await jsm.streams.info(STREAMS.intake)).state.messages).toBe(0);
    expect(sandbox.gate!.health().intake.stranded).toBe(1);
    expect(outcomes.filter((o) => o.status === 'accepted')).toHaveLength(2);
    // Nothing twice: one delivery each on the feeds, one submission each in the audit log.
    for (const who of ['de-bka', 'at-bmi']) {
      const info = await jsm.streams.info(STREAMS.feed, { subjects_filter: t.feedOf(who) });
      expect(Object.values(info.state.subjects ?? {}).reduce((a, b) => a + b, 0)).toBe(1);
    }
    const deadline = Date.now() + 15_000;
    let counts = (await submissionCounts(sandbox.admin)).counts;
    while ([stranded, later].some((n) => counts.get(n.noticeId) !== 1) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      counts = (await submissionCounts(sandbox.admin)).counts;
    }
    expect([counts.get(stranded.noticeId), counts.get(later.noticeId)]).toEqual([1, 1]);
  }, 90_000);
});
