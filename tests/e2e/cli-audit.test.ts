import { join } from 'node:path';
import { decodeRecord, readRecords } from '@liaison/audit-log';
import { main } from '@liaison/cli';
import { exampleNotices } from '@liaison/fixtures';
import { Sandbox } from '@liaison/sandbox';
import { STREAMS, Subjects } from '@liaison/topology';
import {
  AuditBatchSchema,
  type AuditEntry,
  AuditEntryKind,
  AuditEntrySchema,
  create,
  RecipientDecisionSchema,
  toBinary,
} from '@liaison/wire';
import { jetstream } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRunner } from './helpers.js';

const t = new Subjects();

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await Sandbox.start();
});
afterAll(async () => {
  await sandbox?.dispose();
});

const cli = (...args: string[]) => cliRunner(sandbox, main)(...args);

describe('liaison audit', () => {
  it('verifies, proves, lists history, and proves the log only grew since a kept checkpoint', async () => {
    const receipt = await (await sandbox.client('at-bmi')).publish(
      exampleNotices().borderAlert,
      {},
      { strategicOptIn: true },
    );
    await sandbox.auditSettled();
    const saved = join(sandbox.home, 'checkpoint.txt');
    expect((await cli('audit', 'checkpoint', '--save', saved)).code).toBe(0);

    const verify = await cli('audit', 'verify');
    expect(verify.code, verify.out).toBe(0);
    expect(verify.out).toMatch(/^OK: \d+ entries/);
    const threaded = await cli('audit', 'verify', '--workers', '2');
    expect(threaded.out).toBe(verify.out);
    const badWorkers = await cli('audit', 'verify', '--workers', 'many');
    expect(badWorkers.code).not.toBe(0);
    expect(badWorkers.err).toMatch(/BAD_ARGUMENT/);

    const prove = await cli('audit', 'prove', receipt.noticeId);
    expect(prove.code).toBe(0);
    expect(prove.out).toMatch(/^PROVEN: \d+ entries/);
    expect(prove.out).toMatch(/#\d+ submission: included/);
    expect(prove.out).toMatch(/decisions → .*ru-mvd \(strategic\)/);
    const proveJson = JSON.parse((await cli('audit', 'prove', receipt.noticeId, '--json')).out);
    expect(proveJson.ok).toBe(true);

    const history = await cli('audit', 'history', '--notice', receipt.noticeId);
    expect(history.out).toMatch(
      /decision .*border-alert .*at-bmi .*→ ru-mvd .*strategic .*AGREEMENT_STRATEGIC/,
    );
    expect(history.out).toMatch(/decision .*→ cn-mps|delivery .*→ us-cbp/);
    expect(history.out).not.toMatch(/Petrova/);

    await (await sandbox.client('eu-europol')).publish(exampleNotices().threatNotice);
    await sandbox.auditSettled();
    const since = await cli('audit', 'verify', '--since-checkpoint', saved);
    expect(since.code, since.out).toBe(0);
  });

  it('fails with the record that shows a decision the policy does not give', async () => {
    const receipt = await (await sandbox.client('at-bmi')).publish(exampleNotices().borderAlert);
    await sandbox.auditSettled();
    const real = [] as AuditEntry[];
    for await (const { data } of readRecords(sandbox.admin, STREAMS.audit)) {
      const { entry } = decodeRecord(data);
      if (entry.kind === AuditEntryKind.SUBMISSION && entry.noticeId === receipt.noticeId) real.push(entry);
    }
    // The gate's account, doctored: cn-mps (no agreement) "was decided" operational.
    const forged = create(AuditEntrySchema, real[0]!);
    forged.decisions = [
      ...forged.decisions.filter((d) => d.recipient !== 'cn-mps'),
      create(RecipientDecisionSchema, {
        recipient: 'cn-mps',
        level: 'operational',
        layers: ['strategic', 'operational'],
        reasons: ['AGREEMENT_OPERATIONAL'],
      }),
    ];
    await jetstream(sandbox.admin).publish(
      t.auditIn('liaison-gate'),
      toBinary(AuditBatchSchema, create(AuditBatchSchema, { entries: [forged] })),
    );
    await sandbox.auditSettled();
    const verify = await cli('audit', 'verify');
    expect(verify.code).toBe(1);
    expect(verify.out).toMatch(/^FAILED/);
    expect(verify.out).toMatch(/record \d+: DECISION_MISMATCH — .*cn-mps: recorded operational/);
    // Ranges by record index or by time: only entries inside are checked.
    const forgedAt = Number(/record (\d+): DECISION_MISMATCH/.exec(verify.out)![1]);
    expect((await cli('audit', 'verify', '--from', String(forgedAt + 1))).code).toBe(0);
    expect((await cli('audit', 'verify', '--from', String(forgedAt))).code).toBe(1);
    const before = new Date(Number(real[0]!.atMs) - 1).toISOString();
    expect((await cli('audit', 'verify', '--to', before)).code).toBe(0);
    expect((await cli('audit', 'verify', '--from', before)).code).toBe(1);
    const bad = await cli('audit', 'verify', '--from', 'yesterday');
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/BAD_ARGUMENT.*record index or an ISO 8601 time/);
  });
});
