import type { ChildProcess } from 'node:child_process';
import { exampleNotices } from '@liaison/fixtures';
import { freePort } from '@liaison/launcher';
import { Sandbox } from '@liaison/sandbox';
import { DURABLES, STREAMS } from '@liaison/topology';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFeed, ServiceProcesses } from './helpers.js';

// The gate and the audit-log writer as processes on the locked-down broker, each with
// its metrics port: scraped while notices flow, while the writer is stopped (the gate
// fails closed and says so) and after it is back; what they print and expose is
// searched for the notices' personal data.

let sandbox: Sandbox;
const services = new ServiceProcesses(() => sandbox);

beforeAll(async () => {
  sandbox = await Sandbox.start({ gate: false, auditLog: false });
});
afterAll(async () => {
  await services.killAll();
  await sandbox?.dispose();
});

interface Running {
  process: ChildProcess;
  url: string;
  output(): string;
  exited: Promise<number | null>;
}

async function runService(name: 'gate' | 'audit-log', env: Record<string, string> = {}): Promise<Running> {
  const port = await freePort();
  const child = services.start(
    name,
    { LIAISON_LOG_LEVEL: 'debug', LIAISON_METRICS_PORT: String(port), ...env },
    'pipe',
  );
  let out = '';
  for (const stream of [child.stdout, child.stderr])
    stream?.on('data', (d) => {
      out += String(d);
    });
  return {
    process: child,
    url: `http://127.0.0.1:${port}`,
    output: () => out,
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
}

async function get(url: string): Promise<{ status: number; text: string }> {
  try {
    const r = await fetch(url);
    return { status: r.status, text: await r.text() };
  } catch {
    return { status: 0, text: '' };
  }
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The samples of a Prometheus text exposition: name, labels, value. */
function samples(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  const out = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/);
    if (!m) throw new Error(`not a sample: ${line}`);
    const labels = Object.fromEntries(
      [...(m[2] ?? '').matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]),
    );
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

async function metric(url: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const found = samples((await get(`${url}/metrics`)).text).find(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  return found?.value ?? Number.NaN;
}

const ready = async (s: Running) => (await get(`${s.url}/readyz`)).status === 200;

describe('metrics and probes of the services as processes', () => {
  it('are scraped while traffic flows, show the gate failing closed, and carry no personal data', async () => {
    // A tight lag bound, so that a stopped writer closes the evidence guard within seconds.
    const gateEnv = { LIAISON_AUDIT_MAX_LAG_MS: '1500', LIAISON_AUDIT_CHECK_MS: '250' };
    const gate = await runService('gate', gateEnv);
    let log = await runService('audit-log', { LIAISON_CHECKPOINT_INTERVAL_MS: '500' });
    await until(async () => (await get(`${gate.url}/healthz`)).status === 200, 'gate alive');
    await until(async () => (await ready(gate)) && (await ready(log)), 'both ready');

    const ex = exampleNotices();
    const bmi = await sandbox.client('at-bmi');
    const scrapes: string[] = [];
    for (const notice of [ex.borderAlert, ex.passengerDataHit, ex.borderAlert]) {
      expect((await bmi.publish(notice)).status).toBe('accepted');
      scrapes.push((await get(`${gate.url}/metrics`)).text, (await get(`${log.url}/metrics`)).text);
    }
    await bmi.publishRaw(new TextEncoder().encode('Petrova 382914756 is not an envelope'));
    await readFeed(await sandbox.client('de-bka'), 3);
    await sandbox.auditSettled();

    // The gate: outcomes by code, deliveries, its consumers, the evidence guard open.
    await until(
      async () => (await metric(gate.url, 'liaison_gate_submissions_total', { code: 'MALFORMED' })) === 1,
      'the malformed submission counted',
    );
    expect(
      await metric(gate.url, 'liaison_gate_submissions_total', { outcome: 'accepted', code: 'ACCEPTED' }),
    ).toBe(3);
    expect(await metric(gate.url, 'liaison_gate_deliveries_total')).toBeGreaterThanOrEqual(3);
    expect(await metric(gate.url, 'liaison_gate_evidence_open')).toBe(1);
    expect(await metric(gate.url, 'liaison_nats_connected')).toBe(1);
    expect(await metric(gate.url, 'liaison_nats_reconnects_total')).toBe(0);
    const intake = { stream: STREAMS.intake, durable: DURABLES.gate };
    expect(await metric(gate.url, 'liaison_consumer_pending', intake)).toBe(0);
    expect(await metric(gate.url, 'liaison_consumer_ack_pending', intake)).toBe(0);
    expect(
      await metric(gate.url, 'liaison_stream_messages', { stream: STREAMS.auditIn }),
    ).toBeGreaterThanOrEqual(0);
    const gateReady = JSON.parse((await get(`${gate.url}/readyz`)).text);
    expect(gateReady).toEqual({
      ready: true,
      checks: { connected: true, started: true, streams: true, evidence: true },
    });

    // The writer: the log's size, its lag, the newest checkpoint.
    expect(await metric(log.url, 'liaison_audit_log_entries')).toBeGreaterThanOrEqual(4);
    expect(await metric(log.url, 'liaison_audit_log_lag_messages')).toBe(0);
    await until(
      async () => (await metric(log.url, 'liaison_audit_log_uncheckpointed_entries')) === 0,
      'a checkpoint over every entry',
    );
    expect(await metric(log.url, 'liaison_audit_checkpoint_age_seconds')).toBeLessThan(60);
    const auditIn = { stream: STREAMS.auditIn, durable: DURABLES.auditLog };
    expect(await metric(log.url, 'liaison_consumer_pending', auditIn)).toBe(0);
    expect(await metric(log.url, 'liaison_stream_bytes', { stream: STREAMS.audit })).toBeGreaterThan(0);

    // The writer stops: the next notice's batch waits in AUDIT_IN, the guard closes
    // (AUDIT_LAG), the gate is no longer ready and says why.
    scrapes.push((await get(`${log.url}/metrics`)).text);
    log.process.kill('SIGTERM');
    expect(await log.exited).toBe(0);
    expect((await bmi.publish(ex.borderAlert)).status).toBe('accepted');
    await until(async () => !(await ready(gate)), 'the gate not ready while evidence cannot be written');
    const held = JSON.parse((await get(`${gate.url}/readyz`)).text);
    expect(held.checks).toMatchObject({ connected: true, evidence: false });
    expect(await metric(gate.url, 'liaison_gate_evidence_open')).toBe(0);
    expect(await metric(gate.url, 'liaison_gate_evidence_closed', { reason: 'AUDIT_LAG' })).toBe(1);
    expect(await metric(gate.url, 'liaison_gate_evidence_closures_total')).toBe(1);
    expect(await metric(gate.url, 'liaison_gate_audit_lag_messages')).toBeGreaterThanOrEqual(1);
    scrapes.push((await get(`${gate.url}/metrics`)).text);

    // Back: the writer takes the batch, the guard reopens by itself.
    log = await runService('audit-log', { LIAISON_CHECKPOINT_INTERVAL_MS: '500' });
    await until(async () => (await ready(log)) && (await ready(gate)), 'both ready again');
    expect(await metric(gate.url, 'liaison_gate_evidence_closed', { reason: 'AUDIT_LAG' })).toBe(0);
    scrapes.push((await get(`${gate.url}/metrics`)).text, (await get(`${log.url}/metrics`)).text);

    // No personal data, in what they printed (debug level) nor in what they exposed.
    const everything = [gate.output(), log.output(), ...scrapes].join('\n');
    for (const secret of ['Petrova', 'PETROVA', '382914756', '1988-04-17', 'de Vries', 'QX7T2M', 'NXR4KD7P2'])
      expect(everything, secret).not.toContain(secret);
    // Labels: what they are named and what they hold is bounded (ids, codes, names of streams).
    const labelNames = new Set(scrapes.flatMap((t) => samples(t).flatMap((s) => Object.keys(s.labels))));
    for (const l of labelNames)
      expect([
        'service',
        'instance',
        'outcome',
        'code',
        'stream',
        'durable',
        'reason',
        'version',
        'major',
        'minor',
        'patch',
        'kind',
        'space',
        'type',
        'le',
      ]).toContain(l);
    const values = scrapes.flatMap((t) => samples(t).flatMap((s) => Object.values(s.labels)));
    for (const v of values) expect(v).toMatch(/^[A-Za-z0-9_.+-]*$/);

    gate.process.kill('SIGTERM');
    log.process.kill('SIGTERM');
    expect(await gate.exited).toBe(0);
    expect(await log.exited).toBe(0);
  }, 120_000);

  it('a port already taken stops the runner with a coded error', async () => {
    const first = await runService('audit-log');
    await until(async () => ready(first), 'first writer ready');
    const port = new URL(first.url).port;
    const second = await runService('audit-log', { LIAISON_METRICS_PORT: port });
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain('METRICS_PORT_UNAVAILABLE');
    first.process.kill('SIGTERM');
    expect(await first.exited).toBe(0);
  });
});
