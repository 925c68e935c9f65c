// Audit verification rate (entries/s) next to the raw SHA-256 and Ed25519-verify
// rates measured in the same run, and the time to verify a year of EU-scale
// traffic (about 1.8 million notices) extrapolated from it.
import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { decodeRecord, encodeBlock, readRecords } from '@liaison/audit-log';
import { sealRecipientsOf } from '@liaison/client';
import { seal } from '@liaison/envelope';
import { exampleNotices } from '@liaison/fixtures';
import { Sandbox } from '@liaison/sandbox';
import { STREAMS, Subjects } from '@liaison/topology';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { measure } from './harness.js';

const t = new Subjects();

const NOTICES = Number(process.env.LIAISON_BENCH_AUDIT_NOTICES ?? 10000);
// Notices published one at a time for the trickle case (each waits for the previous one):
// enough for the second half of the replay to run on warm workers (~3 ms per notice to build).
const TRICKLE_NOTICES = Number(process.env.LIAISON_BENCH_AUDIT_TRICKLE ?? 12000);
const YEAR_NOTICES = 1_800_000;
const TARGET_SECONDS = 300;
// As `liaison audit verify` does on a large log: one worker thread per core.
const WORKERS = Number(process.env.LIAISON_BENCH_AUDIT_WORKERS ?? availableParallelism());

type Recipients = Awaited<ReturnType<typeof planFor>>;

/**
 * The benchmark publishes at-bmi's notices far faster than the gate's per-agency intake
 * limit (20/s, burst 100): with it, most of them would be one rate-limit summary entry
 * (measured: 1 500 notices published one at a time gave 185 entries). Off here.
 */
export const UNLIMITED_INTAKE = { intakeLimit: { ratePerSec: 1_000_000, burst: 1_000_000 } };

export async function planFor(sandbox: Sandbox) {
  const bmi = await sandbox.client('at-bmi');
  const plan = await bmi.plan(exampleNotices().borderAlert);
  return sealRecipientsOf(plan);
}

export async function publishOne(sandbox: Sandbox, recipients: Recipients): Promise<void> {
  const s = await seal({
    notice: exampleNotices().borderAlert,
    sender: sandbox.keys.get('at-bmi')!,
    recipients,
  });
  await jetstream(sandbox.admin).publish(t.intake('at-bmi'), s.bytes, { msgID: s.noticeId });
}

/** Waits for the audit log to take every batch, then signs a checkpoint; returns the gate-signature count. */
async function settledLog(sandbox: Sandbox): Promise<{ records: Uint8Array[]; signatures: number }> {
  await sandbox.auditSettled(600_000);
  await sandbox.auditLog!.checkpoint();
  const records: Uint8Array[] = [];
  for await (const { data } of readRecords(sandbox.admin, STREAMS.audit)) records.push(data);
  const signatures = new Set(
    records.map((r) => Buffer.from(decodeRecord(r).entry.grantSignature).toString('hex')),
  );
  return { records, signatures: signatures.size };
}

/**
 * Runs the auditor's replay (`Sandbox.verifyAudit`) and times it, start-up (spawning
 * the workers, rebuilding the registry in each) and JIT warm-up included. It reads as an
 * auditor does (decision 0014): as `eu-auditor`, from its own account, through the log
 * reader's batches — except the one-record-per-block copy (BENCH_SINGLE), a stream of the
 * bench's own that the log reader does not serve, read directly by the operator
 * (`LIAISON_BENCH_AUDIT_DIRECT=1` reads every log directly, to compare). Progress
 * comes after each chunk; the steady rate is the one over the run's second half of
 * records, when the workers are warm. The tail is what comes after the last chunk:
 * the checkpoint checks, which grow with the log.
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
    ...(streams.stream || process.env.LIAISON_BENCH_AUDIT_DIRECT ? {} : { as: 'eu-auditor' }),
    ...streams,
  });
  if (!report.ok) console.log('verification reported discrepancies:', report.discrepancies.slice(0, 3));
  const seconds = (performance.now() - start) / 1000;
  const b = marks.at(-1);
  const a = marks.find(([done]) => done >= report.entries / 2);
  // Too few chunks for a second half of its own (a small log): the whole run.
  const steady = a && b && b[1] > a[1] ? ((b[0] - a[0]) * 1000) / (b[1] - a[1]) : report.entries / seconds;
  const tail = b ? (performance.now() - b[1]) / 1000 : 0;
  return { report, seconds, steady, tail };
}

type Timed = Awaited<ReturnType<typeof timedVerify>>;

/**
 * A year's verification from a measured run: the run itself (start-up, warm-up and its
 * checkpoints included), the rest of the year's entries at the run's steady rate, and
 * the rest of the year's checkpoints (one per 100 entries, LIAISON_CHECKPOINT_EVERY) at
 * the time each took after the replay.
 */
function yearFrom(run: Timed, yearEntries: number, perCheckpoint: number): number {
  const entries = run.report.entries;
  const checkpoints = run.report.checkpoints;
  return (
    run.seconds +
    Math.max(yearEntries - entries, 0) / run.steady +
    perCheckpoint * Math.max(yearEntries / 100 - checkpoints, 0)
  );
}

/**
 * A year's log as real traffic writes it: notices arrive one at a time (on average one
 * every ~20 s), so the gate signs each submission's grants alone and the audit log
 * stores each record alone — two Ed25519 signatures to check per entry. Each notice is
 * published once the previous one has been handled. Returns the timed verification
 * with `workers` threads.
 */
async function trickleRun(workers: number): Promise<{ run: Timed; perSignature: number }> {
  let wake: () => void = () => undefined;
  await using sandbox = await Sandbox.start({ onOutcome: () => wake(), gateSettings: UNLIMITED_INTAKE });
  const recipients = await planFor(sandbox);
  for (let i = 0; i < TRICKLE_NOTICES; i++) {
    const handled = new Promise<void>((r) => {
      wake = r;
    });
    await publishOne(sandbox, recipients);
    await handled;
  }
  const { signatures } = await settledLog(sandbox);
  const run = await timedVerify(sandbox, workers);
  return { run, perSignature: run.report.entries / signatures };
}

export async function auditBench(): Promise<void> {
  let done = 0;
  let finished: () => void = () => undefined;
  const all = new Promise<void>((r) => {
    finished = r;
  });
  await using sandbox = await Sandbox.start({
    onOutcome: () => ++done === NOTICES && finished(),
    gateSettings: UNLIMITED_INTAKE,
  });
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
  const single = await timedVerify(sandbox, 0);
  const parallel = await timedVerify(sandbox, WORKERS);
  const report = parallel.report;
  // The benchmark fills the log in a burst, so the writer stores ~a dozen records per
  // block; a year of real traffic (a notice every ~20 s on average) is mostly one record
  // per block. The same records, one per stream message, give the rate for that case.
  await jsm.streams.add({ name: 'BENCH_SINGLE', subjects: ['bench.single'] });
  for (let i = 0; i < records.length; i += 200)
    await Promise.all(records.slice(i, i + 200).map((r) => js.publish('bench.single', encodeBlock([r]))));
  const unbatched = await timedVerify(sandbox, WORKERS, { stream: 'BENCH_SINGLE' });
  const blocks = (await jsm.streams.info(STREAMS.audit)).state.messages;
  const trickle = await trickleRun(WORKERS);

  const sample = records[Math.floor(records.length / 2)]!;
  const sha = await measure('sha256', () => createHash('sha256').update(sample).digest());
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const msg = new Uint8Array(200).fill(1);
  const sig = sign(null, msg, privateKey);
  const ed = await measure('ed25519 verify', () => verify(null, msg, publicKey, sig));
  const perNotice = report.entries / NOTICES;
  const yearEntries = YEAR_NOTICES * perNotice;
  // Checkpoints are checked after the replay, one per 100 entries by default.
  const perCheckpoint = parallel.tail / Math.max(report.checkpoints, 1);
  const year = (run: Timed) => yearFrom(run, yearEntries, perCheckpoint);
  const yearSeconds = Math.min(year(single), year(parallel));
  const yearUnbatched = Math.min(year(single), year(unbatched));
  const yearTrickle = year(trickle.run);
  const took = (run: Timed) => `${run.report.entries} entries in ${run.seconds.toFixed(1)} s`;
  console.log(
    `\n## Audit verification: ${report.entries} entries from ${NOTICES} notices (${perNotice.toFixed(1)} entries per notice at fan-out ${recipients.length}; ${(NOTICES / signatures).toFixed(1)} submissions per gate signature)`,
  );
  console.log(
    'Steady rates are over the second half of each run (warm workers); a year is the run itself (start-up and warm-up included) plus the rest at that rate.',
  );
  console.table([
    {
      what: `audit verify, one thread (replay, chain, tree, signatures, decisions; ${took(single)})`,
      'per second': Math.round(single.steady),
      unit: 'entries',
    },
    {
      what: `audit verify, ${WORKERS} worker threads, ${(report.entries / blocks).toFixed(1)} records per block (${took(parallel)})`,
      'per second': Math.round(parallel.steady),
      unit: 'entries',
    },
    {
      what: `audit verify, ${WORKERS} worker threads, one record per block (${took(unbatched)})`,
      'per second': Math.round(unbatched.steady),
      unit: 'entries',
    },
    {
      what: `audit verify, ${WORKERS} worker threads, notices one at a time: one record per block, ${trickle.perSignature.toFixed(1)} submissions per gate signature (${took(trickle.run)})`,
      'per second': Math.round(trickle.run.steady),
      unit: 'entries',
    },
    { what: 'raw SHA-256 of one record', 'per second': Math.round(sha.opsPerSec), unit: 'hashes' },
    { what: 'raw Ed25519 verify', 'per second': Math.round(ed.opsPerSec), unit: 'signatures' },
  ]);
  console.log(
    `verification, notices one at a time / Ed25519-verify rate: ${(trickle.run.steady / ed.opsPerSec).toFixed(2)}x; each such entry holds 2 signatures`,
  );
  console.log(
    `time for 100k entries (notices one at a time): ${(100_000 / trickle.run.steady).toFixed(1)} s`,
  );
  console.log(
    `checkpoint checks after the replay: ${(parallel.tail * 1000).toFixed(0)} ms for ${report.checkpoints} checkpoints (${Math.round(yearEntries / 100).toLocaleString('en')} in the year below)`,
  );
  // Judged on the slowest case: a real year arrives a notice at a time (~one every 20 s),
  // so most records are alone in their block and most submissions alone under their
  // gate signature.
  const judged = Math.max(yearSeconds, yearUnbatched, yearTrickle);
  console.log(
    `a year of EU-scale traffic (${YEAR_NOTICES.toLocaleString('en')} notices ≈ ${Math.round(yearEntries).toLocaleString('en')} entries): ` +
      `${(yearSeconds / 60).toFixed(1)} min in blocks as filled here, ${(yearUnbatched / 60).toFixed(1)} min one record per block, ` +
      `${(yearTrickle / 60).toFixed(1)} min as notices arrive one at a time — ` +
      `${judged <= TARGET_SECONDS ? 'meets' : 'MISSES'} the 5-minute target`,
  );
}
