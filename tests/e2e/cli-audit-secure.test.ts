import { join } from 'node:path';
import { main } from '@liaison/cli';
import { exampleNotices } from '@liaison/fixtures';
import { Sandbox } from '@liaison/sandbox';
import { STREAMS, streamConfig } from '@liaison/topology';
import { jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRunner } from './helpers.js';

// A secure broker: the CLI connects as the auditor (eu-auditor by default), alone in its
// own account, which imports the log reader's batches (AUDIT, AUDIT_CHECKPOINTS, POLICY,
// FEED) and the audit log's answers, nothing of JetStream's API (decision 0014); and as an
// administrator, alone in its own account, which imports the policy log's batches and the
// publish of policy events.
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await Sandbox.start();
});
afterAll(async () => {
  await sandbox?.dispose();
});

const cli = (...args: string[]) => cliRunner(sandbox, main)(...args);

describe('liaison audit as an auditor on a secure broker', () => {
  let saved: string;

  it('verifies, proves, lists history and saves a checkpoint with the auditor permissions only', async () => {
    const receipt = await (await sandbox.client('at-bmi')).publish(exampleNotices().borderAlert);
    await sandbox.auditSettled();
    saved = join(sandbox.home, 'kept-checkpoint.txt');
    const cp = await cli('audit', 'checkpoint', '--save', saved);
    expect(cp.code, cp.err).toBe(0);
    const verify = await cli('audit', 'verify', '--as', 'eu-auditor');
    expect(verify.code, verify.err).toBe(0);
    expect(verify.out).toMatch(/^OK: [1-9]\d* entries/);
    const prove = await cli('audit', 'prove', receipt.noticeId);
    expect(prove.code, prove.err).toBe(0);
    expect(prove.out).toMatch(/^PROVEN/);
    const history = await cli('audit', 'history', '--notice', receipt.noticeId, '--json');
    expect(history.code, history.err).toBe(0);
    expect(JSON.parse(history.out).length).toBeGreaterThan(0);
    const stats = await cli('audit', 'stats', '--json');
    expect(stats.code, stats.err).toBe(0);
    expect(JSON.parse(stats.out).requests).toBe(0);
    // The content side too: every recorded delivery still in FEED, read through the log reader.
    const content = await cli('audit', 'verify', '--content', '--json');
    expect(content.code, content.err).toBe(0);
    const report = JSON.parse(content.out);
    expect(report.content.deliveries).toBeGreaterThan(0);
    expect(report.content.present).toBe(report.content.deliveries);
  });

  it('runs the administrators’ commands from their own accounts', async () => {
    const added = await cli(
      'agency',
      'add',
      '--id',
      'dk-politi',
      '--name',
      'Denmark — Police',
      '--country',
      'DK',
      '--kind',
      'member-state-authority',
      '--roles',
      'publisher,subscriber',
      '--generate-keys',
      sandbox.home,
      '--admin',
      'admin-1',
      '--json',
    );
    expect(added.code, added.err).toBe(0);
    const { proposalId } = JSON.parse(added.out);
    // Every policy event reloads the broker's configuration: wait for it (as every caller does).
    await sandbox.policyApplied();
    const approved = await cli('agency', 'approve', proposalId, '--admin', 'admin-2');
    expect(approved.code, approved.err).toBe(0);
    // A new agency's account: the broker restarts (decision 0008); the administrators' own
    // accounts come back with it.
    await sandbox.policyApplied();
    const listed = await cli('agency', 'list', '--admin', 'admin-1');
    expect(listed.code, listed.err).toBe(0);
    expect(listed.out).toContain('dk-politi');
    const proposed = await cli(
      'agreement',
      'propose',
      '--partner',
      'IN',
      '--level',
      'strategic',
      '--legal-basis',
      'test',
      '--admin',
      'admin-1',
      '--json',
    );
    expect(proposed.code, proposed.err).toBe(0);
    await sandbox.policyApplied();
    const agreed = await cli(
      'agreement',
      'approve',
      JSON.parse(proposed.out).proposalId,
      '--admin',
      'admin-2',
    );
    expect(agreed.code, agreed.err).toBe(0);
    await sandbox.policyApplied();
    expect((await cli('policy', 'show', '--admin', 'admin-2')).out).toMatch(/IN strategic .*\(in force\)/);
    // And the auditor's replay re-derives it all, the new policy events included.
    await sandbox.auditSettled();
    const verify = await cli('audit', 'verify');
    expect(verify.code, verify.err).toBe(0);
  });

  it('refuses an agency without the auditor role, with a code', async () => {
    const r = await cli('audit', 'verify', '--as', 'at-bmi', '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.err).error.code).toBe('NOT_AN_AUDITOR');
  });

  it('reports a deleted log as LOG_MISSING and a recreated one as LOG_TRUNCATED and LOG_REPLACED', async () => {
    await sandbox.auditLog?.stop();
    const jsm = await jetstreamManager(sandbox.admin);
    await jsm.streams.delete(STREAMS.audit);
    const missing = await cli('audit', 'verify');
    expect(missing.code).toBe(1);
    expect(missing.out).toMatch(/^FAILED/);
    expect(missing.out).toMatch(/stream AUDIT: LOG_MISSING/);
    expect(missing.err).toBe('');

    // Recreated empty, later than the first checkpoint was signed.
    await new Promise((r) => setTimeout(r, 1_100));
    await jsm.streams.add(streamConfig(STREAMS.audit));
    const replaced = await cli('audit', 'verify', '--since-checkpoint', saved, '--json');
    expect(replaced.code).toBe(1);
    const codes = new Set((JSON.parse(replaced.out).discrepancies as { code: string }[]).map((d) => d.code));
    expect(codes).toEqual(new Set(['LOG_TRUNCATED', 'LOG_REPLACED']));
  });
});
