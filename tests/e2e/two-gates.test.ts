import { createLogger } from '@liaison/core';
import { exampleNotices } from '@liaison/fixtures';
import { Gate, type Outcome } from '@liaison/gate';
import { GATE_ID, Sandbox } from '@liaison/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFeed } from './helpers.js';

const first: Outcome[] = [];
const second: Outcome[] = [];
let sandbox: Sandbox;
let other: Gate;

beforeAll(async () => {
  sandbox = await Sandbox.start({ onOutcome: (o) => first.push(o) });
  other = await Gate.start({
    nc: await sandbox.connection(GATE_ID),
    keys: sandbox.keys.get(GATE_ID)!,
    anchors: sandbox.anchors,
    onOutcome: (o) => second.push(o),
    logger: createLogger('gate-2', { level: 'warn' }),
  });
});
afterAll(async () => {
  await other?.stop();
  await sandbox?.dispose();
});

describe('several gate instances', () => {
  it('share the intake work queue: each notice is handled once, by one of them', async () => {
    const bmi = await sandbox.client('at-bmi');
    const sent = await Promise.all(
      Array.from({ length: 40 }, () => bmi.publish(exampleNotices().borderAlert)),
    );
    const got = await readFeed(await sandbox.client('de-bka'), sent.length);
    expect(new Set(got.map((i) => i.notice.noticeId))).toEqual(new Set(sent.map((r) => r.noticeId)));
    expect(first.length + second.length).toBe(sent.length);
    expect(first.length).toBeGreaterThan(0);
    expect(second.length).toBeGreaterThan(0);
  });
});
