import { decodeRecord, readRecords } from '@liaison/audit-log';
import { createLogger } from '@liaison/core';
import { type RunningDeadlines, runDeadlines } from '@liaison/deadlines';
import { DEADLINES_ID, Sandbox } from '@liaison/sandbox';
import { STREAMS } from '@liaison/topology';
import { AuditEntryKind } from '@liaison/wire';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bkaRequest } from './conversation-fixtures.js';
import { readUntil } from './helpers.js';

// The deadline service across restarts (issue 17): its timers are re-derived from the
// audit log, so a restart across a due time loses nothing and repeats nothing.

const HOUR = 3600_000;
let sandbox: Sandbox;
/** The service's clock runs `offset` ahead of the wall clock: time passes between runs. */
let offset = 0;
let running: RunningDeadlines | undefined;

async function start(): Promise<RunningDeadlines> {
  running = await runDeadlines(
    {
      connection: sandbox.connectionConfig(DEADLINES_ID),
      home: sandbox.home,
      id: DEADLINES_ID,
      now: () => Date.now() + offset,
    },
    { logger: createLogger('deadlines', { level: 'warn' }) },
  );
  return running;
}

async function escalations(): Promise<{ request: string; to: string; stage: string }[]> {
  await sandbox.auditSettled();
  const out: { request: string; to: string; stage: string }[] = [];
  for await (const { data } of readRecords(sandbox.admin, STREAMS.audit)) {
    const { entry: e } = decodeRecord(data);
    if (e.kind === AuditEntryKind.ESCALATION)
      out.push({ request: e.noticeId, to: e.recipient, stage: e.code });
  }
  return out;
}

async function until<T>(what: () => Promise<T>, ok: (t: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const t = await what();
    if (ok(t) || Date.now() > deadline) return t;
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  sandbox = await Sandbox.start();
});
afterAll(async () => {
  await running?.stop();
  await sandbox?.dispose();
});

describe('the deadline service', () => {
  it('reports and escalates an unanswered urgent request across restarts, once per stage, and never an answered one', async () => {
    const bka = await sandbox.client('de-bka');
    const at = await sandbox.client('at-bmi');
    // Two urgent requests on directly accessible data (due in 8 hours); one is answered.
    const late = await bka.conversation.request(bkaRequest({ copied: false }), ['at-bmi']);
    const answeredReq = await bka.conversation.request(bkaRequest({ copied: false }), ['at-bmi']);
    const req = await readUntil(at, (i) => i.notice.noticeId === answeredReq.noticeId);
    await at.conversation.answer(req.notice, {
      markings: {
        priority: 'urgent',
        handlingCode: 'H1',
        evaluation: { source: 'A', information: '1' },
        crimeAreas: ['drug-trafficking'],
      },
      body: {
        outcome: 'information',
        europolCopy: { copied: false, reasonNotCopied: 'would-harm-investigation' },
        summary: 'No record of the vehicle.',
      },
    });

    // First run, now: it knows both requests; nothing is near its deadline yet.
    let service = (await start()).service;
    await until(
      async () => service.requests.get(answeredReq.noticeId)?.final,
      (f) => f !== undefined,
    );
    expect(service.requests.get(late.noticeId)?.requested).toEqual(['at-bmi']);
    await running!.stop();
    expect(await escalations()).toEqual([]);

    // Stopped for 7 hours: on restart, the unanswered request is due within 2 hours.
    offset = 7 * HOUR;
    service = (await start()).service;
    const soon = await until(escalations, (e) => e.length >= 1);
    expect(soon).toEqual([{ request: late.noticeId, to: 'at-bmi', stage: 'DUE_SOON' }]);
    await running!.stop();

    // Stopped across the due time: on restart, OVERDUE once; DUE_SOON is not repeated.
    offset = 9 * HOUR;
    service = (await start()).service;
    const over = await until(escalations, (e) => e.length >= 2);
    expect(over).toEqual([
      { request: late.noticeId, to: 'at-bmi', stage: 'DUE_SOON' },
      { request: late.noticeId, to: 'at-bmi', stage: 'OVERDUE' },
    ]);
    await running!.stop();

    // Once more, later: nothing new (the escalations are in the log it re-derives from).
    offset = 30 * HOUR;
    service = (await start()).service;
    await until(
      async () => service.requests.get(late.noticeId)?.escalations.size,
      (n) => n === 2,
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(await escalations()).toHaveLength(2);

    // Both parties got the signed reports, on their receipt subjects for the request.
    for (const party of [bka, at]) {
      const reports = await party.deadlineReports(late.noticeId);
      expect(reports.map((r) => r.stage).sort()).toEqual(['DUE_SOON', 'OVERDUE']);
      expect(reports[0]).toMatchObject({ requester: 'de-bka', requested: ['at-bmi'], service: DEADLINES_ID });
    }
    expect(await bka.deadlineReports(answeredReq.noticeId)).toEqual([]);

    const report = await sandbox.verifyAudit();
    expect(report.discrepancies).toEqual([]);
  });
});
