// The retention sweep's durable cursor and its ledger deletion, on the locked-down
// exchange with a controllable clock: a sweep reads only what FEED received since the
// last one, also after a restart of the service; a crash between erasing and advancing
// (simulated by putting the state back as it was) is completed without a second
// erasure; the delivery-ledger record of a notice whose class has ended is deleted, the
// deletion recorded and verified; and a replay of that notice's envelope afterwards is
// still refused — by the gate's freshness window, since the replay guard's record is gone.
import { AUDIT_ENTRY_DOMAIN, decodeRecord, readRecords, signErasureEntry } from '@liaison/audit-log';
import { sealRecipientsOf } from '@liaison/client';
import { seal } from '@liaison/envelope';
import { exampleNotices } from '@liaison/fixtures';
import type { Outcome } from '@liaison/gate';
import { RETENTION_ID, Sandbox } from '@liaison/sandbox';
import {
  DELIVERIES_BUCKET,
  kvKeySubject,
  kvStreamName,
  RETENTION_BUCKET,
  STREAMS,
  Subjects,
} from '@liaison/topology';
import { AuditBatchSchema, AuditEntryKind, AuditEntrySchema, create, toBinary } from '@liaison/wire';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFeed } from './helpers.js';

const DAY = 86_400_000;
/** The gate's freshness window here: short, so that the test can outwait it. */
const MAX_AGE_MS = 3_000;
const outcomes: Outcome[] = [];

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await Sandbox.start({
    gateSettings: { maxAgeMs: MAX_AGE_MS },
    onOutcome: (o) => outcomes.push(o),
  });
});
afterAll(async () => {
  await sandbox?.dispose();
});

const threat = (validForMs: number) => {
  const n = exampleNotices().threatNotice;
  return {
    ...n,
    markings: { ...(n.markings as object), expiresAt: new Date(Date.now() + validForMs).toISOString() },
  };
};

/** The raw state entry under a key, as the operator sees it. */
async function stateEntry(key: string) {
  const jsm = await jetstreamManager(sandbox.admin);
  return jsm.streams.getMessage(kvStreamName(RETENTION_BUCKET), {
    last_by_subj: kvKeySubject(RETENTION_BUCKET, key),
  });
}

async function ledgerRecord(noticeId: string) {
  const jsm = await jetstreamManager(sandbox.admin);
  return jsm.streams.getMessage(kvStreamName(DELIVERIES_BUCKET), {
    last_by_subj: kvKeySubject(DELIVERIES_BUCKET, noticeId),
  });
}

/** Erasure entries in the log, per FEED sequence (or ledger: "ledger/<notice>"). */
async function erasureCounts(): Promise<Map<string, number>> {
  await sandbox.auditSettled();
  const counts = new Map<string, number>();
  for await (const { data } of readRecords(sandbox.admin, STREAMS.audit)) {
    const e = decodeRecord(data).entry;
    if (e.kind !== AuditEntryKind.ERASURE) continue;
    const k = e.code === 'LEDGER_RECORD_ENDED' ? `ledger/${e.noticeId}` : String(e.feedSeq);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

describe('the retention sweep’s cursor', () => {
  it('reads only what is new, across a restart, and completes an interrupted erasure once', async () => {
    const europol = await sandbox.client('eu-europol');
    const first = await europol.publish(threat(2 * DAY), { recipients: ['de-bka'] });
    await readFeed(await sandbox.client('de-bka'), 1);
    let clock = Date.now();
    const a = await sandbox.startRetention({ now: () => clock });
    const s1 = await a.service.sweep();
    expect(s1.examined).toBe(1);
    expect(s1.removed).toEqual([]);
    // Nothing new: nothing read.
    expect((await a.service.sweep()).examined).toBe(0);
    await a.stop();

    // Two more notices while the service is down; a new instance reads only those.
    const second = await europol.publish(threat(2 * DAY), { recipients: ['de-bka'] });
    const third = await europol.publish(threat(20 * DAY), { recipients: ['de-bka'] });
    const b = await sandbox.startRetention({ now: () => clock });
    const s2 = await b.service.sweep();
    expect(s2.examined).toBe(2);
    expect(s2.cursor).toBe(s1.cursor + 2);

    // Three days on, the first two are due. Keep the first one's due entry as it was.
    clock += 3 * DAY;
    const seq1 = s1.cursor;
    const day = new Date(Date.now() + 2 * DAY).toISOString().slice(0, 10).replaceAll('-', '');
    const before = await stateEntry(`due.${day}.${seq1}`);
    expect(before).not.toBeNull();
    const s3 = await b.service.sweep();
    expect(s3.examined).toBe(0);
    expect(s3.removed.map((r) => [r.noticeId, r.code])).toEqual([
      [first.noticeId, 'RETENTION_ENDED'],
      [second.noticeId, 'RETENTION_ENDED'],
    ]);
    expect(await stateEntry(`due.${day}.${seq1}`)).toBeNull();
    await b.stop();

    // A crash after erasing, before the due entry was dropped and the cursor advanced:
    // the state as it was then (the entry back, the cursor at 0).
    const js = jetstream(sandbox.admin);
    await js.publish(kvKeySubject(RETENTION_BUCKET, `due.${day}.${seq1}`), before!.data);
    const cursor = JSON.parse(new TextDecoder().decode((await stateEntry('cursor'))!.data));
    await js.publish(
      kvKeySubject(RETENTION_BUCKET, 'cursor'),
      JSON.stringify({ ...cursor, seq: 0, dueDays: [...cursor.dueDays, day] }),
    );
    const c = await sandbox.startRetention({ now: () => clock });
    const s4 = await c.service.sweep();
    // FEED holds one message now (the third notice): re-read, filed again, not due.
    expect(s4.examined).toBe(1);
    // The first copy's erasure completes (the message is gone already), and is recorded once.
    expect(s4.removed.map((r) => r.seq)).toEqual([seq1]);
    expect((await c.service.sweep()).removed).toEqual([]);
    const counts = await erasureCounts();
    expect(counts.get(String(seq1))).toBe(1);

    // Three weeks on: the third one's validity ends.
    clock += 20 * DAY;
    expect((await c.service.sweep()).removed.map((r) => r.noticeId)).toEqual([third.noticeId]);
    await c.stop();
    await sandbox.auditLog!.checkpoint();
    const report = await sandbox.verifyAudit({ content: true, now: clock });
    expect(report.discrepancies).toEqual([]);
    expect(report.content).toMatchObject({ missing: 0 });
  });
});

describe('the delivery ledger at the end of a class', () => {
  it('deletes the record (recorded, verified), and a replay of the envelope is still refused', async () => {
    const bmi = await sandbox.client('at-bmi');
    const europol = await sandbox.client('eu-europol');
    const notice = threat(2 * DAY);
    const plan = await europol.plan(notice, { recipients: ['de-bka'] });
    const sealed = await seal({
      notice,
      sender: sandbox.keys.get('eu-europol')!,
      recipients: sealRecipientsOf(plan),
      audience: { recipients: ['de-bka'] },
      createdAt: new Date(),
    });
    await europol.publishRaw(sealed.bytes, sealed.noticeId);
    const receipt = await europol.receiptFor(sealed.noticeId);
    expect(receipt.status).toBe('accepted');
    // A border alert (other personal data: only reviews bound it) keeps its record.
    const alert = await bmi.publish(exampleNotices().borderAlert, { recipients: ['de-bka'] });
    expect(await ledgerRecord(sealed.noticeId)).not.toBeNull();

    let clock = Date.now();
    const r = await sandbox.startRetention({ now: () => clock });
    await r.service.sweep();
    // Past its validity but inside the delivery window: the copy goes, the record stays
    // (the replay guard still needs it).
    clock += 3 * DAY;
    const s1 = await r.service.sweep();
    expect(s1.removed.map((x) => x.noticeId)).toContain(sealed.noticeId);
    expect(s1.ledgerRemoved).not.toContain(sealed.noticeId);
    expect(await ledgerRecord(sealed.noticeId)).not.toBeNull();
    // Past the delivery window: the record goes too, recorded.
    clock += 30 * DAY;
    const s2 = await r.service.sweep();
    expect(s2.ledgerRemoved).toContain(sealed.noticeId);
    expect(s2.ledgerRemoved).not.toContain(alert.noticeId);
    expect(await ledgerRecord(sealed.noticeId)).toBeNull();
    expect(await ledgerRecord(alert.noticeId)).not.toBeNull();
    expect((await r.service.sweep()).ledgerRemoved).toEqual([]); // once
    await r.stop();
    expect((await erasureCounts()).get(`ledger/${sealed.noticeId}`)).toBe(1);

    // The same envelope again, after the gate's freshness window: refused (STALE), not
    // delivered a second time, and no new record.
    while (Date.now() < Number(new Date(receipt.at)) + MAX_AGE_MS + 500)
      await new Promise((x) => setTimeout(x, 200));
    const seen = outcomes.length;
    const feedBefore = (await (await jetstreamManager(sandbox.admin)).streams.info(STREAMS.feed)).state
      .last_seq;
    await europol.publishRaw(sealed.bytes, `${sealed.noticeId}-replay`);
    const deadline = Date.now() + 10_000;
    while (outcomes.length === seen && Date.now() < deadline) await new Promise((x) => setTimeout(x, 50));
    expect(outcomes.slice(seen)).toEqual([{ status: 'rejected', code: 'STALE' }]);
    expect((await (await jetstreamManager(sandbox.admin)).streams.info(STREAMS.feed)).state.last_seq).toBe(
      feedBefore,
    );
    expect(await ledgerRecord(sealed.noticeId)).toBeNull();

    // The log verifies: the ledger deletion names a recorded submission, not before its end.
    await sandbox.auditLog!.checkpoint();
    const report = await sandbox.verifyAudit({ content: true, now: clock });
    expect(report.discrepancies).toEqual([]);
  });
});

describe('a cursor past messages deleted meanwhile', () => {
  it('returns (the reader stops when nothing comes) and moves on with the next message', async () => {
    const europol = await sandbox.client('eu-europol');
    const r = await sandbox.startRetention();
    await r.service.sweep();
    // The operator deletes a delivery before the service has read it.
    const gone = await europol.publish(threat(2 * DAY), { recipients: ['de-bka'] });
    await sandbox.auditSettled();
    const jsm = await jetstreamManager(sandbox.admin);
    const last = (await jsm.streams.info(STREAMS.feed)).state.last_seq;
    expect(await jsm.streams.deleteMessage(STREAMS.feed, last)).toBe(true);
    const started = Date.now();
    const s = await r.service.sweep();
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(s.examined).toBe(0);
    // The next delivery is read, and the cursor passes both.
    const next = await europol.publish(threat(2 * DAY), { recipients: ['de-bka'] });
    const after = await r.service.sweep();
    expect(after.examined).toBe(1);
    expect(after.cursor).toBe(last + 1);
    expect(next.noticeId).not.toBe(gone.noticeId);
    await r.stop();
  });
});

describe('ledger erasures the auditor refuses', () => {
  it('reports one recorded before its class ends (ERASED_EARLY) and one naming no submission', async () => {
    const europol = await sandbox.client('eu-europol');
    const r = await europol.publish(threat(2 * DAY), { recipients: ['de-bka'] });
    const keys = sandbox.keys.get(RETENTION_ID)!;
    const entry = (noticeId: string, headerSha256: Uint8Array) =>
      signErasureEntry(
        create(AuditEntrySchema, {
          domain: AUDIT_ENTRY_DOMAIN,
          kind: AuditEntryKind.ERASURE,
          atMs: BigInt(Date.now()),
          gateId: RETENTION_ID,
          noticeId,
          sender: 'eu-europol',
          headerSha256,
          code: 'LEDGER_RECORD_ENDED',
          retentionClass: 'non-personal',
          retentionEndsAtMs: BigInt(Date.now() - 1000),
        }),
        keys,
      );
    // Signed by the retention identity, but today: the record may go only after the delivery window.
    const early = entry(r.noticeId, new Uint8Array(Buffer.from(r.headerSha256!, 'hex')));
    const unknown = entry('01900000-0000-7000-8000-000000000000', new Uint8Array(32));
    const batch = toBinary(AuditBatchSchema, create(AuditBatchSchema, { entries: [early, unknown] }));
    await jetstream(await sandbox.connection(RETENTION_ID)).publish(
      new Subjects().auditIn(RETENTION_ID),
      batch,
      {
        msgID: 'ledger-forged-1',
      },
    );
    await sandbox.auditSettled();
    const report = await sandbox.verifyAudit({ content: true, now: Date.now() + 60 * DAY });
    const codes = report.discrepancies.map((d) => d.code);
    expect(codes).toContain('ERASED_EARLY');
    expect(codes).toContain('ERASURE_WITHOUT_DELIVERY');
    expect(report.discrepancies.find((d) => d.code === 'ERASED_EARLY')?.message).toContain(r.noticeId);
  });
});
