import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleNotices } from '@liaison/fixtures';
import { Sandbox } from '@liaison/sandbox';
import { STREAMS } from '@liaison/topology';
import { jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFeed, ServiceProcesses } from './helpers.js';

let sandbox: Sandbox;
const services = new ServiceProcesses(() => sandbox);

beforeAll(async () => {
  // The locked-down exchange (TLS, per-identity nkeys and permissions), without services.
  sandbox = await Sandbox.start({ gate: false, auditLog: false, logReader: false });
});
afterAll(async () => {
  await services.killAll();
  await sandbox?.dispose();
});

interface Service {
  process: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** A runner as its own process (through the shared helper), with its output kept. */
function runService(
  name: 'gate' | 'audit-log' | 'retention' | 'log-reader',
  env: Record<string, string> = {},
): Service {
  const child = services.start(name, { LIAISON_LOG_LEVEL: 'info', ...env }, 'pipe');
  let out = '';
  for (const stream of [child.stdout, child.stderr])
    stream?.on('data', (d) => {
      out += String(d);
    });
  return {
    process: child,
    output: () => out,
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
}

function strangerSeed(): string {
  sandbox.creds.seed('stranger');
  return sandbox.creds.file('stranger');
}

async function until(check: () => boolean, what: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('services as separate processes on the locked-down broker', () => {
  it('the gate, audit-log and log-reader runners join with their own nkey over TLS and carry the exchange end to end', async () => {
    const env = { LIAISON_CHECKPOINT_INTERVAL_MS: '500' };
    const gate = runService('gate', env);
    const log = runService('audit-log', env);
    await until(
      () => gate.output().includes('gate running') && log.output().includes('audit log started'),
      () => `${gate.output()}\n${log.output()}`,
    );

    const receipt = await (await sandbox.client('at-bmi')).publish(exampleNotices().borderAlert);
    expect(receipt.status).toBe('accepted');
    const [item] = await readFeed(await sandbox.client('us-cbp'), 1);
    expect(item?.notice.level).toBe('operational');
    expect(item?.notice.noticeId).toBe(receipt.noticeId);
    await sandbox.auditSettled();
    const report = await sandbox.verifyAudit();
    expect(report.discrepancies).toEqual([]);
    expect(report.entries).toBeGreaterThan(0);

    // The log reader's runner: the auditor, in its own account, verifies through it.
    const reader = runService('log-reader');
    await until(
      () => reader.output().includes('log reader running'),
      () => reader.output(),
    );
    const asAuditor = await sandbox.verifyAudit({ as: 'eu-auditor', content: true });
    expect(asAuditor.discrepancies).toEqual([]);
    // The same log as the operator reads it (a read receipt or checkpoint may land meanwhile).
    const after = await sandbox.verifyAudit();
    expect(asAuditor.entries).toBeGreaterThanOrEqual(report.entries);
    expect(asAuditor.entries).toBeLessThanOrEqual(after.entries);

    // All stop cleanly on SIGTERM.
    gate.process.kill('SIGTERM');
    log.process.kill('SIGTERM');
    reader.process.kill('SIGTERM');
    expect(await gate.exited).toBe(0);
    expect(await log.exited).toBe(0);
    expect(await reader.exited).toBe(0);
  });

  it('the retention runner joins as the retention identity, removes what is due, records it, and stops on SIGTERM', async () => {
    const env = { LIAISON_CHECKPOINT_INTERVAL_MS: '500' };
    const gate = runService('gate', env);
    const log = runService('audit-log', env);
    await until(
      () => gate.output().includes('gate running') && log.output().includes('audit log started'),
      () => `${gate.output()}\n${log.output()}`,
    );
    // A threat notice valid for a few seconds: its time in the exchange ends while we watch.
    const n = exampleNotices().threatNotice;
    const brief = {
      ...n,
      markings: { ...(n.markings as object), expiresAt: new Date(Date.now() + 4_000).toISOString() },
    };
    const receipt = await (await sandbox.client('eu-europol')).publish(brief, { recipients: ['de-bka'] });
    expect(receipt.status).toBe('accepted');
    const inFeed = async () =>
      (await (await jetstreamManager(sandbox.admin)).streams.info(STREAMS.feed)).state.messages;
    const before = await inFeed();
    expect(before).toBeGreaterThan(0);

    const retention = runService('retention', { LIAISON_RETENTION_INTERVAL_MS: '500' });
    await until(() => retention.output().includes('retention running'), retention.output);
    await until(() => retention.output().includes('feed swept'), retention.output, 20_000);
    expect(await inFeed()).toBe(before - 1);
    await sandbox.auditSettled();
    const report = await sandbox.verifyAudit({ content: true });
    expect(report.discrepancies).toEqual([]);
    expect(report.content?.erased).toBe(1);
    // Nothing personal or secret in its log: ids and counts only.
    expect(retention.output()).not.toMatch(/seed|SU[A-Z0-9]{50,}|BEGIN .*PRIVATE/);

    for (const s of [retention, gate, log]) s.process.kill('SIGTERM');
    expect(await retention.exited).toBe(0);
    expect(await gate.exited).toBe(0);
    expect(await log.exited).toBe(0);
  });

  it('a runner with no credentials for its identity fails with NO_CREDENTIALS instead of connecting anonymously', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'liaison-empty-home-'));
    try {
      const gate = runService('gate', { LIAISON_HOME: empty });
      expect(await gate.exited).not.toBe(0);
      expect(gate.output()).toMatch(/NO_CREDENTIALS/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('a runner whose nkey the broker does not know is refused (NOT_AUTHORIZED)', async () => {
    const gate = runService('gate', {
      // A well-formed nkey of its own, but not one the broker knows.
      LIAISON_NATS_NKEY_FILE: strangerSeed(),
    });
    expect(await gate.exited).not.toBe(0);
    expect(gate.output()).toMatch(/NOT_AUTHORIZED/);
  });
});
