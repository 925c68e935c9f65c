import type { KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import {
  decodeRecord,
  leafHash,
  type NoteKey,
  readRecords,
  verifyCheckpoint,
  verifyInclusion,
  verifyLog,
} from '@liaison/audit-log';
import { publicKeyObject } from '@liaison/envelope';
import { currentKey } from '@liaison/registry';
import { STREAMS, Subjects } from '@liaison/topology';
import {
  AuditEntryKind,
  type DeliveryGrant,
  DeliveryGrantSchema,
  fromBinary,
  NoticeHeaderSchema,
} from '@liaison/wire';
import { CliError, type GlobalOptions, print, type Session } from '../context.js';

const KIND_NAMES: Record<number, string> = {
  [AuditEntryKind.SUBMISSION]: 'submission',
  [AuditEntryKind.REJECTION]: 'rejection',
  [AuditEntryKind.READ]: 'read',
};

/** The log's checkpoint key, from the registry (the audit-log service's signing key). */
async function logKey(s: Session, id = 'liaison-audit-log'): Promise<NoteKey & { publicKey: KeyObject }> {
  const store = await s.policy();
  const rec = currentKey(store.registry.current, id, 'sig', Date.now());
  if (!rec) throw new CliError('NO_LOG_KEY', `the registry has no valid signing key for ${id}`);
  return {
    name: id,
    publicRaw: new Uint8Array(Buffer.from(String(rec.jwk.x), 'base64url')),
    publicKey: publicKeyObject(rec),
  };
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

export async function auditVerify(
  s: Session,
  g: GlobalOptions,
  o: Record<string, string | undefined>,
): Promise<number> {
  const store = await s.policy();
  const report = await verifyLog({
    nc: s.nc,
    registry: store.registry,
    logKey: await logKey(s, o.log),
    ...(o.from ? { from: recordOrTime('--from', o.from) } : {}),
    ...(o.to ? { to: recordOrTime('--to', o.to) } : {}),
    ...(o['since-checkpoint'] ? { since: readFileSync(o['since-checkpoint'], 'utf8') } : {}),
    onProgress: progressBar,
    workers: o.workers === undefined ? 'auto' : workerCount(o.workers),
  });
  print(
    g,
    report,
    [
      `${report.ok ? 'OK' : 'FAILED'}: ${report.entries} entries, ${report.checkpoints} checkpoints, root ${report.root}`,
      ...report.discrepancies.map((d) => `  record ${d.index}: ${d.code} — ${d.message}`),
    ].join('\n'),
  );
  return report.ok ? 0 : 1;
}

export async function auditProve(
  s: Session,
  g: GlobalOptions,
  noticeId: string | undefined,
  o: Record<string, string | undefined>,
): Promise<number> {
  if (!noticeId) throw new CliError('BAD_ARGUMENT', 'usage: liaison audit prove <notice-id>');
  const key = await logKey(s, o.log);
  const reply = await s.nc.request(
    new Subjects().auditInclusion,
    new TextEncoder().encode(JSON.stringify({ noticeId })),
    { timeout: 10_000 },
  );
  const answer = JSON.parse(reply.string()) as {
    error?: { code: string; message: string };
    checkpoint: string;
    proofs: { index: number; leaf: string; path: string[] }[];
  };
  if (answer.error) throw new CliError(answer.error.code, answer.error.message);
  const cp = verifyCheckpoint(answer.checkpoint, key, key.publicKey);
  const records = new Map<number, Uint8Array>();
  const wanted = new Set(answer.proofs.map((p) => p.index));
  let i = 0;
  for await (const { data } of readRecords(s.nc, STREAMS.audit)) {
    if (wanted.has(i)) records.set(i, data);
    if (++i > Math.max(...wanted)) break;
  }
  const results = answer.proofs.map((p) => {
    const record = records.get(p.index);
    const leaf = record ? leafHash(record) : new Uint8Array(32);
    const ok =
      !!record &&
      verifyInclusion(
        p.index,
        cp.size,
        leaf,
        p.path.map((h) => Buffer.from(h, 'hex')),
        cp.root,
      );
    const e = record ? decodeRecord(record).entry : undefined;
    return {
      index: p.index,
      ok,
      kind: e ? KIND_NAMES[e.kind] : 'missing',
      recipient: e?.recipient ?? '',
      decisions: e?.decisions.map((d) => `${d.recipient} (${d.level})`) ?? [],
      path: p.path,
    };
  });
  const ok = results.every((r) => r.ok);
  print(
    g,
    {
      noticeId,
      checkpoint: { origin: cp.origin, size: cp.size, root: Buffer.from(cp.root).toString('hex') },
      proofs: results,
      ok,
    },
    [
      `${ok ? 'PROVEN' : 'NOT PROVEN'}: ${results.length} entries of ${noticeId} are in the log of ${cp.size} entries (signed checkpoint, root ${Buffer.from(cp.root).toString('hex').slice(0, 16)}…)`,
      ...results.map(
        (r) =>
          `  #${r.index} ${r.kind}${r.recipient ? ` → ${r.recipient}` : ''}: ${r.ok ? 'included' : 'NOT INCLUDED'} (${r.path.length} hashes)` +
          (r.decisions.length ? `\n      decisions → ${r.decisions.join(', ')}` : ''),
      ),
    ].join('\n'),
  );
  return ok ? 0 : 1;
}

export async function auditHistory(
  s: Session,
  g: GlobalOptions,
  o: Record<string, string | undefined>,
): Promise<number> {
  const rows: Record<string, string>[] = [];
  const kinds = new Map<string, string>();
  for await (const { data } of readRecords(s.nc, STREAMS.audit)) {
    const { entry: e } = decodeRecord(data);
    if (e.kind === AuditEntryKind.SUBMISSION)
      kinds.set(e.noticeId, e.header.length ? noticeKindOf(e.header) : '');
    if (o.notice && e.noticeId !== o.notice) continue;
    const at = new Date(Number(e.atMs)).toISOString();
    const row = (event: string, to: string, level: string, why: string, revision = e.policyRevision) => {
      if (o.agency && e.sender !== o.agency && to !== o.agency) return;
      rows.push({
        at,
        event,
        notice: e.noticeId,
        kind: kinds.get(e.noticeId) ?? '',
        from: e.sender,
        to,
        level,
        why,
        revision: revision ? String(revision) : '',
      });
    };
    row(KIND_NAMES[e.kind] ?? String(e.kind), e.recipient, '', e.code, 0n);
    for (const d of e.decisions) row('decision', d.recipient, d.level, d.reasons.join(','));
    for (const d of e.deliveries) {
      const grant = d.grant.length ? grantOf(d.grant) : undefined;
      row('delivery', d.recipient, grant?.level ?? 'none', d.code || (grant?.grantedLayers.join('+') ?? ''));
    }
  }
  print(
    g,
    rows,
    rows
      .map(
        (r) =>
          `${r.at} ${r.event!.padEnd(10)} ${r.notice} ${r.kind!.padEnd(18)} ${r.from!.padEnd(10)} → ${(r.to || '-').padEnd(11)} ${(r.level || '').padEnd(11)} ${r.why}${r.revision ? ` @r${r.revision}` : ''}`,
      )
      .join('\n') || 'no entries',
  );
  return 0;
}

/** A delivery's grant (metadata only), or undefined when it cannot be decoded. */
function grantOf(bytes: Uint8Array): DeliveryGrant | undefined {
  try {
    return fromBinary(DeliveryGrantSchema, bytes);
  } catch {
    return undefined;
  }
}

/** The notice kind from the signed header in a submission entry (metadata only). */
function noticeKindOf(header: Uint8Array): string {
  try {
    return fromBinary(NoticeHeaderSchema, header).kind;
  } catch {
    return '';
  }
}

export async function auditCheckpoint(
  s: Session,
  g: GlobalOptions,
  o: Record<string, string | undefined>,
): Promise<number> {
  const key = await logKey(s, o.log);
  const reply = await s.nc.request(new Subjects().auditLatest, new Uint8Array(0), { timeout: 10_000 });
  const note = (JSON.parse(reply.string()) as { checkpoint: string }).checkpoint;
  const cp = verifyCheckpoint(note, key, key.publicKey);
  if (o.save) writeFileSync(o.save, note);
  print(
    g,
    { size: cp.size, root: Buffer.from(cp.root).toString('hex'), note },
    `${note}${o.save ? `(saved to ${o.save}; later: liaison audit verify --since-checkpoint ${o.save})` : ''}`,
  );
  return 0;
}
