import { auditHistory } from '@liaison/audit-log';
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

describe('audit history', () => {
  it('shows the screening overrides signed in the header on every row of the notice', async () => {
    const client = await sandbox.client('eu-europol');
    const overridden = await client.publish({
      ...exampleNotices().threatNotice,
      screeningOverrides: ['title'],
    });
    const plain = await client.publish(exampleNotices().threatNotice);
    expect(overridden.screeningOverrides).toEqual(['title']);
    await sandbox.auditSettled();

    const rows = await auditHistory(sandbox.admin, { notice: overridden.noticeId });
    expect(rows.length).toBeGreaterThan(1);
    for (const r of rows) expect(r.overrides, r.event).toBe('title');
    const none = await auditHistory(sandbox.admin, { notice: plain.noticeId });
    expect(none.length).toBeGreaterThan(1);
    for (const r of none) expect(r.overrides).toBe('');

    const cli = await cliRunner(sandbox, main)('audit', 'history', '--notice', overridden.noticeId);
    expect(cli.code, cli.err).toBe(0);
    expect(cli.out).toMatch(/submission .* screening overridden: title/);
    expect(cli.out).toMatch(/decision .* screening overridden: title/);
  });
});
