import { sealRecipientsOf } from '@liaison/client';
import { seal } from '@liaison/envelope';
import { exampleNotices } from '@liaison/fixtures';
import { Sandbox } from '@liaison/sandbox';
import { STREAMS } from '@liaison/topology';
import { jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exited, ServiceProcesses } from './helpers.js';

const N = 60;
let sandbox: Sandbox;
const services = new ServiceProcesses(() => sandbox);
const startGateProcess = () => services.start('gate', { LIAISON_ACK_WAIT_MS: '2000' });

beforeAll(async () => {
  sandbox = await Sandbox.start({ gate: false });
});
afterAll(async () => {
  await services.killAll();
  await sandbox?.dispose();
});

async function feedCounts(): Promise<Map<string, Map<string, number>>> {
  const jsm = await jetstreamManager(sandbox.admin);
  const counts = new Map<string, Map<string, number>>();
  const info = await jsm.streams.info(STREAMS.feed);
  for (let seq = 1; seq <= info.state.last_seq; seq++) {
    const m = await jsm.streams.getMessage(STREAMS.feed, { seq }).catch(() => null);
    if (!m) continue;
    const recipient = m.subject.split('.')[2]!;
    const id = m.header?.get('Nats-Msg-Id')?.split('/')[0] ?? '';
    const per = counts.get(recipient) ?? new Map<string, number>();
    per.set(id, (per.get(id) ?? 0) + 1);
    counts.set(recipient, per);
  }
  return counts;
}

describe('gate crash', () => {
  it('delivers every notice exactly once to every entitled recipient across a kill -9 and restart', async () => {
    let gate = startGateProcess();
    const bmi = await sandbox.client('at-bmi');
    let plan: Awaited<ReturnType<typeof bmi.plan>> = [];
    for (let i = 0; i < 100 && plan.length === 0; i++) {
      plan = await bmi.plan(exampleNotices().borderAlert).catch(() => []);
      if (plan.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(plan.length).toBeGreaterThan(0);
    const entitled = plan.map((p) => p.agency).sort();
    const recipients = sealRecipientsOf(plan);

    const ids: string[] = [];
    const jsm = await jetstreamManager(sandbox.admin);
    for (let i = 0; i < N; i++) {
      const s = await seal({
        notice: exampleNotices().borderAlert,
        sender: sandbox.keys.get('at-bmi')!,
        recipients,
      });
      ids.push(s.noticeId);
      await bmi.publishRaw(s.bytes, s.noticeId);
      if (i === N / 3) {
        // Let the gate get going, then kill it mid-stream.
        for (let w = 0; w < 100 && (await jsm.streams.info(STREAMS.feed)).state.messages === 0; w++)
          await new Promise((r) => setTimeout(r, 50));
        gate.kill('SIGKILL');
        await exited(gate);
        const atKill = (await jsm.streams.info(STREAMS.feed)).state.messages;
        expect(atKill).toBeGreaterThan(0);
        expect(atKill).toBeLessThan(N * entitled.length);
      }
      if (i === (2 * N) / 3) gate = startGateProcess();
    }

    const deadline = Date.now() + 60_000;
    let counts = await feedCounts();
    while (Date.now() < deadline && entitled.some((r) => (counts.get(r)?.size ?? 0) < N)) {
      await new Promise((r) => setTimeout(r, 250));
      counts = await feedCounts();
    }
    for (const r of entitled) {
      const per = counts.get(r);
      expect(per?.size, `${r} received every notice`).toBe(N);
      for (const id of ids) expect(per?.get(id), `${r} got ${id} exactly once`).toBe(1);
    }
    expect([...counts.keys()].sort()).toEqual(entitled);
    expect((await jsm.streams.info(STREAMS.intake)).state.messages).toBe(0);
  }, 120_000);
});
