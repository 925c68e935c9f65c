// liaison rectify / request-erasure / amendments against a real exchange: the provider
// amends one of its notices from the command line, the recipients' stations apply it and
// confirm with signed receipts, and the provider sees who has confirmed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '@liaison/cli';
import { createLogger } from '@liaison/core';
import { exampleNotices } from '@liaison/fixtures';
import { Sandbox } from '@liaison/sandbox';
import { openDb, Station } from '@liaison/station';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRunner } from './helpers.js';

let sandbox: Sandbox;
const stop = new AbortController();
const stations = new Map<string, Station>();

beforeAll(async () => {
  sandbox = await Sandbox.start();
  for (const agency of ['de-bka', 'fi-raja']) {
    const station = await Station.open({
      db: openDb(':memory:'),
      keys: sandbox.keys.get(agency)!,
      client: await sandbox.client(agency),
      logger: createLogger(`station-${agency}`, { level: 'silent' }),
      passwordCost: { N: 2 ** 10, r: 8, p: 1 },
    });
    void station.follow(stop.signal).catch(() => undefined);
    stations.set(agency, station);
  }
});
afterAll(async () => {
  stop.abort();
  await sandbox?.dispose();
});

const cli = (...args: string[]) => cliRunner(sandbox, main)(...args);

async function until<T>(f: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const held = (agency: string, id: string) => {
  try {
    return stations.get(agency)!.inbox.entry(id);
  } catch {
    return undefined;
  }
};

describe('liaison rectify / request-erasure / amendments', () => {
  it('rectifies and erases a notice from the command line; the provider sees who confirmed', async () => {
    const ex = exampleNotices();
    const alert = join(sandbox.home, 'amend-alert.json');
    writeFileSync(alert, JSON.stringify({ sender: 'at-bmi', notice: ex.borderAlert }));
    const pub = await cli('publish', alert, '--to', 'de-bka,fi-raja', '--json');
    expect(pub.code, pub.err).toBe(0);
    const original = JSON.parse(pub.out);
    const receiptFile = join(sandbox.home, 'amend-receipt.json');
    writeFileSync(receiptFile, pub.out);
    await until(async () => held('de-bka', original.noticeId) && held('fi-raja', original.noticeId));

    // Refusals, each with its code: no reason, a bad reason, another agency's notice.
    const corrected = join(sandbox.home, 'amend-corrected.json');
    writeFileSync(
      corrected,
      JSON.stringify({
        sender: 'at-bmi',
        notice: {
          ...ex.borderAlert,
          body: { ...(ex.borderAlert.body as object), documentNumber: '382914757' },
        },
      }),
    );
    const noReason = await cli('rectify', original.noticeId, corrected, '--as', 'at-bmi');
    expect(noReason.code).toBe(1);
    expect(noReason.err).toMatch(/^error BAD_ARGUMENT/);
    const usage = await cli('rectify', '--as', 'at-bmi', '--reason', 'inaccurate');
    expect(usage.err).toMatch(/^error BAD_ARGUMENT/);
    const notOurs = await cli(
      'rectify',
      original.noticeId,
      corrected,
      '--as',
      'fi-raja',
      '--reason',
      'inaccurate',
      '--receipt',
      receiptFile,
      '--json',
    );
    expect(notOurs.code).toBe(1);
    expect(JSON.parse(notOurs.err).error.code).toBe('NOT_AMENDABLE');
    const badFile = join(sandbox.home, 'amend-bad-receipt.json');
    writeFileSync(badFile, '{"type":"submission"}');
    const bad = await cli(
      'request-erasure',
      original.noticeId,
      '--as',
      'at-bmi',
      '--kind',
      'border-alert',
      '--crime-areas',
      'document-fraud',
      '--reason',
      'inaccurate',
      '--receipt',
      badFile,
    );
    expect(bad.err).toMatch(/^error BAD_FILE/);
    expect(bad.err).toMatch(/recipients/);

    // The rectification: the original's receipt from the stored receipts (verified).
    const rect = await cli(
      'rectify',
      original.noticeId,
      corrected,
      '--as',
      'at-bmi',
      '--reason',
      'inaccurate',
      '--json',
    );
    expect(rect.code, rect.err).toBe(0);
    const rectified = JSON.parse(rect.out);
    expect(rectified.recipients.map((r: { recipient: string }) => r.recipient).sort()).toEqual([
      'de-bka',
      'fi-raja',
    ]);
    const shown = await until(async () => {
      const r = await cli('amendments', rectified.noticeId, '--as', 'at-bmi');
      return r.out.startsWith('2 of 2') ? r.out : undefined;
    });
    expect(shown).toMatch(/de-bka\s+RECTIFIED\s+\d{4}-/);
    expect(shown).toMatch(/fi-raja\s+RECTIFIED\s+\d{4}-/);
    expect(() => stations.get('de-bka')!.inbox.read(original.noticeId)).toThrow(
      /replaced by its rectification/,
    );

    // The erasure request, with the receipt saved at publish time.
    const erase = await cli(
      'request-erasure',
      original.noticeId,
      '--as',
      'at-bmi',
      '--kind',
      'border-alert',
      '--crime-areas',
      'document-fraud,migrant-smuggling',
      '--reason',
      'wrongly-identified',
      '--receipt',
      receiptFile,
    );
    expect(erase.code, erase.err).toBe(0);
    expect(erase.out).toMatch(/^erasure request \S+ for /);
    const erasureId = /^erasure request (\S+)/.exec(erase.out)![1]!;
    const status = await until(async () => {
      const r = await cli('amendments', erasureId, '--as', 'at-bmi', '--json');
      const s = JSON.parse(r.out) as { confirmed: boolean }[];
      return s.filter((x) => x.confirmed).length === 2 ? s : undefined;
    });
    expect(status).toEqual([
      { recipient: 'de-bka', confirmed: true, outcome: 'ERASED', at: expect.any(Number) },
      { recipient: 'fi-raja', confirmed: true, outcome: 'ERASED', at: expect.any(Number) },
    ]);
    for (const s of stations.values())
      expect(() => s.inbox.read(original.noticeId)).toThrow(expect.objectContaining({ code: 'ERASED' }));

    // A receipt naming another header: the gate's ledger does not hold it (its code, in the issues).
    const forged = join(sandbox.home, 'amend-forged-receipt.json');
    writeFileSync(forged, JSON.stringify({ ...original, headerSha256: 'f'.repeat(64) }));
    const unknown = await cli(
      'request-erasure',
      original.noticeId,
      '--as',
      'at-bmi',
      '--kind',
      'border-alert',
      '--crime-areas',
      'document-fraud',
      '--reason',
      'inaccurate',
      '--receipt',
      forged,
    );
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/^error REJECTED/);
    expect(unknown.err).toMatch(/AMENDMENT_TARGET_UNKNOWN/);
  });
});
