import { decodeRecord, encodeBlock, encodeRecord, leafHash, readRecords } from '@liaison/audit-log';
import { sealRecipientsOf } from '@liaison/client';
import { seal } from '@liaison/envelope';
import { exampleNotices } from '@liaison/fixtures';
import { Sandbox } from '@liaison/sandbox';
import { STREAMS, Subjects } from '@liaison/topology';
import { AuditBatchSchema, AuditEntrySchema, create, toBinary } from '@liaison/wire';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exited, ServiceProcesses, submissionCounts } from './helpers.js';

const t = new Subjects();

// The audit log's writer killed with SIGKILL while it appends, then started again:
// every submission is recorded exactly once, in one unbroken chain that verifies.

const N = 60;
let sandbox: Sandbox;
const services = new ServiceProcesses(() => sandbox);
const startAuditLogProcess = () => services.start('audit-log', { LIAISON_CHECKPOINT_EVERY: '10' });

beforeAll(async () => {
  sandbox = await Sandbox.start({ auditLog: false });
});
afterAll(async () => {
  await services.killAll();
  await sandbox?.dispose();
});

describe('audit log crash', () => {
  it('records every submission exactly once across a kill -9 and restart of its writer', async () => {
    let writer = startAuditLogProcess();
    const bmi = await sandbox.client('at-bmi');
    const plan = await bmi.plan(exampleNotices().borderAlert);
    const recipients = sealRecipientsOf(plan);
    const jsm = await jetstreamManager(sandbox.admin);
    const records = async () =>
      (await jsm.streams.info(STREAMS.audit).catch(() => undefined))?.state.messages ?? 0;
    const ids: string[] = [];
    for (let i = 0; i < N; i++) {
      const s = await seal({
        notice: exampleNotices().borderAlert,
        sender: sandbox.keys.get('at-bmi')!,
        recipients,
      });
      ids.push(s.noticeId);
      await bmi.publishRaw(s.bytes, s.noticeId);
      if (i === N / 3) {
        // Let the writer get going, then kill it mid-stream.
        for (let w = 0; w < 200 && (await records()) === 0; w++) await new Promise((r) => setTimeout(r, 50));
        writer.kill('SIGKILL');
        await exited(writer);
        expect(await records()).toBeGreaterThan(0);
      }
      if (i === (2 * N) / 3) writer = startAuditLogProcess();
    }
    await sandbox.auditSettled(60_000);

    const { counts, records: entries } = await submissionCounts(sandbox.admin);
    expect([...counts.keys()].sort()).toEqual([...ids].sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    const report = await sandbox.verifyAudit();
    expect(report.discrepancies).toEqual([]);
    expect(report.entries).toBe(entries);
  }, 120_000);

  it('does not append a batch twice when its writer died after appending it but before acknowledging it', async () => {
    await services.killAll();
    // What a writer that died at that moment leaves behind: the batch still in AUDIT_IN
    // (not acknowledged), its record already at the end of the log.
    const all: Uint8Array[] = [];
    for await (const { data } of readRecords(sandbox.admin, STREAMS.audit)) all.push(data);
    const entry = decodeRecord(all.at(-1)!).entry;
    const record = encodeRecord(
      all.length,
      leafHash(all.at(-1)!),
      toBinary(AuditEntrySchema, entry),
      'died-1#0',
    );
    const js = jetstream(sandbox.admin);
    const jsm = await jetstreamManager(sandbox.admin);
    const last = (await jsm.streams.info(STREAMS.audit)).state.last_seq;
    await js.publish(t.auditLog, encodeBlock([record]), { expect: { lastSequence: last } });
    const batch = toBinary(AuditBatchSchema, create(AuditBatchSchema, { entries: [entry] }));
    await js.publish(t.auditIn('liaison-gate'), batch, { msgID: 'died-1' });

    startAuditLogProcess();
    await sandbox.auditSettled(60_000);
    const sources: string[] = [];
    for await (const { data } of readRecords(sandbox.admin, STREAMS.audit))
      sources.push(decodeRecord(data).record.source);
    expect(sources.length).toBe(all.length + 1);
    expect(sources.filter((x) => x === 'died-1#0')).toHaveLength(1);
  }, 120_000);
});
