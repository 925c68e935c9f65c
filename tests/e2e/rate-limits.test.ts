// Floods, for real: an agency sends 2,000 messages on its own intake subject, or
// hundreds of directory requests, against a gate with its default limits. It is
// answered RATE_LIMITED; the audit log records the flood in a few summary entries;
// another agency is served throughout and the log still verifies.
import { decodeRecord, readRecords } from '@liaison/audit-log';
import { verifyReceipt } from '@liaison/envelope';
import { exampleNotices } from '@liaison/fixtures';
import type { Outcome } from '@liaison/gate';
import { Sandbox } from '@liaison/sandbox';
import { STREAMS, Subjects } from '@liaison/topology';
import { AuditEntryKind } from '@liaison/wire';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readUntil, submissionCounts } from './helpers.js';

const FLOOD = 2000;
const WINDOW_MS = 500;
const outcomes: Outcome[] = [];
const subjects = new Subjects();
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await Sandbox.start({
    gateSettings: { rateLimitWindowMs: WINDOW_MS },
    onOutcome: (o) => outcomes.push(o),
  });
});
afterAll(async () => {
  await sandbox?.dispose();
});

const rateLimited = () => outcomes.filter((o) => o.status === 'rejected' && o.code === 'RATE_LIMITED').length;

describe('rate limits per agency', () => {
  it('answers an intake flood RATE_LIMITED, summarises it in the audit log, and serves others meanwhile', async () => {
    const piu = await sandbox.client('nl-piu');
    await sandbox.client('at-bmi');
    await sandbox.auditSettled();
    const before = (await submissionCounts(sandbox.admin)).records;

    const js = jetstream(await sandbox.connection('at-bmi-flood'));
    const junk = new TextEncoder().encode('junk that is not an envelope');
    let lastSeq = 0;
    const flood = (async () => {
      for (let i = 0; i < FLOOD; i += 200) {
        const acks = await Promise.all(
          Array.from({ length: Math.min(200, FLOOD - i) }, () => js.publish(subjects.intake('at-bmi'), junk)),
        );
        lastSeq = Math.max(lastSeq, ...acks.map((a) => a.seq));
      }
    })();
    // Another agency's notice, in the middle of the flood, is delivered.
    await new Promise((r) => setTimeout(r, 50));
    const receipt = await piu.publish(exampleNotices().passengerDataHit, {}, { timeoutMs: 30_000 });
    const recipient = receipt.recipients[0]!.recipient;
    await readUntil(await sandbox.client(recipient), (i) => i.notice.noticeId === receipt.noticeId, 30_000);
    await flood;

    const deadline = Date.now() + 60_000;
    while (outcomes.length < FLOOD + 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(outcomes.length).toBeGreaterThanOrEqual(FLOOD + 1);
    const limited = rateLimited();
    expect(limited).toBeGreaterThan(FLOOD / 2);

    // The flooder's answer: a gate-signed rejected receipt with the code.
    const jsm = await jetstreamManager(sandbox.admin);
    const last = await jsm.streams.getMessage(STREAMS.receipts, {
      last_by_subj: subjects.receipt('at-bmi', `intake-${lastSeq}`),
    });
    const { receipt: answer } = await verifyReceipt(last!.string(), (a, kid) =>
      sandbox.gateKeys.find((k) => k.agency === a && k.kid === kid),
    );
    expect(answer).toMatchObject({ type: 'submission', status: 'rejected', code: 'RATE_LIMITED' });

    // The audit log: the burst's rejections one by one, the rest as summaries with counts.
    await new Promise((r) => setTimeout(r, 2 * WINDOW_MS));
    await sandbox.auditSettled();
    const after = (await submissionCounts(sandbox.admin)).records;
    expect(after - before).toBeLessThan(FLOOD / 5);
    let summarised = 0;
    for await (const { data } of readRecords(sandbox.admin, STREAMS.audit)) {
      const { entry } = decodeRecord(data);
      if (entry.kind === AuditEntryKind.REJECTION && entry.code === 'RATE_LIMITED') {
        expect(entry.sender).toBe('at-bmi');
        summarised += Number(entry.count);
      }
    }
    expect(summarised).toBe(limited);
    const report = await sandbox.verifyAudit();
    expect(report.discrepancies).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('answers a flood of directory requests RATE_LIMITED, and signs the directory once per revision', async () => {
    const nc = await sandbox.connection('cn-mps');
    const floodStarted = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 300 }, () =>
        nc
          .request(subjects.directory('cn-mps'), new Uint8Array(0), { timeout: 10_000 })
          .then((m) => m.string()),
      ),
    );
    const refused = answers.filter((a) => a.startsWith('{'));
    expect(refused.length).toBeGreaterThan(200);
    for (const a of refused) expect(JSON.parse(a)).toEqual({ error: { code: 'RATE_LIMITED' } });
    const signed = new Set(answers.filter((a) => !a.startsWith('{')));
    expect(signed.size).toBe(1); // the same signed bytes for every answer at this revision

    // Another agency is still answered; plan requests share the flooder's (empty) bucket.
    const other = await sandbox.connection('de-bka');
    const reply = await other.request(subjects.directory('de-bka'), new Uint8Array(0), { timeout: 5000 });
    expect(reply.string()).toBe([...signed][0]);
    const plans = await Promise.all(
      Array.from({ length: 300 }, () =>
        nc
          .request(subjects.plan('cn-mps'), new TextEncoder().encode('{}'), { timeout: 10_000 })
          .then((m) => m.string()),
      ),
    );
    // The bucket refills at its rate (10/s) meanwhile: at most that many got through
    // (answered BAD_REQUEST, since '{}' is no plan request), however slow this machine is.
    const refill = Math.ceil(((Date.now() - floodStarted) / 1000) * 10) + 1;
    const through = plans.filter((p) => JSON.parse(p).error.code !== 'RATE_LIMITED');
    expect(through.length).toBeLessThanOrEqual(refill);
    expect(through.every((p) => JSON.parse(p).error.code === 'BAD_REQUEST')).toBe(true);
    expect(plans.length - through.length).toBeGreaterThan(200);
  });
});
