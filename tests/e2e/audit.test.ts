import {
  decodeRecord,
  encodeBlock,
  encodeRecord,
  leafHash,
  readRecords,
  readStream,
  signCheckpoint,
  type VerifyReport,
  verifyCheckpoint,
  verifyInclusion,
  verifyLog,
} from '@liaison/audit-log';
import { exampleNotices } from '@liaison/fixtures';
import { AUDIT_LOG_ID, Sandbox } from '@liaison/sandbox';
import { STREAMS, Subjects } from '@liaison/topology';
import {
  AuditBatchSchema,
  AuditEntryKind,
  AuditEntrySchema,
  create,
  fromBinary,
  GrantBatchSchema,
  RecipientDecisionSchema,
  toBinary,
} from '@liaison/wire';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFeed } from './helpers.js';

const t = new Subjects();

let sandbox: Sandbox;
const records: Uint8Array[] = [];
const checkpoints: string[] = [];
let noticeId = '';
/** A border alert sent without the strategic opt-in. */
let plainAlertId = '';

const logKey = () => {
  const k = sandbox.keys.get(AUDIT_LOG_ID)!.signing;
  return { name: AUDIT_LOG_ID, publicRaw: k.publicRaw, publicKey: k.publicKey };
};

async function verify(
  stream?: string,
  checkpointStream?: string,
  since?: string,
  workers = 0,
): Promise<VerifyReport> {
  await sandbox.store.refresh();
  return verifyLog({
    nc: sandbox.admin,
    registry: sandbox.store.registry,
    logKey: logKey(),
    workers,
    ...(stream ? { stream } : {}),
    ...(checkpointStream ? { checkpointStream } : {}),
    ...(since ? { since } : {}),
  });
}

/** What a malicious operator with write access to the store could do: write a doctored copy. */
async function doctoredCopy(
  name: string,
  recs: Uint8Array[],
  cps: string[] = checkpoints,
): Promise<[string, string]> {
  const jsm = await jetstreamManager(sandbox.admin);
  const js = jetstream(sandbox.admin);
  await jsm.streams.add({ name: `${name}_LOG`, subjects: [`${name}.log`] });
  await jsm.streams.add({ name: `${name}_CP`, subjects: [`${name}.cp`] });
  // Stored in blocks of 1, 2 and 3 records in turn: how records are grouped in
  // stream messages is the writer's business, the proofs are over the records.
  for (let i = 0, n = 1; i < recs.length; i += n, n = (n % 3) + 1)
    await js.publish(`${name}.log`, encodeBlock(recs.slice(i, i + n)));
  for (const c of cps) await js.publish(`${name}.cp`, new TextEncoder().encode(c));
  return [`${name}_LOG`, `${name}_CP`];
}

function rewriteEntry(
  bytes: Uint8Array,
  change: (e: ReturnType<typeof fromBinary<typeof AuditEntrySchema>>) => void,
): Uint8Array {
  const { record, entry } = decodeRecord(bytes);
  change(entry);
  return encodeRecord(
    Number(record.index),
    record.prevLeafHash,
    toBinary(AuditEntrySchema, entry),
    record.source,
  );
}

beforeAll(async () => {
  sandbox = await Sandbox.start();
  const bmi = await sandbox.client('at-bmi');
  noticeId = (await bmi.publish(exampleNotices().borderAlert, {}, { strategicOptIn: true })).noticeId;
  plainAlertId = (await bmi.publish(exampleNotices().borderAlert)).noticeId;
  for (let round = 0; round < 3; round++) {
    await (await sandbox.client('nl-piu')).publish(exampleNotices().passengerDataHit);
    await (await sandbox.client('eu-europol')).publish(exampleNotices().threatNotice);
    await bmi.publish(exampleNotices().borderAlert);
  }
  await bmi.publishRaw(new TextEncoder().encode('garbage'));
  await readFeed(await sandbox.client('us-cbp'), 3);
  await new Promise((r) => setTimeout(r, 300));
  await sandbox.auditSettled();
  await sandbox.auditLog!.checkpoint();
  for await (const { data } of readRecords(sandbox.admin, STREAMS.audit)) records.push(data);
  for await (const { data } of readStream(sandbox.admin, STREAMS.auditCheckpoints))
    checkpoints.push(new TextDecoder().decode(data));
});
afterAll(async () => {
  await sandbox?.dispose();
});

describe('the audit log', () => {
  it('verifies end to end: chain, checkpoints, signatures, every decision re-derived', async () => {
    const report = await verify();
    expect(report.discrepancies).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.entries).toBe(records.length);
    expect(report.entries).toBeGreaterThan(12);
    expect(report.checkpoints).toBeGreaterThanOrEqual(1);
    const entries = records.map((r) => decodeRecord(r).entry);
    const kinds = new Set(entries.map((e) => e.kind));
    for (const k of [AuditEntryKind.SUBMISSION, AuditEntryKind.REJECTION, AuditEntryKind.READ]) {
      expect(kinds.has(k)).toBe(true);
    }
    // One entry holds the gate's whole account of a submission: every decision and delivery.
    const first = entries.find((e) => e.noticeId === noticeId && e.kind === AuditEntryKind.SUBMISSION)!;
    expect(first.decisions.find((d) => d.recipient === 'ru-mvd')?.level).toBe('strategic');
    expect(first.decisions.find((d) => d.recipient === 'de-bka')?.level).toBe('operational');
    expect(first.deliveries.filter((d) => d.grant.length > 0).length).toBeGreaterThan(3);
    // Worker threads for the signature checks give the same report.
    expect(await verify(undefined, undefined, undefined, 2)).toEqual(report);
    for (const r of records)
      expect(Buffer.from(r).toString('latin1')).not.toMatch(/Petrova|382914756|de Vries/);
  });

  it('proves a notice’s entries against a signed checkpoint over NATS', async () => {
    const reply = await sandbox.admin.request(
      t.auditInclusion,
      new TextEncoder().encode(JSON.stringify({ noticeId })),
    );
    const answer = JSON.parse(reply.string()) as {
      size: number;
      checkpoint: string;
      proofs: { index: number; leaf: string; path: string[] }[];
    };
    const cp = verifyCheckpoint(answer.checkpoint, logKey(), logKey().publicKey);
    // The submission entry, and the read receipt us-cbp signed for it.
    expect(answer.proofs.length).toBe(2);
    for (const p of answer.proofs) {
      expect(Buffer.from(leafHash(records[p.index]!)).toString('hex')).toBe(p.leaf);
      expect(
        verifyInclusion(
          p.index,
          cp.size,
          leafHash(records[p.index]!),
          p.path.map((h) => Buffer.from(h, 'hex')),
          cp.root,
        ),
      ).toBe(true);
    }
    const missing = await sandbox.admin.request(
      t.auditInclusion,
      new TextEncoder().encode(JSON.stringify({ noticeId: 'nope' })),
    );
    expect(JSON.parse(missing.string()).error.code).toBe('NOT_FOUND');
  });

  it('names the changed record when one entry’s bytes change', async () => {
    const k = 7;
    const doctored = records.map((r, i) =>
      i === k
        ? rewriteEntry(r, (e) => {
            e.atMs += 1n;
          })
        : r,
    );
    const report = await verify(...(await doctoredCopy('T1', doctored)));
    expect(report.ok).toBe(false);
    expect(report.discrepancies[0]?.index).toBe(k);
    expect(report.discrepancies).toContainEqual(
      expect.objectContaining({ index: k, code: 'RECORD_ALTERED' }),
    );
    expect(report.discrepancies.map((d) => d.code)).toContain('CHECKPOINT_MISMATCH');
  });

  it('names the position of a dropped record', async () => {
    const report = await verify(
      ...(await doctoredCopy(
        'T2',
        records.filter((_, i) => i !== 5),
      )),
    );
    expect(report.discrepancies[0]).toMatchObject({ index: 5, code: 'RECORD_OUT_OF_PLACE' });
  });

  it('names the position of a stream message that is not a block of records', async () => {
    const [log, cp] = await doctoredCopy('T6', records.slice(0, 5));
    const js = jetstream(sandbox.admin);
    await js.publish('T6.log', new TextEncoder().encode('not a block'));
    for (const r of records.slice(5)) await js.publish('T6.log', encodeBlock([r]));
    const report = await verify(log, cp);
    expect(report.discrepancies[0]).toMatchObject({ index: 5, code: 'MALFORMED_RECORD' });
    expect(report.discrepancies).toContainEqual(
      expect.objectContaining({ index: 6, code: 'RECORD_OUT_OF_PLACE' }),
    );
  });

  it('names the first of two reordered records', async () => {
    const swapped = [...records];
    [swapped[9], swapped[10]] = [swapped[10]!, swapped[9]!];
    const report = await verify(...(await doctoredCopy('T3', swapped)));
    expect(report.discrepancies[0]).toMatchObject({ index: 9, code: 'RECORD_OUT_OF_PLACE' });
  });

  it('catches a forked history: a rebuilt, re-chained log and two checkpoints for the same size', async () => {
    // An operator holding the log key rewrites record 3 and re-chains everything after it.
    // The rewrite: a submission's sender signature replaced (the notice "was never sent").
    const target = records.findIndex(
      (r, i) => i > 2 && decodeRecord(r).entry.kind === AuditEntryKind.SUBMISSION,
    );
    const rebuilt: Uint8Array[] = [];
    let prev: Uint8Array = new Uint8Array(32);
    for (const [i, r] of records.entries()) {
      const { record, entry } = decodeRecord(r);
      if (i === target) entry.headerSignature = new Uint8Array(64).fill(7);
      const bytes = encodeRecord(i, prev, toBinary(AuditEntrySchema, entry), record.source);
      rebuilt.push(bytes);
      prev = leafHash(bytes);
    }
    const { MerkleTree } = await import('@liaison/audit-log');
    const t = new MerkleTree();
    for (const r of rebuilt) t.append(leafHash(r));
    const size = records.length;
    const k = sandbox.keys.get(AUDIT_LOG_ID)!.signing;
    const forged = signCheckpoint(
      { origin: 'liaison.audit/v1', size, root: t.root(size) },
      { name: AUDIT_LOG_ID, publicRaw: k.publicRaw },
      k.privateKey,
    );
    const report = await verify(...(await doctoredCopy('T4', rebuilt, [...checkpoints, forged])));
    const codes = report.discrepancies.map((d) => d.code);
    expect(report.discrepancies).toContainEqual(
      expect.objectContaining({ index: target, code: 'BAD_SENDER_SIGNATURE' }),
    );
    expect(codes).toContain('CHECKPOINT_FORK');
    expect(codes).toContain('CHECKPOINT_MISMATCH');
    // An auditor who kept a checkpoint from before sees that history was rewritten.
    const kept = checkpoints[checkpoints.length - 1]!;
    const againstKept = await verify(...(await doctoredCopy('T5', rebuilt, [forged])), kept);
    expect(againstKept.discrepancies.map((d) => d.code)).toContain('NOT_CONSISTENT_WITH_SAVED');
    expect((await verify(undefined, undefined, checkpoints[0])).ok).toBe(true);
  });

  it('reports a signed checkpoint that the checkpoints around it do not extend', async () => {
    // The log key signs a root for size 2 that is not the log's: the records are intact.
    const k = sandbox.keys.get(AUDIT_LOG_ID)!.signing;
    const forged = signCheckpoint(
      { origin: 'liaison.audit/v1', size: 2, root: new Uint8Array(32).fill(9) },
      { name: AUDIT_LOG_ID, publicRaw: k.publicRaw },
      k.privateKey,
    );
    const others = checkpoints.filter((c) => verifyCheckpoint(c, logKey(), logKey().publicKey).size !== 2);
    const report = await verify(...(await doctoredCopy('T7', records, [...others, forged])));
    const codes = report.discrepancies.map((d) => d.code);
    expect(report.discrepancies).toContainEqual(
      expect.objectContaining({ index: 1, code: 'CHECKPOINT_MISMATCH' }),
    );
    expect(codes).toContain('CHECKPOINTS_INCONSISTENT');
    expect(codes.filter((c) => !['CHECKPOINT_MISMATCH', 'CHECKPOINTS_INCONSISTENT'].includes(c))).toEqual([]);
  });

  it('reports a gate signature that does not verify, even right after the same batch verified', async () => {
    // Record k is genuine; right after it, a copy whose batch signature has one bit
    // flipped: the auditor has just verified (and remembered) that batch.
    const k = records.findIndex((r) => decodeRecord(r).entry.grantSignature.length === 64);
    expect(k).toBeGreaterThanOrEqual(0);
    const forged = rewriteEntry(records[k]!, (e) => {
      e.grantSignature = Uint8Array.from(e.grantSignature, (b, i) => (i === 10 ? b ^ 1 : b));
    });
    const doctored = [...records.slice(0, k + 1), forged, ...records.slice(k + 1)];
    const report = await verify(...(await doctoredCopy('T8', doctored)));
    expect(report.discrepancies).toContainEqual(
      expect.objectContaining({ index: k + 1, code: 'BAD_COUNTERSIGNATURE' }),
    );
    expect(report.discrepancies.filter((d) => d.index === k)).toEqual([]);
  });

  it('reports a batch changed under the same gate signature, right after the genuine one verified', async () => {
    // The auditor remembers a verified batch by its signature: a copy that keeps the
    // signature but carries a different batch (one bit of its root flipped) must be
    // checked afresh, not taken from what was remembered.
    const k = records.findIndex((r) => decodeRecord(r).entry.grantSignature.length === 64);
    const forged = rewriteEntry(records[k]!, (e) => {
      const batch = fromBinary(GrantBatchSchema, e.grantBatch);
      batch.root = Uint8Array.from(batch.root, (b, i) => (i === 0 ? b ^ 1 : b));
      e.grantBatch = toBinary(GrantBatchSchema, batch);
    });
    const doctored = [...records.slice(0, k + 1), forged, ...records.slice(k + 1)];
    const report = await verify(...(await doctoredCopy('T9', doctored)));
    expect(report.discrepancies).toContainEqual(
      expect.objectContaining({ index: k + 1, code: 'BAD_COUNTERSIGNATURE' }),
    );
    expect(report.discrepancies.filter((d) => d.index === k)).toEqual([]);
  });

  it('reports a recorded decision that the policy in force does not give', async () => {
    // A compromised gate records an operational decision for a strategic partner.
    const real = records
      .map((r) => decodeRecord(r).entry)
      .find((e) => e.kind === AuditEntryKind.SUBMISSION && e.noticeId === noticeId)!;
    const forged = create(AuditEntrySchema, real);
    const ru = forged.decisions.find((d) => d.recipient === 'ru-mvd')!;
    ru.level = 'operational';
    ru.layers = ['strategic', 'operational'];
    ru.reasons = ['AGREEMENT_OPERATIONAL'];
    const batch = create(AuditBatchSchema, { entries: [forged] });
    await jetstream(sandbox.admin).publish(t.auditIn('liaison-gate'), toBinary(AuditBatchSchema, batch), {
      msgID: 'forged-1',
    });
    await sandbox.auditSettled();
    const report = await verify(undefined, undefined, undefined, 2);
    const mismatch = report.discrepancies.find((d) => d.code === 'DECISION_MISMATCH');
    expect(mismatch?.index).toBe(records.length);
    expect(mismatch?.message).toMatch(/ru-mvd: recorded operational .* gives strategic/);
    // Everything else in the forged entry (copied from a genuine one) still checks out.
    expect(report.discrepancies).toHaveLength(1);
  });

  it('reports a submission entry that hides one of the deliveries the gate signed', async () => {
    const real = records
      .map((r) => decodeRecord(r).entry)
      .find((e) => e.kind === AuditEntryKind.SUBMISSION && e.noticeId === noticeId)!;
    const hidden = create(AuditEntrySchema, real);
    const dropped = hidden.deliveries.findIndex((d) => d.recipient === 'us-cbp');
    expect(dropped).toBeGreaterThanOrEqual(0);
    hidden.deliveries.splice(dropped, 1);
    await jetstream(sandbox.admin).publish(
      t.auditIn('liaison-gate'),
      toBinary(AuditBatchSchema, create(AuditBatchSchema, { entries: [hidden] })),
      { msgID: 'forged-2' },
    );
    await sandbox.auditSettled();
    const report = await verify();
    expect(report.discrepancies).toContainEqual(
      expect.objectContaining({ index: records.length + 1, code: 'GRANT_MISMATCH' }),
    );
  });

  it('reports a recorded strategic delivery of a border alert the sender did not opt in for', async () => {
    const real = records
      .map((r) => decodeRecord(r).entry)
      .find((e) => e.kind === AuditEntryKind.SUBMISSION && e.noticeId === plainAlertId)!;
    expect(real.decisions.find((d) => d.recipient === 'ru-mvd')).toBeUndefined();
    const forged = create(AuditEntrySchema, real);
    forged.decisions.push(
      create(RecipientDecisionSchema, {
        recipient: 'ru-mvd',
        level: 'strategic',
        layers: ['strategic'],
        reasons: ['AGREEMENT_STRATEGIC'],
        legalBasis: 'Strategic agreement: non-personal data only',
      }),
    );
    await jetstream(sandbox.admin).publish(
      t.auditIn('liaison-gate'),
      toBinary(AuditBatchSchema, create(AuditBatchSchema, { entries: [forged] })),
      { msgID: 'forged-3' },
    );
    await sandbox.auditSettled();
    const report = await verify();
    const mismatch = report.discrepancies.find(
      (d) => d.code === 'DECISION_MISMATCH' && d.index === records.length + 2,
    );
    expect(mismatch?.message).toMatch(/ru-mvd: recorded strategic .* gives none \[.*KIND_NOT_STRATEGIC\]/);
  });
});
