// Rectification and erasure end to end on the locked-down exchange (TLS, nkeys, real
// gate, audit log and retention service): the provider's amendment reaches every
// recipient of the original, each station applies it and confirms with a signed
// receipt, the provider sees who confirmed; the exchange's copies go too, and the log
// still verifies. And a PNR hit is masked at six months in every copy that is kept.
import { createLogger } from '@liaison/core';
import { exampleNotices } from '@liaison/fixtures';
import { LEGAL_LIMITS, PNR_MASK } from '@liaison/notice';
import { Sandbox } from '@liaison/sandbox';
import { openDb, Station } from '@liaison/station';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_COST, withOfficers } from './helpers.js';

let sandbox: Sandbox;
const stop = new AbortController();
const stations = new Map<string, Station>();
const clock = { now: Date.now() };

beforeAll(async () => {
  sandbox = await Sandbox.start();
  for (const agency of ['de-bka', 'fi-raja']) {
    const station = await Station.open({
      db: openDb(':memory:'),
      keys: sandbox.keys.get(agency)!,
      client: await sandbox.client(agency),
      logger: createLogger(`station-${agency}`, { level: 'silent' }),
      passwordCost: TEST_COST,
      now: () => clock.now,
    });
    void station.follow(stop.signal).catch(() => undefined);
    stations.set(agency, station);
  }
});
afterAll(async () => {
  stop.abort();
  await sandbox?.dispose();
});

async function until<T>(f: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const held = (agency: string, id: string) => {
  try {
    return stations.get(agency)!.inbox.entry(id);
  } catch {
    return undefined;
  }
};

describe('rectification and erasure requests', () => {
  it('reach every recipient of the original, are applied by their stations and confirmed to the provider', async () => {
    const bmi = await sandbox.client('at-bmi');
    const ex = exampleNotices();
    // The strategic partner gets the coarsened alert too (opt-in): it has no station here.
    const original = await bmi.publish(
      ex.borderAlert,
      { recipients: ['de-bka', 'fi-raja', 'ru-mvd'] },
      { strategicOptIn: true },
    );
    expect(original.recipients.map((r) => r.recipient).sort()).toEqual(['de-bka', 'fi-raja', 'ru-mvd']);
    for (const a of ['de-bka', 'fi-raja']) await until(() => held(a, original.noticeId));

    // Another agency cannot amend it, and the provider cannot widen or narrow its audience.
    const fi = await sandbox.client('fi-raja');
    await expect(
      fi.rectify({ ...original, sender: 'fi-raja' }, ex.borderAlert, 'inaccurate'),
    ).rejects.toMatchObject({
      issues: [{ code: 'AMENDMENT_TARGET_UNKNOWN' }],
    });
    await expect(
      bmi.rectify({ ...original, recipients: original.recipients.slice(0, 1) }, ex.borderAlert, 'inaccurate'),
    ).rejects.toMatchObject({ issues: [{ code: 'AMENDMENT_RECIPIENTS_MISMATCH' }] });

    const corrected = {
      ...ex.borderAlert,
      body: { ...(ex.borderAlert.body as object), documentNumber: '382914757' },
    };
    const rect = await bmi.rectify(original, corrected, 'inaccurate', { strategicOptIn: true });
    expect(rect.recipients.map((r) => r.recipient).sort()).toEqual(['de-bka', 'fi-raja', 'ru-mvd']);
    const confirmed = await until(async () => {
      const s = await bmi.amendmentStatus(rect.noticeId);
      return s.filter((x) => x.confirmed).length === 2 ? s : undefined;
    });
    expect(confirmed).toEqual([
      { recipient: 'de-bka', confirmed: true, outcome: 'RECTIFIED', at: expect.any(Number) },
      { recipient: 'fi-raja', confirmed: true, outcome: 'RECTIFIED', at: expect.any(Number) },
      { recipient: 'ru-mvd', confirmed: false },
    ]);
    const de = stations.get('de-bka')!;
    expect(() => de.inbox.read(original.noticeId)).toThrow(/replaced by its rectification/);
    expect(de.inbox.read(rect.noticeId).body.documentNumber).toBe('382914757');

    // The exchange replaces its copies too: the original's deliveries go at the next sweep.
    const retention = await sandbox.startRetention();
    const afterRect = await retention.service.sweep();
    expect(afterRect.removed.map((r) => [r.noticeId, r.code])).toEqual(
      ['de-bka', 'fi-raja', 'ru-mvd'].map(() => [original.noticeId, 'RECTIFIED']),
    );

    // The erasure request: no content, to every recipient of the original whatever its level.
    const erase = await bmi.requestErasure(original, {
      kind: 'border-alert',
      crimeAreas: ['document-fraud', 'migrant-smuggling'],
      reason: 'wrongly-identified',
    });
    expect(erase.recipients.map((r) => [r.recipient, r.level, r.layers])).toEqual([
      ['de-bka', 'strategic', []],
      ['fi-raja', 'strategic', []],
      ['ru-mvd', 'strategic', []],
    ]);
    await until(
      async () => (await bmi.amendmentStatus(erase.noticeId)).filter((x) => x.confirmed).length === 2,
    );
    for (const s of stations.values()) {
      expect(() => s.inbox.read(original.noticeId)).toThrow(expect.objectContaining({ code: 'ERASED' }));
      expect(() => s.inbox.read(rect.noticeId)).toThrow(expect.objectContaining({ code: 'ERASED' }));
    }

    // And the rectification's copies at the one after.
    const afterErasure = await retention.service.sweep();
    expect(afterErasure.removed.map((r) => [r.noticeId, r.code])).toEqual(
      ['de-bka', 'fi-raja', 'ru-mvd'].map(() => [rect.noticeId, 'ERASURE_REQUESTED']),
    );
    await retention.stop();
    await sandbox.auditSettled();
    const report = await sandbox.verifyAudit({ content: true });
    expect(report.discrepancies).toEqual([]);
    expect(report.content).toMatchObject({ erased: 6, missing: 0 });
  });

  it('masks a PNR hit at six months in every copy that is kept (the exchange holds none by then)', async () => {
    const piu = await sandbox.client('nl-piu');
    const hit = await piu.publish(exampleNotices().passengerDataHit, { recipients: ['de-bka'] });
    const de = stations.get('de-bka')!;
    await until(() => held('de-bka', hit.noticeId));
    const people = await withOfficers(de);
    clock.now = Date.now() + LEGAL_LIMITS.pnrDepersonaliseAfterMs;
    // The exchange: the operational copy went at the end of the delivery window, long before.
    const retention = await sandbox.startRetention({ now: () => clock.now });
    const swept = await retention.service.sweep();
    expect(swept.removed.filter((r) => r.noticeId === hit.noticeId).map((r) => r.code)).toEqual([
      'DELIVERY_WINDOW_ENDED',
    ]);
    await retention.stop();
    // The station: masked.
    expect(de.lifecycle.applyRetention().masked).toContain(hit.noticeId);
    const { notice } = await de.openNotice(people.officer, hit.noticeId, { purpose: 'case-work' });
    expect(notice.body.passenger).toEqual(PNR_MASK);
    expect(notice.body.contact).toEqual(PNR_MASK);
    expect(JSON.stringify(notice.body)).not.toContain('de Vries');
  });
});
