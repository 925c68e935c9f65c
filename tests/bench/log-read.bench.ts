// How fast the logs can be read by an auditor (decision 0014), in one run on one server:
// JetStream directly (an ordered consumer: how the exchange's own services read, and how
// auditors read before they had accounts of their own), the log reader's batches from the
// auditor's own account (how `liaison audit verify` reads now), and JetStream's
// STREAM.MSG.GET one message per request, pipelined (the import that was not chosen).
// Messages are the size of a one-record audit block (a year of real traffic is mostly
// that); the year below is 2.2 million such messages (decision 0006's entries).
import { readFileSync } from 'node:fs';
import { directLog, type LogSource, remoteLog } from '@liaison/log-reader';
import { Sandbox } from '@liaison/sandbox';
import { jsApi, STREAMS, Subjects } from '@liaison/topology';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { planFor, publishOne, UNLIMITED_INTAKE } from './audit.bench.js';

const MESSAGES = Number(process.env.LIAISON_BENCH_LOG_READ_MESSAGES ?? 40_000);
// A one-record block of a submission with fan-out 5 (measured: ~1.9 KB; override to try others).
const SIZE = Number(process.env.LIAISON_BENCH_LOG_READ_SIZE ?? 1900);
const YEAR_MESSAGES = 2_200_000;
const MSG_GET_WINDOW = 128;

/** CPU seconds of a process (user + system) from /proc, for the server's share. */
function cpuOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function timed(server: number, read: () => Promise<number>) {
  const c0 = process.cpuUsage();
  const s0 = cpuOf(server);
  const t0 = performance.now();
  const n = await read();
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1e6 + (cpuOf(server) - s0);
  return { n, seconds, rate: n / seconds, cpuUsPerMessage: (cpu * 1e6) / n };
}

async function readAll(log: LogSource): Promise<number> {
  let n = 0;
  for await (const _ of log.messages(STREAMS.feed, 1)) n++;
  return n;
}

async function msgGetAll(nc: NatsConnection, last: number): Promise<number> {
  const enc = new TextEncoder();
  let next = 1;
  let n = 0;
  const one = async () => {
    while (next <= last) {
      const seq = next++;
      const r = await nc.request(jsApi.stream('MSG.GET', STREAMS.feed), enc.encode(JSON.stringify({ seq })), {
        timeout: 10_000,
      });
      Buffer.from(r.json<{ message: { data: string } }>().message.data, 'base64');
      n++;
    }
  };
  await Promise.all(Array.from({ length: MSG_GET_WINDOW }, one));
  return n;
}

export async function logReadBench(): Promise<void> {
  await using sandbox = await Sandbox.start({ gate: false, auditLog: false });
  const t = new Subjects();
  const js = jetstream(sandbox.admin);
  const body = new Uint8Array(SIZE).fill(7);
  for (let i = 0; i < MESSAGES; i += 500)
    await Promise.all(
      Array.from({ length: Math.min(500, MESSAGES - i) }, () =>
        js.publish(t.feed('bench', 'border-alert'), body),
      ),
    );
  const last = (await (await jetstreamManager(sandbox.admin)).streams.info(STREAMS.feed)).state.last_seq;
  const pid = sandbox.server.pid!;
  const auditor = await sandbox.connection('eu-auditor');
  const direct = await timed(pid, () => readAll(directLog(sandbox.admin)));
  const remote = await timed(pid, () => readAll(remoteLog(auditor)));
  const msgGet = await timed(pid, () => msgGetAll(sandbox.admin, last));
  const row = (what: string, r: Awaited<ReturnType<typeof timed>>) => ({
    what,
    'messages/s': Math.round(r.rate),
    'MB/s': +((r.rate * SIZE) / 1e6).toFixed(1),
    'CPU µs/message (client + server)': +r.cpuUsPerMessage.toFixed(1),
    'a year (s)': Math.round(YEAR_MESSAGES / r.rate),
    'a year (CPU s)': Math.round((YEAR_MESSAGES * r.cpuUsPerMessage) / 1e6),
  });
  console.log(
    `\n## Reading the log: ${MESSAGES} messages of ${SIZE} bytes; a year is ${YEAR_MESSAGES.toLocaleString('en')}`,
  );
  console.table([
    row('JetStream directly (ordered consumer, the exchange account)', direct),
    row('the log reader, from the auditor’s own account (batches ≤ 900 KiB)', remote),
    row(`STREAM.MSG.GET, one per request, ${MSG_GET_WINDOW} in flight`, msgGet),
  ]);
  console.log(`log reader / direct: ${(remote.rate / direct.rate).toFixed(2)}x`);
}

const VERIFY_NOTICES = Number(process.env.LIAISON_BENCH_LOG_READ_VERIFY_NOTICES ?? 1500);

/**
 * The same replay read two ways in one run: a log written as real traffic writes it
 * (notices one at a time: one record per block), verified with two worker threads as the
 * operator (JetStream directly) and as the auditor (the log reader).
 */
export async function verifyReadBench(): Promise<void> {
  let wake: () => void = () => undefined;
  // No intake rate limit: the bench publishes one notice every few milliseconds.
  await using sandbox = await Sandbox.start({ onOutcome: () => wake(), gateSettings: UNLIMITED_INTAKE });
  // As the audit benchmark writes its trickle log: sealed once planned (the plan
  // request's own limit), each published once the previous one is handled.
  const recipients = await planFor(sandbox);
  for (let i = 0; i < VERIFY_NOTICES; i++) {
    const handled = new Promise<void>((r) => {
      wake = r;
    });
    await publishOne(sandbox, recipients);
    await handled;
  }
  await sandbox.auditSettled(600_000);
  await sandbox.auditLog!.checkpoint();
  const run = async (as?: string) => {
    const t0 = performance.now();
    const r = await sandbox.verifyAudit({ workers: 2, ...(as ? { as } : {}) });
    return { entries: r.entries, ok: r.ok, seconds: (performance.now() - t0) / 1000 };
  };
  const rows = [];
  for (const round of [1, 2])
    for (const [what, as] of [
      ['operator, JetStream directly', undefined],
      ['eu-auditor, the log reader', 'eu-auditor'],
    ] as const) {
      const r = await run(as);
      rows.push({
        round,
        what,
        entries: r.entries,
        ok: r.ok,
        seconds: +r.seconds.toFixed(2),
        'entries/s': Math.round(r.entries / r.seconds),
      });
    }
  console.log(`\n## audit verify, 2 workers, ${VERIFY_NOTICES} notices published one at a time`);
  console.table(rows);
}
