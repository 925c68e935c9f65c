import { sealRecipientsOf } from '@liaison/client';
// Gate throughput (notices/s, deliveries/s at fan-out 5) next to a raw JetStream
// pipeline of the same shape (consume intake, publish 5 deliveries and 1 audit
// entry, ack; no crypto, no policy), and publish→opened latency at a fixed
// offered load next to the same for the raw pipeline. Same server, same run.
import { type AgencyKeys, seal } from '@liaison/envelope';
import { exampleNotices } from '@liaison/fixtures';
import { DEFAULT_EVIDENCE } from '@liaison/gate';
import type { Agency } from '@liaison/registry';
import { Sandbox } from '@liaison/sandbox';
import { Subjects } from '@liaison/topology';
import { AckPolicy, jetstream, jetstreamManager, RetentionPolicy } from '@nats-io/jetstream';
import { verdict } from './harness.js';

const t = new Subjects();
/** No writer runs here (it would compete for the same thread): the gate's lag bound is off. */
const NO_WRITER = { evidence: { ...DEFAULT_EVIDENCE, maxLagMs: 0, maxLagMessages: 0 } };

const M = 2000;
const FANOUT = 5;
const RATE = 200; // notices per second for the latency run
const LATENCY_SECONDS = 5;

const AGENCIES: Agency[] = [
  { id: 'at-bmi', name: 'sender', country: 'AT', kind: 'member-state-authority', roles: ['publisher'] },
  ...['de-bka', 'de-bpol', 'fi-raja', 'nl-piu', 'eu-europol'].map(
    (id): Agency => ({
      id,
      name: id,
      country: id.startsWith('eu') ? 'EU' : id.slice(0, 2).toUpperCase(),
      kind: id.startsWith('eu') ? 'eu-agency' : 'member-state-authority',
      roles: ['subscriber'],
    }),
  ),
];

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
}

async function sealMany(sandbox: Sandbox, n: number): Promise<{ id: string; bytes: Uint8Array }[]> {
  const sender = sandbox.keys.get('at-bmi') as AgencyKeys;
  const recipients = AGENCIES.slice(1).map((a) => ({
    agency: a.id,
    encryptionKey: sandbox.keys.get(a.id)!.encryption.record,
    layers: ['strategic', 'operational'] as const,
  }));
  const out = [];
  for (let i = 0; i < n; i++) {
    const s = await seal({
      notice: exampleNotices().borderAlert,
      sender,
      recipients: recipients.map((r) => ({ ...r, layers: [...r.layers] })),
    });
    out.push({ id: s.noticeId, bytes: s.bytes });
  }
  return out;
}

export async function gateThroughput(): Promise<{ seconds: number }> {
  let done = 0;
  let finished: () => void = () => undefined;
  const all = new Promise<void>((r) => {
    finished = r;
  });
  await using sandbox = await Sandbox.start({
    agencies: AGENCIES,
    agreements: [],
    gate: false,
    // The audit log's writer is a separate service; here it would compete for the same thread.
    auditLog: false,
    // Measures the gate's pipeline, not its per-agency rate limit.
    gateSettings: { intakeLimit: { ratePerSec: 0, burst: 1 }, ...NO_WRITER },
    onOutcome: () => ++done === M && finished(),
  });
  const envelopes = await sealMany(sandbox, M);
  const js = jetstream(sandbox.admin);
  await Promise.all(envelopes.map((e) => js.publish(t.intake('at-bmi'), e.bytes, { msgID: e.id })));
  const start = performance.now();
  await sandbox.startGate();
  await all;
  return { seconds: (performance.now() - start) / 1000 };
}

/** A sandbox with no gate and no audit log, and the raw pipeline's streams. */
async function rawSandbox(): Promise<Sandbox> {
  const sandbox = await Sandbox.start({ agencies: AGENCIES, agreements: [], gate: false, auditLog: false });
  await rawStreams(sandbox);
  return sandbox;
}

async function rawStreams(sandbox: Sandbox): Promise<void> {
  const jsm = await jetstreamManager(sandbox.admin);
  await jsm.streams.add({ name: 'RAW_IN', subjects: ['raw.in.*'], retention: RetentionPolicy.Workqueue });
  await jsm.streams.add({
    name: 'RAW_OUT',
    subjects: ['raw.feed.*.*', 'raw.audit.*'],
    duplicate_window: 600_000_000_000,
  });
  await jsm.consumers.add('RAW_IN', {
    durable_name: 'raw',
    ack_policy: AckPolicy.Explicit,
    max_ack_pending: 1024,
  });
}

/** The raw pipeline: same consumer settings and pipelining as the gate, no crypto, no policy. */
async function rawPipeline(sandbox: Sandbox, onDone?: () => void): Promise<() => Promise<void>> {
  const nc = await sandbox.connection('raw-worker');
  const js = jetstream(nc);
  const audit = new Uint8Array(1200).fill(3);
  const messages = await (await js.consumers.get('RAW_IN', 'raw')).consume({ max_messages: 256 });
  const inflight = new Set<Promise<void>>();
  const loop = (async () => {
    for await (const m of messages) {
      const p = (async () => {
        const id = m.headers?.get('Nats-Msg-Id') ?? String(m.seq);
        const publishes = [];
        for (let r = 0; r < FANOUT; r++)
          publishes.push(js.publish(`raw.feed.r${r}.border-alert`, m.data, { msgID: `${id}/${r}` }));
        publishes.push(js.publish('raw.audit.gate', audit, { msgID: `${id}/audit` }));
        await Promise.all(publishes);
        m.ack();
        onDone?.();
      })().finally(() => inflight.delete(p));
      inflight.add(p);
      if (inflight.size >= 32) await Promise.race(inflight);
    }
    await Promise.allSettled(inflight);
  })();
  return async () => {
    await messages.close();
    await loop;
  };
}

async function rawThroughput(payload: Uint8Array): Promise<{ seconds: number }> {
  await using sandbox = await rawSandbox();
  const js = jetstream(sandbox.admin);
  await Promise.all(
    Array.from({ length: M }, (_, i) => js.publish('raw.in.at-bmi', payload, { msgID: String(i) })),
  );
  let done = 0;
  let finished: () => void = () => undefined;
  const all = new Promise<void>((r) => {
    finished = r;
  });
  const start = performance.now();
  const stop = await rawPipeline(sandbox, () => ++done === M && finished());
  await all;
  const seconds = (performance.now() - start) / 1000;
  await stop();
  return { seconds };
}

export async function gateLatency(): Promise<number[]> {
  await using sandbox = await Sandbox.start({
    agencies: AGENCIES,
    agreements: [],
    auditLog: false,
    gateSettings: { intakeLimit: { ratePerSec: 0, burst: 1 }, ...NO_WRITER },
  });
  const bmi = await sandbox.client('at-bmi');
  const bka = await sandbox.client('de-bka');
  const plan = await bmi.plan(exampleNotices().borderAlert);
  const recipients = sealRecipientsOf(plan);
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const total = RATE * LATENCY_SECONDS;
  const ctrl = new AbortController();
  const reader = (async () => {
    const acks: Promise<void>[] = [];
    for await (const item of bka.feed({ signal: ctrl.signal })) {
      const t = sentAt.get(item.notice.noticeId);
      if (t !== undefined) latencies.push(performance.now() - t);
      // Acks (with their signed read receipts) go out in the background: the latency
      // measured is the exchange's, not that of a reader that waits for each ack.
      acks.push(item.ack());
      if (latencies.length >= total) break;
    }
    await Promise.all(acks);
  })();
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const s = await seal({
      notice: exampleNotices().borderAlert,
      sender: sandbox.keys.get('at-bmi')!,
      recipients,
    });
    sentAt.set(s.noticeId, performance.now());
    await bmi.publishRaw(s.bytes, s.noticeId);
  }
  const timeout = setTimeout(() => ctrl.abort(), 30_000);
  await reader;
  clearTimeout(timeout);
  ctrl.abort();
  return latencies;
}

async function rawLatency(payload: Uint8Array): Promise<number[]> {
  await using sandbox = await rawSandbox();
  const stop = await rawPipeline(sandbox);
  const nc = await sandbox.connection('raw-reader');
  const js = jetstream(nc);
  const total = RATE * LATENCY_SECONDS;
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const consumer = await js.consumers.get('RAW_OUT', { filter_subjects: 'raw.feed.r0.*' });
  const messages = await consumer.consume();
  const reader = (async () => {
    for await (const m of messages) {
      const id = m.headers?.get('Nats-Msg-Id')?.split('/')[0] ?? '';
      const t = sentAt.get(id);
      if (t !== undefined) latencies.push(performance.now() - t);
      if (latencies.length >= total) break;
    }
  })();
  const pub = jetstream(sandbox.admin);
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    sentAt.set(String(i), performance.now());
    await pub.publish('raw.in.at-bmi', payload, { msgID: String(i) });
  }
  await reader;
  await messages.close();
  await stop();
  return latencies;
}

export async function gateBench(): Promise<void> {
  const payload = await (async () => {
    await using s = await Sandbox.start({ agencies: AGENCIES, agreements: [], gate: false });
    return (await sealMany(s, 1))[0]!.bytes;
  })();
  const raw = await rawThroughput(payload);
  const gate = await gateThroughput();
  const rawRate = M / raw.seconds;
  const gateRate = M / gate.seconds;
  console.log(`\n## Gate throughput: ${M} queued notices, fan-out ${FANOUT}`);
  console.table([
    {
      pipeline: 'raw JetStream (consume, 5 deliveries + 1 audit, ack)',
      'notices/s': Math.round(rawRate),
      'deliveries/s': Math.round(rawRate * FANOUT),
    },
    {
      pipeline: 'Liaison gate (verify, decide, restrict, countersign, deliver, audit, receipt)',
      'notices/s': Math.round(gateRate),
      'deliveries/s': Math.round(gateRate * FANOUT),
    },
  ]);
  console.log(`gate / raw throughput: ${verdict(gateRate / rawRate, 0.7, false)}`);

  const rl = await rawLatency(payload);
  const gl = await gateLatency();
  console.log(
    `\n## Latency at ${RATE} notices/s for ${LATENCY_SECONDS} s (publish → received; gate: → opened and verified by the recipient)`,
  );
  console.table([
    {
      pipeline: 'raw JetStream',
      p50_ms: percentile(rl, 50).toFixed(2),
      p99_ms: percentile(rl, 99).toFixed(2),
      samples: rl.length,
    },
    {
      pipeline: 'Liaison gate',
      p50_ms: percentile(gl, 50).toFixed(2),
      p99_ms: percentile(gl, 99).toFixed(2),
      samples: gl.length,
    },
  ]);
}
