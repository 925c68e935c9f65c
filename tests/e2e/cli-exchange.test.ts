import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '@liaison/cli';
import { exampleNotices } from '@liaison/fixtures';
import { Sandbox } from '@liaison/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRunner } from './helpers.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await Sandbox.start();
});
afterAll(async () => {
  await sandbox?.dispose();
});

const cli = (...args: string[]) => cliRunner(sandbox, main)(...args);

describe('liaison publish / feed tail / receipts', () => {
  it('publishes from a file, tails feeds at each level, and shows receipts', async () => {
    const file = join(sandbox.home, 'alert.json');
    writeFileSync(file, JSON.stringify({ sender: 'at-bmi', notice: exampleNotices().borderAlert }));
    // The border police opt in, for this notice, to strategic partners (coarsened).
    const pub = await cli('publish', file, '--deny', 'ca-cbsa', '--strategic-opt-in', '--json');
    expect(pub.code, pub.err).toBe(0);
    const receipt = JSON.parse(pub.out);
    expect(receipt.status).toBe('accepted');
    expect(receipt.recipients.map((r: { recipient: string }) => r.recipient)).not.toContain('ca-cbsa');

    const us = await cli('feed', 'tail', '--as', 'us-cbp', '--limit', '1', '--idle-ms', '5000', '--json');
    expect(us.code, us.err).toBe(0);
    const usNotice = JSON.parse(us.out);
    expect(usNotice.level).toBe('operational');
    expect(usNotice.body.person.surname).toBe('Petrova');

    const ru = await cli(
      'feed',
      'tail',
      '--as',
      'ru-mvd',
      '--kind',
      'border-alert',
      '--limit',
      '1',
      '--idle-ms',
      '5000',
    );
    expect(ru.out).toMatch(/\[strategic\]/);
    expect(ru.out).not.toMatch(/Petrova|382914756|Nickelsdorf/);

    let receipts = '';
    for (let i = 0; i < 30 && !receipts.includes('read'); i++) {
      receipts = (await cli('receipts', receipt.noticeId, '--as', 'at-bmi')).out;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(receipts).toMatch(/us-cbp\s+operational\s+read/);
    expect(receipts).toMatch(/de-bka\s+operational\s+delivered/);
  });

  it('reports a notice the sender must fix, with the field', async () => {
    const file = join(sandbox.home, 'bad.json');
    const bad = exampleNotices().borderAlert;
    writeFileSync(
      file,
      JSON.stringify({ ...bad, body: { ...bad.body, modusOperandi: 'Call the driver on +43 664 1234567.' } }),
    );
    // Bound for strategic partners (opt-in): screened and refused, with the field.
    const r = await cli('publish', file, '--as', 'at-bmi', '--strategic-opt-in');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/PERSONAL_DATA_IN_STRATEGIC/);
    expect(r.err).toMatch(/body\.modusOperandi/);
    // For operational partners only (no opt-in: no strategic recipient), it is not screened.
    const operationalOnly = await cli('publish', file, '--as', 'at-bmi', '--json');
    expect(operationalOnly.code, operationalOnly.err).toBe(0);
    expect(JSON.parse(operationalOnly.out).refused).toContainEqual(
      expect.objectContaining({
        recipient: 'ru-mvd',
        reasons: expect.arrayContaining(['KIND_NOT_STRATEGIC']),
      }),
    );
  });
});
