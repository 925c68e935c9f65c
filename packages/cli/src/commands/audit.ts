import { readFileSync, writeFileSync } from 'node:fs';
import {
  auditHistory,
  latestCheckpoint,
  logKeyOf,
  openAuditorRegistry,
  proveNotice,
  verifyLog,
} from '@liaison/audit-log';
import type { PolicyStore } from '@liaison/registry';
import { CliError, DEFAULT_AUDITOR, type GlobalOptions, print, type Session } from '../context.js';

/** The registry as the auditor named by `--as` (default eu-auditor) reads it; NOT_AN_AUDITOR otherwise. */
function auditorRegistry(s: Session, o: Record<string, string | undefined>): Promise<PolicyStore> {
  return openAuditorRegistry(s.nc, {
    auditor: o.as ?? DEFAULT_AUDITOR,
    anchors: s.keys.anchors(),
    ...(s.source ? { source: s.source } : {}),
  });
}

function progressBar(done: number, total: number): void {
  if (!process.stderr.isTTY || total === 0) return;
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(
    `\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total}${done >= total ? '\n' : ''}`,
  );
}

/** A record index (as `verify` prints them) or an ISO 8601 time. */
function recordOrTime(flag: string, text: string): number | Date {
  if (/^\d+$/.test(text)) return Number(text);
  const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms))
    throw new CliError('BAD_ARGUMENT', `${flag} takes a record index or an ISO 8601 time, not "${text}"`);
  return new Date(ms);
}

function workerCount(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 64)
    throw new CliError('BAD_ARGUMENT', '--workers takes a whole number from 0 (no worker threads) to 64');
  return n;
}

function readSaved(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new CliError('BAD_FILE', `cannot read the saved checkpoint ${path}`, { cause: err });
  }
}

/** Parse → verifyLog → print; exit 1 on any finding (each with its code). */
export async function auditVerify(
  s: Session,
  g: GlobalOptions,
  o: Record<string, string | undefined>,
): Promise<number> {
  const options = {
    ...(o.from ? { from: recordOrTime('--from', o.from) } : {}),
    ...(o.to ? { to: recordOrTime('--to', o.to) } : {}),
    ...(o['since-checkpoint'] ? { since: readSaved(o['since-checkpoint']) } : {}),
    workers: o.workers === undefined ? ('auto' as const) : workerCount(o.workers),
    // Also: is each recorded delivery still in FEED, or erased as a signed erasure entry records?
    ...(o.content ? { content: true } : {}),
  };
  const store = await auditorRegistry(s, o);
  const logKey = logKeyOf(store.registry.current, o.log);
  // Asked of the writer before the read: the log the reader serves must cover it (decision 0014).
  const latest = await latestCheckpoint(s.nc, { logKey, timeoutMs: 3_000 }).then(
    (cp) => cp.note,
    () => undefined,
  );
  const report = await verifyLog({
    nc: s.nc,
    ...(latest ? { latest } : {}),
    ...(s.source ? { source: s.source } : {}),
    registry: store.registry,
    policyRejected: store.rejected,
    logKey,
    onProgress: progressBar,
    ...options,
  });
  const where = (d: { index: number; stream?: string }) =>
    d.index < 0 ? (d.stream ? `stream ${d.stream}` : 'log') : `record ${d.index}`;
  print(
    g,
    report,
    [
      `${report.ok ? 'OK' : 'FAILED'}: ${report.entries} entries, ${report.checkpoints} checkpoints, root ${report.root}`,
      ...(report.content
        ? [
            `  content: ${report.content.deliveries} deliveries recorded — ${report.content.present} held, ` +
              `${report.content.erased} erased at the end of their retention or on request (as recorded), ` +
              `${report.content.missing} missing`,
          ]
        : []),
      ...report.discrepancies.map((d) => `  ${where(d)}: ${d.code} — ${d.message}`),
      ...(latest
        ? []
        : [
            '  (the audit log did not answer for its latest checkpoint: checked against the stored ones only)',
          ]),
    ].join('\n'),
  );
  return report.ok ? 0 : 1;
}

/** Parse → proveNotice → print. */
export async function auditProve(
  s: Session,
  g: GlobalOptions,
  noticeId: string | undefined,
  o: Record<string, string | undefined>,
): Promise<number> {
  if (!noticeId) throw new CliError('BAD_ARGUMENT', 'usage: liaison audit prove <notice-id>');
  const store = await auditorRegistry(s, o);
  const r = await proveNotice(s.nc, {
    noticeId,
    logKey: logKeyOf(store.registry.current, o.log),
    ...(s.source ? { source: s.source } : {}),
  });
  print(
    g,
    r,
    [
      `${r.ok ? 'PROVEN' : 'NOT PROVEN'}: ${r.proofs.length} entries of ${noticeId} are in the log of ${r.checkpoint.size} entries (signed checkpoint, root ${r.checkpoint.root.slice(0, 16)}…)`,
      ...r.proofs.map(
        (p) =>
          `  #${p.index} ${p.kind}${p.recipient ? ` → ${p.recipient}` : ''}: ${p.ok ? 'included' : 'NOT INCLUDED'} (${p.path.length} hashes)` +
          (p.decisions.length ? `\n      decisions → ${p.decisions.join(', ')}` : ''),
      ),
    ].join('\n'),
  );
  return r.ok ? 0 : 1;
}

/** Parse → auditHistory → print. */
export async function auditHistoryCommand(
  s: Session,
  g: GlobalOptions,
  o: Record<string, string | undefined>,
): Promise<number> {
  await auditorRegistry(s, o);
  const rows = await auditHistory(s.source ?? s.nc, {
    ...(o.agency ? { agency: o.agency } : {}),
    ...(o.notice ? { notice: o.notice } : {}),
  });
  print(
    g,
    rows,
    rows
      .map(
        (r) =>
          `${r.at} ${r.event.padEnd(10)} ${r.notice} ${r.kind.padEnd(18)} ${r.from.padEnd(10)} → ${(r.to || '-').padEnd(11)} ${r.level.padEnd(11)} ${r.why}${r.revision ? ` @r${r.revision}` : ''}${r.overrides ? ` screening overridden: ${r.overrides}` : ''}`,
      )
      .join('\n') || 'no entries',
  );
  return 0;
}

/** Parse → latestCheckpoint → print (and save). */
export async function auditCheckpoint(
  s: Session,
  g: GlobalOptions,
  o: Record<string, string | undefined>,
): Promise<number> {
  const store = await auditorRegistry(s, o);
  const cp = await latestCheckpoint(s.nc, { logKey: logKeyOf(store.registry.current, o.log) });
  if (o.save) writeFileSync(o.save, cp.note);
  print(
    g,
    cp,
    `${cp.note}${o.save ? `(saved to ${o.save}; later: liaison audit verify --since-checkpoint ${o.save})` : ''}`,
  );
  return 0;
}
