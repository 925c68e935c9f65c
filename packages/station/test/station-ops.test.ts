import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@liaison/core';
import { exampleNotices } from '@liaison/fixtures';
import { Sandbox } from '@liaison/sandbox';
import { type RunningStation, runStation } from '@liaison/station';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_COST } from './helpers.js';

let sandbox: Sandbox;
let running: RunningStation;
const dir = mkdtempSync(join(tmpdir(), 'liaison-station-ops-'));

beforeAll(async () => {
  sandbox = await Sandbox.start();
  running = await runStation(
    {
      agency: 'de-bka',
      home: sandbox.home,
      connection: sandbox.connectionConfig('de-bka'),
      dbFile: join(dir, 'de-bka.db'),
      port: 0,
      passwordCost: TEST_COST,
      ops: { metricsPort: 0 },
    },
    { logger: createLogger('station', { level: 'warn' }) },
  );
});
afterAll(async () => {
  await running?.stop();
  await sandbox?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const metric = async (name: string): Promise<number> => {
  const text = await (await fetch(`${running.ops!.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`));
  return line ? Number(line.split(' ').at(-1)) : Number.NaN;
};

describe('the station metrics and probes', () => {
  it('count the inbox and the feed lag, name no notice, and are ready once following', async () => {
    expect(running.ops?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${running.ops!.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${running.ops!.url}/readyz`);
    expect(await ready.json()).toEqual({
      ready: true,
      checks: { connected: true, started: true, feed: true },
    });

    const bmi = await sandbox.client('at-bmi');
    await bmi.publish(exampleNotices().borderAlert);
    await bmi.publish(exampleNotices().borderAlert);
    const deadline = Date.now() + 15_000;
    while ((await metric('liaison_station_inbox_notices')) < 2 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    expect(await metric('liaison_station_inbox_notices')).toBe(2);
    expect(await metric('liaison_station_inbox_unread')).toBe(2);
    expect(await metric('liaison_station_receipts_owed')).toBe(0);
    expect(await metric('liaison_station_feed_pending')).toBe(0);
    expect(await metric('liaison_nats_connected')).toBe(1);

    const text = await (await fetch(`${running.ops!.url}/metrics`)).text();
    expect(text).toContain('instance="de-bka"');
    for (const secret of ['Petrova', 'PETROVA', '382914756', 'noticeId']) expect(text).not.toContain(secret);
  });
});
