// Audit verification rate (entries/s) next to the raw SHA-256 and Ed25519-verify
// rates measured in the same run, and the time to verify a year of EU-scale
// traffic (about 1.8 million notices) extrapolated from it.
import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import { AUDIT_STREAMS, readStream, verifyLog } from '@liaison/audit-log';
import { seal } from '@liaison/envelope';
import { exampleNotices } from '@liaison/notice';
import { AUDIT_LOG_ID, Sandbox } from '@liaison/sandbox';
import { jetstream } from '@nats-io/jetstream';
import { measure } from './harness.js';

const NOTICES = Number(process.env.LIAISON_BENCH_AUDIT_NOTICES ?? 5000);
const YEAR_NOTICES = 1_800_000;
const TARGET_SECONDS = 300;

export async function auditBench(): Promise<void> {
  let done = 0;
  let finished: () => void = () => undefined;
  const all = new Promise<void>((r) => {
    finished = r;
  });
  await using sandbox = await Sandbox.start({ onOutcome: () => ++done === NOTICES && finished() });
  const bmi = await sandbox.client('at-bmi');
  const plan = await bmi.plan(exampleNotices().borderAlert);
  const recipients = plan.map((r) => ({
    agency: r.agency,
    encryptionKey: r.encryptionKey!,
    layers: r.layers,
  }));
  const js = jetstream(sandbox.admin);
  // Publish in bounded batches: thousands of outstanding publishes would time out.
  let pending: Promise<unknown>[] = [];
  for (let i = 0; i < NOTICES; i++) {
    const s = await seal({
      notice: exampleNotices().borderAlert,
      sender: sandbox.keys.get('at-bmi')!,
      recipients,
    });
    pending.push(js.publish('liaison.intake.at-bmi', s.bytes, { msgID: s.noticeId }));
    if (pending.length >= 100) {
      await Promise.all(pending);
      pending = [];
    }
  }
  await Promise.all(pending);
  await all;
  await sandbox.auditSettled(600_000);
  await sandbox.auditLog!.checkpoint();
  await sandbox.store.refresh();

  const records: Uint8Array[] = [];
  for await (const { data } of readStream(sandbox.admin, AUDIT_STREAMS.log)) records.push(data);
  const k = sandbox.keys.get(AUDIT_LOG_ID)!.signing;
  const start = performance.now();
  const report = await verifyLog({
    nc: sandbox.admin,
    registry: sandbox.store.registry,
    logKey: { name: AUDIT_LOG_ID, publicRaw: k.publicRaw, publicKey: k.publicKey },
  });
  const seconds = (performance.now() - start) / 1000;
  if (!report.ok) console.log('verification reported discrepancies:', report.discrepancies.slice(0, 3));

  const sample = records[Math.floor(records.length / 2)]!;
  const sha = await measure('sha256', () => createHash('sha256').update(sample).digest());
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const msg = new Uint8Array(200).fill(1);
  const sig = sign(null, msg, privateKey);
  const ed = await measure('ed25519 verify', () => verify(null, msg, publicKey, sig));
  const rate = report.entries / seconds;
  const perNotice = report.entries / NOTICES;
  const yearSeconds = (YEAR_NOTICES * perNotice) / rate;
  console.log(
    `\n## Audit verification: ${report.entries} entries from ${NOTICES} notices (${perNotice.toFixed(1)} entries per notice at fan-out ${recipients.length})`,
  );
  console.table([
    {
      what: 'audit verify (replay, chain, tree, checkpoints, signatures, decisions)',
      'per second': Math.round(rate),
      unit: 'entries',
    },
    { what: 'raw SHA-256 of one record', 'per second': Math.round(sha.opsPerSec), unit: 'hashes' },
    { what: 'raw Ed25519 verify', 'per second': Math.round(ed.opsPerSec), unit: 'signatures' },
  ]);
  console.log(
    `verification / Ed25519-verify rate: ${(rate / ed.opsPerSec).toFixed(2)}x; verification / SHA-256 rate: ${(rate / sha.opsPerSec).toFixed(3)}x`,
  );
  console.log(`time for 100k entries: ${(100_000 / rate).toFixed(1)} s`);
  console.log(
    `a year of EU-scale traffic (${YEAR_NOTICES.toLocaleString('en')} notices ≈ ${Math.round(YEAR_NOTICES * perNotice).toLocaleString('en')} entries): ` +
      `${(yearSeconds / 60).toFixed(1)} min — ${yearSeconds <= TARGET_SECONDS ? 'meets' : 'MISSES'} the 5-minute target`,
  );
}
