// Erasure at the end of retention, on the exchange's side, with a controllable clock:
// the retention service removes each delivery from FEED when its class says so (and
// records a signed erasure entry), the raw stream and the server's store no longer
// hold the ciphertext, `audit verify` and proofs taken before still pass, the content
// check tells "erased as recorded" from "missing", and no identity but the retention
// service can delete a FEED message.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AUDIT_ENTRY_DOMAIN, proveNotice } from '@liaison/audit-log';
import { decodeEnvelope, decodeHeader } from '@liaison/envelope';
import { exampleNotices } from '@liaison/fixtures';
import { AUDIT_LOG_ID, GATE_ID, RETENTION_ID, Sandbox } from '@liaison/sandbox';
import { DELIVERIES_BUCKET, kvKeySubject, kvStreamName, STREAMS, Subjects } from '@liaison/topology';
import { AuditBatchSchema, AuditEntryKind, AuditEntrySchema, create, toBinary } from '@liaison/wire';
import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFeed } from './helpers.js';

const DAY = 86_400_000;
const t = new Subjects();

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await Sandbox.start();
});
afterAll(async () => {
  await sandbox?.dispose();
});

/** Every FEED message as the operator sees it (seq, subject, bytes). */
async function feedMessages(): Promise<{ seq: number; subject: string; data: Uint8Array }[]> {
  const js = jetstream(sandbox.admin);
  const info = await (await jetstreamManager(sandbox.admin)).streams.info(STREAMS.feed);
  if (info.state.messages === 0) return [];
  const c = await js.consumers.get(STREAMS.feed, { deliver_policy: DeliverPolicy.All });
  const out: { seq: number; subject: string; data: Uint8Array }[] = [];
  const it = await c.consume();
  for await (const m of it) {
    out.push({ seq: m.seq, subject: m.subject, data: m.data });
    if ((m.info.pending ?? 0) === 0) break;
  }
  await it.close();
  return out;
}

/** Whether any file of the server's store holds these bytes. */
function storeHolds(dir: string, needle: Buffer): boolean {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (storeHolds(p, needle)) return true;
    } else if (readFileSync(p).includes(needle)) return true;
  }
  return false;
}

describe('erasure at the end of retention (the exchange’s copies)', () => {
  it('removes each delivery when its class ends, records it, and every proof stays valid', async () => {
    const ex = exampleNotices();
    const bmi = await sandbox.client('at-bmi');
    const europol = await sandbox.client('eu-europol');
    const threat = {
      ...ex.threatNotice,
      markings: {
        ...(ex.threatNotice.markings as object),
        expiresAt: new Date(Date.now() + 2 * DAY).toISOString(),
      },
    };
    const rThreat = await europol.publish(threat, { recipients: ['de-bka', 'ru-mvd'] });
    const rAlert = await bmi.publish(ex.borderAlert, { recipients: ['de-bka', 'fi-raja'] });
    expect(rThreat.recipients.map((r) => r.recipient).sort()).toEqual(['de-bka', 'ru-mvd']);
    expect(rAlert.recipients.map((r) => r.recipient).sort()).toEqual(['de-bka', 'fi-raja']);
    await readFeed(await sandbox.client('de-bka'), 2);
    await sandbox.auditSettled();

    const before = await feedMessages();
    expect(before.length).toBe(4);
    // A proof of the alert's entries, taken before anything is erased.
    const logKey = sandbox.keys.get(AUDIT_LOG_ID)!.signing;
    const key = { name: AUDIT_LOG_ID, publicRaw: logKey.publicRaw, publicKey: logKey.publicKey };
    const proofBefore = await proveNotice(sandbox.admin, { noticeId: rAlert.noticeId, logKey: key });
    expect(proofBefore.proofs.every((p) => p.ok)).toBe(true);

    // The ciphertext is on disk before the sweep (so the check after it means something).
    const sample = Buffer.from(decodeEnvelope(before[0]!.data).layers[0]!.ciphertext.subarray(0, 48));
    await new Promise((r) => setTimeout(r, 200));
    expect(storeHolds(sandbox.server.storeDir, sample)).toBe(true);

    let clock = Date.now();
    const retention = await sandbox.startRetention({ now: () => clock });
    // Nothing is due yet.
    expect((await retention.service.sweep()).removed).toEqual([]);

    // Three days on: the threat notice's validity has ended; the border alert stays.
    clock += 3 * DAY;
    const first = await retention.service.sweep();
    expect(first.removed.map((r) => [r.noticeId, r.code])).toEqual([
      [rThreat.noticeId, 'RETENTION_ENDED'],
      [rThreat.noticeId, 'RETENTION_ENDED'],
    ]);
    // A month on: the delivery window has ended for the alert too.
    clock += 30 * DAY;
    const second = await retention.service.sweep();
    expect(second.removed.map((r) => [r.noticeId, r.code])).toEqual([
      [rAlert.noticeId, 'DELIVERY_WINDOW_ENDED'],
      [rAlert.noticeId, 'DELIVERY_WINDOW_ENDED'],
    ]);
    expect((await retention.service.sweep()).removed).toEqual([]); // idempotent

    // The raw stream holds none of it, and the server's files no longer hold the ciphertext.
    expect(await feedMessages()).toEqual([]);
    const jsm = await jetstreamManager(sandbox.admin);
    for (const m of before) expect(await jsm.streams.getMessage(STREAMS.feed, { seq: m.seq })).toBeNull();
    expect(storeHolds(sandbox.server.storeDir, sample)).toBe(false);

    // The log verifies, with the content check: every delivery erased as recorded, none missing.
    await sandbox.auditSettled();
    await sandbox.auditLog!.checkpoint();
    // Verified as the auditor, from its own account: FEED read through the log reader.
    const report = await sandbox.verifyAudit({ as: 'eu-auditor', content: true, now: clock });
    expect(report.discrepancies).toEqual([]);
    expect(report.content).toEqual({ deliveries: 4, present: 0, erased: 4, missing: 0 });
    // The proof taken before erasure is still a proof against the newest checkpoint.
    const proofAfter = await proveNotice(sandbox.admin, { noticeId: rAlert.noticeId, logKey: key });
    expect(proofAfter.proofs.every((p) => p.ok)).toBe(true);
    expect(proofAfter.proofs.map((p) => p.kind)).toEqual(['submission', 'read', 'erasure', 'erasure']);
    await retention.stop();
  });

  it('tells content deleted without a record (CONTENT_MISSING) from content erased as recorded', async () => {
    const bmi = await sandbox.client('at-bmi');
    const r = await bmi.publish(exampleNotices().borderAlert, { recipients: ['de-bka'] });
    await sandbox.auditSettled();
    const [m] = (await feedMessages()).filter(
      (x) => decodeHeader(decodeEnvelope(x.data).header).noticeId === r.noticeId,
    );
    // The operator (full rights) deletes it behind the retention service's back.
    await (await jetstreamManager(sandbox.admin)).streams.deleteMessage(STREAMS.feed, m!.seq);
    const report = await sandbox.verifyAudit({ content: true });
    expect(report.discrepancies.map((d) => d.code)).toEqual(['CONTENT_MISSING']);
    expect(report.discrepancies[0]!.message).toContain(r.noticeId);
    // Past FEED's own age limit the same gap is told apart: the retention service did not run.
    const later = await sandbox.verifyAudit({ content: true, now: Date.now() + 40 * DAY });
    expect(later.discrepancies.map((d) => d.code)).toEqual(['CONTENT_EXPIRED_UNRECORDED']);
  });

  it('lets no identity but the retention service delete a FEED message', async () => {
    const bmi = await sandbox.client('at-bmi');
    await bmi.publish(exampleNotices().borderAlert, { recipients: ['de-bka'] });
    const [m] = await feedMessages();
    for (const id of [GATE_ID, AUDIT_LOG_ID, 'eu-auditor']) {
      const jsm = await jetstreamManager(await sandbox.connection(id), { checkAPI: false });
      await expect(jsm.streams.deleteMessage(STREAMS.feed, m!.seq)).rejects.toThrow(/permission|timeout/i);
      await expect(jsm.streams.purge(STREAMS.feed)).rejects.toThrow(/permission|timeout/i);
    }
    // An agency's account has no JetStream API at all.
    const agency = await jetstreamManager(await sandbox.connection('de-bka'), { checkAPI: false });
    await expect(agency.streams.deleteMessage(STREAMS.feed, m!.seq)).rejects.toThrow();
    // The retention identity may delete one message, and may not purge the stream.
    const retention = await jetstreamManager(await sandbox.connection(RETENTION_ID), { checkAPI: false });
    await expect(retention.streams.purge(STREAMS.feed)).rejects.toThrow(/permission|timeout/i);
    expect(await retention.streams.deleteMessage(STREAMS.feed, m!.seq)).toBe(true);

    // The delivery ledger the same way: only the retention service deletes a record (at
    // the end of its notice's class), nobody purges the bucket, and it cannot write one.
    const ledger = kvStreamName(DELIVERIES_BUCKET);
    const record = await (await jetstreamManager(sandbox.admin)).streams.getMessage(ledger, {
      last_by_subj: kvKeySubject(DELIVERIES_BUCKET, decodeHeader(decodeEnvelope(m!.data).header).noticeId),
    });
    expect(record).not.toBeNull();
    for (const id of [GATE_ID, AUDIT_LOG_ID, 'eu-auditor']) {
      const jsm = await jetstreamManager(await sandbox.connection(id), { checkAPI: false });
      await expect(jsm.streams.deleteMessage(ledger, record!.seq)).rejects.toThrow(/permission|timeout/i);
      await expect(jsm.streams.purge(ledger)).rejects.toThrow(/permission|timeout/i);
    }
    await expect(retention.streams.purge(ledger)).rejects.toThrow(/permission|timeout/i);
    const asRetention = jetstream(await sandbox.connection(RETENTION_ID));
    await expect(
      asRetention.publish(kvKeySubject(DELIVERIES_BUCKET, 'forged-record'), new Uint8Array(1), {
        timeout: 2000,
      }),
    ).rejects.toThrow();
    expect(await retention.streams.deleteMessage(ledger, record!.seq)).toBe(true);
  });

  it('refuses an erasure recorded by anyone but the retention identity (BAD_ERASURE_SIGNATURE)', async () => {
    const bmi = await sandbox.client('at-bmi');
    const r = await bmi.publish(exampleNotices().borderAlert, { recipients: ['de-bka'] });
    // The gate may write to its own audit outbox; it forges an erasure "by" the retention service.
    const forged = create(AuditEntrySchema, {
      domain: AUDIT_ENTRY_DOMAIN,
      kind: AuditEntryKind.ERASURE,
      atMs: BigInt(Date.now()),
      gateId: RETENTION_ID,
      noticeId: r.noticeId,
      sender: 'at-bmi',
      recipient: 'de-bka',
      code: 'RETENTION_ENDED',
    });
    const batch = toBinary(AuditBatchSchema, create(AuditBatchSchema, { entries: [forged] }));
    await jetstream(await sandbox.connection(GATE_ID)).publish(t.auditIn(GATE_ID), batch, {
      msgID: 'forged-1',
    });
    await sandbox.auditSettled();
    const report = await sandbox.verifyAudit();
    expect(report.discrepancies.map((d) => d.code)).toContain('BAD_ERASURE_SIGNATURE');
  });
});
