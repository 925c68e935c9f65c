import { AuditLogService, readStream } from '@liaison/audit-log';
import { createLogger } from '@liaison/core';
import { exampleNotices } from '@liaison/fixtures';
import { AUDIT_LOG_ID, Sandbox } from '@liaison/sandbox';
import { STREAMS } from '@liaison/topology';
import { fromBinary, LogBlockSchema } from '@liaison/wire';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memorySink, submissionCounts } from './helpers.js';

// The audit log has one writer by design; a second one started by mistake (or a
// restarted one whose predecessor is still alive) must never interleave records:
// each block is published with the expected last sequence, and a writer whose
// view is stale learns what the other appended and retries on top of it.

const { lines, sink } = memorySink();
let sandbox: Sandbox;
const writers: AuditLogService[] = [];

beforeAll(async () => {
  sandbox = await Sandbox.start({ auditLog: false });
  for (const name of ['writer-a', 'writer-b']) {
    writers.push(
      await AuditLogService.start({
        nc: sandbox.admin,
        keys: sandbox.keys.get(AUDIT_LOG_ID)!,
        checkpointEvery: 5,
        checkpointIntervalMs: 500,
        logger: createLogger(name, { level: 'warn', destination: sink }),
      }),
    );
  }
});
afterAll(async () => {
  for (const w of writers) await w.stop().catch(() => undefined);
  await sandbox?.dispose();
});

describe('two audit log writers at once', () => {
  it('never interleave: every submission is recorded once, in one chain that verifies', async () => {
    const senders = await Promise.all(['at-bmi', 'nl-piu', 'eu-europol'].map((a) => sandbox.client(a)));
    const ex = exampleNotices();
    const ids: string[] = [];
    for (let round = 0; round < 8; round++) {
      const receipts = await Promise.all([
        senders[0]!.publish(ex.borderAlert),
        senders[1]!.publish(ex.passengerDataHit),
        senders[2]!.publish(ex.threatNotice),
      ]);
      ids.push(...receipts.map((r) => r.noticeId));
    }
    await sandbox.auditSettled(30_000);

    const { counts, records } = await submissionCounts(sandbox.admin);
    expect([...counts.keys()].sort()).toEqual([...ids].sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    // Both writers appended, and at least once one of them had to catch up with the other.
    expect(lines.some((l) => l.includes('catching up'))).toBe(true);
    let blocks = 0;
    for await (const { data } of readStream(sandbox.admin, STREAMS.audit)) {
      expect(fromBinary(LogBlockSchema, data).records.length).toBeGreaterThan(0);
      blocks++;
    }
    expect(blocks).toBeLessThanOrEqual(records);

    const report = await sandbox.verifyAudit();
    expect(report.discrepancies).toEqual([]);
    expect(report.entries).toBe(records);
    // Checkpoints from both writers sign the same tree: no fork.
    expect(report.checkpoints).toBeGreaterThan(1);
  });
});
