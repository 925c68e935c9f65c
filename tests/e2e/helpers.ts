import { type ChildProcess, spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { decodeRecord, readRecords } from '@liaison/audit-log';
import type { FeedItem, LiaisonClient } from '@liaison/client';
import type { Sandbox } from '@liaison/sandbox';
import { STREAMS } from '@liaison/topology';
import { AuditEntryKind } from '@liaison/wire';
import type { NatsConnection } from '@nats-io/transport-node';

/** Reads `count` items from an agency's feed (or fails after `timeoutMs`), acking each. */
export async function readFeed(
  client: LiaisonClient,
  count: number,
  timeoutMs = 10_000,
  ack = true,
): Promise<FeedItem[]> {
  const items: FeedItem[] = [];
  if (count === 0) return items;
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeoutMs);
  try {
    for await (const item of client.feed({ signal: ctrl.signal })) {
      items.push(item);
      if (ack) await item.ack();
      if (items.length >= count) break;
    }
  } finally {
    clearTimeout(timer);
    ctrl.abort();
  }
  return items;
}

/** Reads (and acks) an agency's feed until an item matches, or fails after `timeoutMs`. */
export async function readUntil(
  client: LiaisonClient,
  match: (i: FeedItem) => boolean,
  timeoutMs = 10_000,
): Promise<FeedItem> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeoutMs);
  try {
    for await (const item of client.feed({ signal: ctrl.signal })) {
      await item.ack();
      if (match(item)) return item;
    }
  } finally {
    clearTimeout(timer);
    ctrl.abort();
  }
  throw new Error('no matching item in the feed');
}

/** Runs the `liaison` CLI in-process against a sandbox, capturing what it prints. */
export function cliRunner(sandbox: { url: string; home: string }, main: (argv: string[]) => Promise<number>) {
  return async (...args: string[]): Promise<{ code: number; out: string; err: string }> => {
    const { vi } = await import('vitest');
    const out: string[] = [];
    const err: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
    const error = vi.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.join(' ')));
    try {
      const code = await main([...args, '--server', sandbox.url, '--home', sandbox.home]);
      return { code, out: out.join('\n'), err: err.join('\n') };
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
  };
}

/** A log destination that keeps every line, for tests that look at what was logged. */
export function memorySink(): { lines: string[]; sink: Writable } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, sink };
}

/** Service runners (`services/<name>/src/main.ts`) started as processes against a sandbox. */
export class ServiceProcesses {
  private readonly children: ChildProcess[] = [];

  constructor(private readonly sandbox: () => Sandbox) {}

  /** Starts a service's runner as its own process, configured only through its environment. */
  start(
    name: 'gate' | 'audit-log' | 'retention' | 'log-reader',
    env: Record<string, string> = {},
    output: 'ignore' | 'pipe' = 'ignore',
  ): ChildProcess {
    const sandbox = this.sandbox();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=source', `services/${name}/src/main.ts`],
      {
        cwd: fileURLToPath(new URL('../../', import.meta.url)),
        env: {
          ...process.env,
          LIAISON_NATS_URL: sandbox.url,
          LIAISON_HOME: sandbox.home,
          ...(sandbox.caFile ? { LIAISON_NATS_CA: sandbox.caFile } : {}),
          LIAISON_LOG_LEVEL: 'warn',
          ...env,
        },
        stdio: ['ignore', output, output === 'pipe' ? 'pipe' : 'inherit'],
      },
    );
    this.children.push(child);
    return child;
  }

  /** Kills every process started here (SIGKILL) and waits until they are gone. */
  async killAll(): Promise<void> {
    for (const c of this.children) c.kill('SIGKILL');
    await Promise.all(this.children.map(exited));
  }
}

/**
 * CPU pressure, as on a loaded machine: `procs` busy-looping child processes, each of
 * which ends by itself after `ms` (bounded even if the test dies). `stop()` kills them by
 * PID and waits until they are gone.
 */
export function cpuPressure(ms: number, procs = 2): { stop(): Promise<void> } {
  const children = Array.from({ length: procs }, () =>
    spawn(process.execPath, ['-e', `const end = Date.now() + ${ms}; while (Date.now() < end) {}`], {
      stdio: 'ignore',
    }),
  );
  return {
    async stop() {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      await Promise.all(children.map(exited));
    },
  };
}

/** Resolves when the process has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((r) => child.once('exit', () => r()));
}

/** How many SUBMISSION entries the log holds per notice id; fails if its records are not numbered 0, 1, 2… */
export async function submissionCounts(
  nc: NatsConnection,
): Promise<{ counts: Map<string, number>; records: number }> {
  const counts = new Map<string, number>();
  let records = 0;
  for await (const { data } of readRecords(nc, STREAMS.audit)) {
    const { record, entry } = decodeRecord(data);
    if (Number(record.index) !== records++)
      throw new Error(`record ${records - 1} says it is ${record.index}`);
    if (entry.kind === AuditEntryKind.SUBMISSION)
      counts.set(entry.noticeId, (counts.get(entry.noticeId) ?? 0) + 1);
  }
  return { counts, records };
}
