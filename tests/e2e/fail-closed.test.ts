import type { ChildProcess } from 'node:child_process';
import { decodeRecord, readRecords } from '@liaison/audit-log';
import { createLogger } from '@liaison/core';
import { exampleNotices } from '@liaison/fixtures';
import { DEFAULT_SETTINGS, type Outcome } from '@liaison/gate';
import { Sandbox } from '@liaison/sandbox';
import { STREAMS } from '@liaison/topology';
import { AuditEntryKind } from '@liaison/wire';
import { jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exited, memorySink, readFeed, ServiceProcesses, submissionCounts } from './helpers.js';

// Fail closed when evidence cannot be written: the audit log's writer stopped (its lag
// grows past the bound) and AUDIT_IN gone. Submissions wait, are answered AUDIT_UNAVAILABLE
// after the deadline, nothing is delivered without its audit record, and the gate resumes
// by itself.

const evidence = { maxLagMs: 1500, maxLagMessages: 0, holdMs: 8000, checkMs: 200 };
const { lines, sink } = memorySink();
const outcomes: Outcome[] = [];
let sandbox: Sandbox;
const services = new ServiceProcesses(() => sandbox);
let writer: ChildProcess | undefined;

const startWriter = () => {
  writer = services.start('audit-log', { LIAISON_CHECKPOINT_INTERVAL_MS: '500' });
};
async function stopWriter(): Promise<void> {
  writer?.kill('SIGTERM');
  if (writer) await exited(writer);
  writer = undefined;
}

beforeAll(async () => {
  sandbox = await Sandbox.start({
    auditLog: false,
    gateSettings: { ...DEFAULT_SETTINGS, evidence, rateLimitWindowMs: 1000 },
    logger: createLogger('sandbox', { level: 'info', destination: sink }),
    onOutcome: (o) => outcomes.push(o),
  });
  startWriter();
});
afterAll(async () => {
  await services.killAll();
  await sandbox?.dispose();
});

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const health = () => sandbox.gate!.health().evidence;
const publish = async () =>
  (await sandbox.client('at-bmi')).publish(exampleNotices().borderAlert, {}, { timeoutMs: 30_000 });

/** The code a refused publish was answered with. */
async function refusal(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    return (err as { issues?: { code: string }[] }).issues?.[0]?.code;
  }
}

/** REJECTION summaries in the audit log with this code: their counts. */
async function summaries(code: string): Promise<number[]> {
  const out: number[] = [];
  for await (const { data } of readRecords(sandbox.admin, STREAMS.audit)) {
    const { entry } = decodeRecord(data);
    if (entry.kind === AuditEntryKind.REJECTION && entry.code === code) out.push(Number(entry.count));
  }
  return out;
}

describe('fail closed when evidence cannot be written', () => {
  it('holds the intake while the writer is stopped, answers AUDIT_UNAVAILABLE after the deadline, and resumes when it is back', async () => {
    const first = await publish();
    expect(first.status).toBe('accepted');
    await sandbox.auditSettled(30_000);
    await until(() => health().state === 'open', 'the gate to be open');
    // (The writer may have come up after the first notice: that was a hold already.)
    const { closures } = health();

    await stopWriter();
    // Accepted while the writer's lag is within the bound: its record waits in AUDIT_IN.
    const second = await publish();
    expect(second.status).toBe('accepted');
    await until(() => health().state === 'closed', 'the gate to hold its intake');
    expect(health().reason).toBe('AUDIT_LAG');
    expect(lines.some((l) => l.includes('"code":"AUDIT_UNAVAILABLE"') && l.includes('AUDIT_LAG'))).toBe(true);

    // Held, then answered with the code once the deadline passed; delivered to no one.
    const started = Date.now();
    expect(await refusal(publish())).toBe('AUDIT_UNAVAILABLE');
    expect(Date.now() - started).toBeGreaterThanOrEqual(evidence.holdMs - 500);
    expect(health()).toMatchObject({ state: 'closed', auditUnavailable: 1, closures: closures + 1 });

    // Held, and accepted once the writer is back (it starts as the notice comes in).
    startWriter();
    const waiting = publish();
    await until(() => health().held === 1, 'a submission to be held');
    const third = await waiting;
    expect(third.status).toBe('accepted');
    expect(health().state).toBe('open');
    expect(lines.some((l) => l.includes('"code":"AUDIT_RESUMED"'))).toBe(true);

    // What was delivered: only the accepted notices, each with its audit record.
    const delivered = (await readFeed(await sandbox.client('us-cbp'), 4, 3000)).map((i) => i.notice.noticeId);
    expect(delivered.sort()).toEqual([first.noticeId, second.noticeId, third.noticeId].sort());
    await sandbox.auditSettled(30_000);
    await until(async () => (await summaries('AUDIT_UNAVAILABLE')).length > 0, 'the refusal summary');
    const { counts } = await submissionCounts(sandbox.admin);
    for (const id of delivered) expect(counts.get(id)).toBe(1);
    expect(counts.size).toBe(3);
    expect(await summaries('AUDIT_UNAVAILABLE')).toEqual([1]);
    expect((await sandbox.verifyAudit()).discrepancies).toEqual([]);
  });

  it('holds the intake while AUDIT_IN is gone, and resumes once the writer has created it again', async () => {
    if (!writer) startWriter();
    await sandbox.auditSettled(30_000);
    await stopWriter();
    const jsm = await jetstreamManager(sandbox.admin);
    await jsm.streams.delete(STREAMS.auditIn); // an operator's mistake, or a lost store
    await until(() => health().reason === 'AUDIT_IN_MISSING', 'the gate to see AUDIT_IN gone');
    const before = outcomes.length;
    expect(await refusal(publish())).toBe('AUDIT_UNAVAILABLE');
    expect(outcomes.slice(before)).toEqual([{ status: 'rejected', code: 'AUDIT_UNAVAILABLE' }]);

    startWriter(); // creates AUDIT_IN again (ensureStreams)
    await until(() => health().state === 'open', 'the gate to resume', 30_000);
    const after = await publish();
    expect(after.status).toBe('accepted');
    const [item] = await readFeed(await sandbox.client('us-cbp'), 1);
    expect(item?.notice.noticeId).toBe(after.noticeId);
    await sandbox.auditSettled(30_000);
    expect((await submissionCounts(sandbox.admin)).counts.get(after.noticeId)).toBe(1);
    expect((await sandbox.verifyAudit()).discrepancies).toEqual([]);
  });
});
