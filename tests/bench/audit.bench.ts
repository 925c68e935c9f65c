// Audit verification rate (entries/s) next to the raw SHA-256 and Ed25519-verify
// rates measured in the same run, and the time to verify a year of EU-scale
// traffic (about 1.8 million notices) extrapolated from it.
import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { AUDIT_STREAMS, decodeRecord, encodeBlock, readRecords } from '@liaison/audit-log';
import { sealRecipientsOf } from '@liaison/client';
import { seal } from '@liaison/envelope';
import { exampleNotices } from '@liaison/notice';
import { Sandbox } from '@liaison/sandbox';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { measure } from './harness.js';

const NOTICES = Number(process.env.LIAISON_BENCH_AUDIT_NOTICES ?? 10000);
// Notices published one at a time for the trickle case (each waits for the previous one).
// Below ~1 000 there is no steady span past the workers' start-up, which then counts in.
const TRICKLE_NOTICES = Number(process.env.LIAISON_BENCH_AUDIT_TRICKLE ?? 3000);
const YEAR_NOTICES = 1_800_000;
const TARGET_SECONDS = 300;
// As `liaison audit verify` does on a large log: one worker thread per core.
const WORKERS = Number(process.env.LIAISON_BENCH_AUDIT_WORKERS ?? availableParallelism());

type Recipients = Awaited<ReturnType<typeof planFor>>;

async function planFor(sandbox: Sandbox) {
  const bmi = await sandbox.client('at-bmi');
  const plan = await bmi.plan(exampleNotices().borderAlert);
  return sealRecipientsOf(plan);
}

async function publishOne(sandbox: Sandbox, recipients: Recipients): Promise<void> {
  const s = await seal({
    notice: exampleNotices().borderAlert,
    sender: sandbox.keys.get('at-bmi')!,
    recipients,
  });
  await jetstream(sandbox.admin).publish('liaison.intake.at-bmi', s.bytes, { msgID: s.noticeId });
}

/** Waits for the audit log to take every batch, then signs a checkpoint; returns the gate-signature count. */
async function settledLog(sandbox: Sandbox): Promise<{ records: Uint8Array[]; signatures: number }> {
  await sandbox.auditSettled(600_000);
  await sandbox.auditLog!.checkpoint();
  const records: Uint8Array[] = [];
  for await (const { data } of readRecords(sandbox.admin, AUDIT_STREAMS.log)) records.push(data);
  const signatures = new Set(
    records.map((r) => Buffer.from(decodeRecord(r).entry.grantSignature).toString('hex')),
  );
  return { records, signatures: signatures.size };
}

/**
 * Runs the auditor's replay (`Sandbox.verifyAudit`) and times it. Progress comes after each chunk: the steady rate runs
 * from when every worker has finished its first chunk (chunks are dealt round-robin and
 * absorbed in order) to the last, past the start-up, which is measured on its own; one
 * thread: the whole run (it has no start-up). The tail is what comes after the last
 * chunk: the checkpoint checks, which grow with the log.
 */
async function timedVerify(
  sandbox: Sandbox,
  workers: number,
  streams: { stream?: string; checkpointStream?: string } = {},
) {
  const start = performance.now();
  const marks: [number, number][] = [];
  const report = await sandbox.verifyAudit({
    workers,
    onProgress: (done) => marks.push([done, performance.now()]),
    ...streams,
  });
  if (!report.ok) console.log('verification reported discrepancies:', report.discrepancies.slice(0, 3));
  const [a, b] = [marks[Math.max(workers - 1, 0)], marks.at(-1)];
  const seconds = (performance.now() - start) / 1000;
  // Too few chunks for a steady span (a small log): the whole run, start-up included.
  const steady =
    workers > 0 && a && b && b[1] > a[1] ? ((b[0] - a[0]) * 1000) / (b[1] - a[1]) : report.entries / seconds;
  const tail = b ? (performance.now() - b[1]) / 1000 : 0;
  return { report, seconds, steady, tail };
}

/**
 * A year's log as real traffic writes it: notices arrive one at a time (on average one
 * every ~20 s), so the gate signs each submission's grants alone and the audit log
 * stores each record alone — two Ed25519 signatures to check per entry. Each notice is
 * published once the previous one has been handled. Returns the steady rate with
 * `workers` threads.
 */
async function trickleRate(
  workers: number,
): Promise<{ rate: number; entries: number; perSignature: number }> {
  let wake: () => void = () => undefined;
  await using sandbox = await Sandbox.start({ onOutcome: () => wake() });
  const recipients = await planFor(sandbox);
  for (let i = 0; i < TRICKLE_NOTICES; i++) {
    const handled = new Promise<void>((r) => {
      wake = r;
    });
    await publishOne(sandbox, recipients);
    await handled;
  }
  const { signatures } = await settledLog(sandbox);
  const { report, steady } = await timedVerify(sandbox, workers);
  return { rate: steady, entries: report.entries, perSignature: report.entries / signatures };
}

export async function auditBench(): Promise<void> {
  let done = 0;
  let finished: () => void = () => undefined;
  const all = new Promise<void>((r) => {
    finished = r;
  });
  await using sandbox = await Sandbox.start({ onOutcome: () => ++done === NOTICES && finished() });
  const recipients = await planFor(sandbox);
  const js = jetstream(sandbox.admin);
  // Publish in bounded batches: thousands of outstanding publishes would time out.
  let pending: Promise<unknown>[] = [];
  for (let i = 0; i < NOTICES; i++) {
    pending.push(publishOne(sandbox, recipients));
    if (pending.length >= 100) {
      await Promise.all(pending);
      pending = [];
    }
  }
  await Promise.all(pending);
  await all;
  const { records, signatures } = await settledLog(sandbox);
  const jsm = await jetstreamManager(sandbox.admin);
  await jsm.streams.add({ name: 'BENCH_EMPTY', subjects: ['bench.empty'] });
  await jsm.streams.add({ name: 'BENCH_EMPTY_CP', subjects: ['bench.empty.cp'] });
  const run = (workers: number, empty = false, stream?: string) =>
    timedVerify(
      sandbox,
      workers,
      empty ? { stream: 'BENCH_EMPTY', checkpointStream: 'BENCH_EMPTY_CP' } : stream ? { stream } : {},
    );
  // Start-up (spawning workers, rebuilding the registry in each) is paid once per run:
  // measured on an empty log, and kept apart from the per-entry rate.
  const startup = (await run(WORKERS, true)).seconds;
  const single = await run(0);
  const parallel = await run(WORKERS);
  const report = parallel.report;
  // The benchmark fills the log in a burst, so the writer stores ~a dozen records per
  // block; a year of real traffic (a notice every ~20 s on average) is mostly one record
  // per block. The same records, one per stream message, give the rate for that case.
  await jsm.streams.add({ name: 'BENCH_SINGLE', subjects: ['bench.single'] });
  for (let i = 0; i < records.length; i += 200)
    await Promise.all(records.slice(i, i + 200).map((r) => js.publish('bench.single', encodeBlock([r]))));
  const unbatched = await run(WORKERS, false, 'BENCH_SINGLE');
  const blocks = (await jsm.streams.info(AUDIT_STREAMS.log)).state.messages;

  const sample = records[Math.floor(records.length / 2)]!;
  const sha = await measure('sha256', () => createHash('sha256').update(sample).digest());
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const msg = new Uint8Array(200).fill(1);
  const sig = sign(null, msg, privateKey);
  const ed = await measure('ed25519 verify', () => verify(null, msg, publicKey, sig));
  const singleRate = single.steady;
  const rate = parallel.steady;
  const perNotice = report.entries / NOTICES;
  const best = rate >= singleRate ? parallel : single;
  // Checkpoints are checked after the replay; a year at the default of one checkpoint
  // per 100 entries (LIAISON_CHECKPOINT_EVERY) has 18 000 of them.
  const yearCheckpoints = (YEAR_NOTICES * perNotice) / 100;
  const perCheckpoint = best.tail / Math.max(report.checkpoints, 1);
  const year = (r: number) => startup + (YEAR_NOTICES * perNotice) / r + perCheckpoint * yearCheckpoints;
  const yearSeconds = year(Math.max(rate, singleRate));
  const yearUnbatched = year(Math.max(unbatched.steady, singleRate));
  const trickle = await trickleRate(WORKERS);
  const yearTrickle = year(trickle.rate);
  console.log(
    `\n## Audit verification: ${report.entries} entries from ${NOTICES} notices (${perNotice.toFixed(1)} entries per notice at fan-out ${recipients.length}; ${(NOTICES / signatures).toFixed(1)} submissions per gate signature)`,
  );
  console.table([
    {
      what: 'audit verify, one thread (replay, chain, tree, signatures, decisions)',
      'per second': Math.round(singleRate),
      unit: 'entries',
    },
    {
      what: `audit verify, ${WORKERS} worker threads (steady, after ${startup.toFixed(1)} s start-up), ${(report.entries / blocks).toFixed(1)} records per block`,
      'per second': Math.round(rate),
      unit: 'entries',
    },
    {
      what: `audit verify, ${WORKERS} worker threads (steady), one record per block`,
      'per second': Math.round(unbatched.steady),
      unit: 'entries',
    },
    {
      what: `audit verify, ${WORKERS} worker threads (steady), notices one at a time: one record per block, ${trickle.perSignature.toFixed(1)} submissions per gate signature (${trickle.entries} entries)`,
      'per second': Math.round(trickle.rate),
      unit: 'entries',
    },
    { what: 'raw SHA-256 of one record', 'per second': Math.round(sha.opsPerSec), unit: 'hashes' },
    { what: 'raw Ed25519 verify', 'per second': Math.round(ed.opsPerSec), unit: 'signatures' },
  ]);
  console.log(
    `verification (best) / Ed25519-verify rate: ${(Math.max(rate, singleRate) / ed.opsPerSec).toFixed(2)}x; each entry holds 2 signatures`,
  );
  console.log(`time for 100k entries: ${(100_000 / Math.max(rate, singleRate)).toFixed(1)} s`);
  console.log(
    `checkpoint checks after the replay: ${(best.tail * 1000).toFixed(0)} ms for ${report.checkpoints} checkpoints (${Math.round(yearCheckpoints).toLocaleString('en')} in the year below)`,
  );
  // Judged on the slowest case: a real year arrives a notice at a time (~one every 20 s),
  // so most records are alone in their block and most submissions alone under their
  // gate signature.
  const judged = Math.max(yearSeconds, yearUnbatched, yearTrickle);
  console.log(
    `a year of EU-scale traffic (${YEAR_NOTICES.toLocaleString('en')} notices ≈ ${Math.round(YEAR_NOTICES * perNotice).toLocaleString('en')} entries): ` +
      `${(yearSeconds / 60).toFixed(1)} min in blocks as filled here, ${(yearUnbatched / 60).toFixed(1)} min one record per block, ` +
      `${(yearTrickle / 60).toFixed(1)} min as notices arrive one at a time — ` +
      `${judged <= TARGET_SECONDS ? 'meets' : 'MISSES'} the 5-minute target`,
  );
}
