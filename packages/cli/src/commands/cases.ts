import { readFileSync } from 'node:fs';
import { type AuditCaseThread, auditCase, openAuditorRegistry } from '@liaison/audit-log';
import {
  type CaseItem,
  type CaseThread,
  caseThread,
  HitResponder,
  loadHitRecords,
  noticeRefOf,
} from '@liaison/client';
import type { SubmissionReceipt } from '@liaison/envelope';
import { HitIdentifierSchema } from '@liaison/notice';
import { z } from 'zod';
import { CliError, DEFAULT_AUDITOR, type GlobalOptions, print, type Session } from '../context.js';
import { agencyClient } from './exchange.js';

// Cases and two-step hit / no-hit (issue 17, docs/conversations.md, docs/decisions/0015):
// parse → call the SDK's or the auditor's operation → print.

type Opts = Record<string, string | undefined>;

function readJson(path: string | undefined, what: string): unknown {
  if (!path) throw new CliError('BAD_ARGUMENT', `${what} file missing`);
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new CliError('BAD_FILE', `cannot read ${what} ${path}`, { cause });
  }
}

const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** What a signed header says of a conversation step, in a few words. */
function termsLine(t: CaseItem['terms']): string {
  const parts: string[] = [];
  if (t.dueAtMs) parts.push(`due ${new Date(t.dueAtMs).toISOString()}`);
  if (t.answer)
    parts.push(`${t.answer.outcome}${t.answer.refusalGround ? ` (${t.answer.refusalGround})` : ''}`);
  if (t.permission)
    parts.push(`permission ${t.permission.decision} for ${t.permission.recipients.join(',')}`);
  if (t.hit) parts.push(t.hit.result);
  if (t.confirmation)
    parts.push(`match confirmed by ${t.confirmation.confirmedBy} at ${t.confirmation.confirmedAt}`);
  return parts.join('; ');
}

const linkOf = (i: { relation?: string; answers?: string; permission?: string }) =>
  i.relation ? ` ${i.relation} to ${i.answers}${i.permission ? ` with grant ${i.permission}` : ''}` : '';

function agencyView(t: CaseThread): string {
  const rows = t.items.map((i) => {
    const who =
      i.direction === 'sent'
        ? `→ ${(i.recipients ?? []).map((r) => `${r.recipient}(${r.level}${r.read ? ', read' : ''})`).join(' ')}`
        : `from ${i.sender} [${i.level}]`;
    const terms = termsLine(i.terms);
    return `${i.createdAt} ${i.direction.padEnd(8)} ${i.kind.padEnd(19)} ${i.noticeId} ${who}${linkOf(i)}${terms ? `\n    ${terms}` : ''}`;
  });
  const unseen = t.unseen.length ? [`named but not seen by ${t.agency}: ${t.unseen.join(', ')}`] : [];
  return [`case ${t.reference} as ${t.agency} sees it: ${t.items.length} notices`, ...rows, ...unseen].join(
    '\n',
  );
}

function auditorView(t: AuditCaseThread): string {
  const rows = t.items.map((i) => {
    const to = i.delivered.map((d) => `${d.recipient}(${d.level})`).join(' ');
    const read = i.read.length ? `; read by ${i.read.map((r) => r.recipient).join(',')}` : '';
    const esc = i.escalations.length
      ? `; ${i.escalations.map((e) => `${e.stage}→${e.recipient}`).join(',')}`
      : '';
    const terms = termsLine(i.terms);
    return `#${i.index} ${i.at} ${i.kind.padEnd(19)} ${i.noticeId} ${i.sender} → ${to}${linkOf(i)}${read}${esc}${terms ? `\n    ${terms}` : ''}`;
  });
  return [
    `case of ${t.notice} from the audit log (linked by provenance): ${t.items.length} notices`,
    ...rows,
  ].join('\n');
}

/**
 * `case show <reference> --as <agency> [--from time]`: the thread as the agency may see it;
 * `case show --notice <id> [--as <auditor>]`: the auditor's thread from the log.
 */
export async function caseShow(
  s: Session,
  g: GlobalOptions,
  ref: string | undefined,
  o: Opts,
): Promise<void> {
  if (o.notice) {
    await openAuditorRegistry(s.nc, {
      auditor: o.as ?? DEFAULT_AUDITOR,
      anchors: s.keys.anchors(),
      ...(s.source ? { source: s.source } : {}),
    });
    const thread = await auditCase(s.source ?? s.nc, { notice: o.notice });
    print(g, thread, auditorView(thread));
    return;
  }
  if (!ref)
    throw new CliError('BAD_ARGUMENT', 'usage: liaison case show <reference> --as <agency> | --notice <id>');
  const client = await agencyClient(s, o.as);
  try {
    const thread = await caseThread(client, ref, o.from ? { since: new Date(o.from) } : {});
    print(g, thread, agencyView(thread));
  } finally {
    await client.close();
  }
}

const QueryFileSchema = z
  .object({
    identifier: HitIdentifierSchema,
    offences: z.array(z.string()).min(1),
    purpose: z.string(),
    markings: z.record(z.string(), z.unknown()),
  })
  .strict();

function receiptLine(r: SubmissionReceipt): string {
  return [
    `accepted ${r.noticeId} (policy revision ${r.policyRevision})`,
    ...r.recipients.map((x) => `  ${x.recipient.padEnd(12)} ${x.level}`),
  ].join('\n');
}

/**
 * `hits query <query.json> --to a,b`, `hits answer <saved-query.json> hit|no-hit [--reference r]`,
 * `hits follow-up <saved-hit.json> <draft.json> --confirmed-by <officer>`,
 * `hits respond --records file [--limit N]`: the two steps, and the reference responder.
 */
export async function hitsCommand(s: Session, g: GlobalOptions, verb: string, args: string[], o: Opts) {
  const client = await agencyClient(s, o.as);
  try {
    if (verb === 'query') {
      const parsed = QueryFileSchema.safeParse(readJson(args[0], 'the query'));
      if (!parsed.success)
        throw new CliError('BAD_FILE', 'the query file is not {identifier, offences, purpose, markings}');
      const to = list(o.to);
      if (to.length === 0)
        throw new CliError('BAD_ARGUMENT', 'usage: liaison hits query <query.json> --to a,b');
      const r = await client.hits.query(parsed.data, to);
      print(g, r, receiptLine(r));
      return;
    }
    if (verb === 'answer') {
      const result = args[1] === 'hit' ? 'hit' : args[1] === 'no-hit' ? 'no-hit' : undefined;
      if (!result)
        throw new CliError('BAD_ARGUMENT', 'usage: liaison hits answer <saved-query.json> hit|no-hit');
      const query = noticeRefOf(readJson(args[0], 'the saved query') as Record<string, unknown>);
      const r = await client.hits.answer(query, result, o.reference);
      print(g, r, receiptLine(r));
      return;
    }
    if (verb === 'follow-up') {
      if (!o['confirmed-by'])
        throw new CliError(
          'BAD_ARGUMENT',
          'a person confirms the match first: --confirmed-by <officer reference>',
        );
      const hit = noticeRefOf(readJson(args[0], 'the saved hit') as Record<string, unknown>);
      const file = readJson(args[1], 'the draft') as { notice?: unknown };
      const { kind: _k, ...draft } = (file.notice ?? file) as {
        kind?: string;
        markings: Record<string, unknown>;
        body: Record<string, unknown>;
      };
      const r = await client.hits.followUp(hit, draft, { confirmedBy: o['confirmed-by'] });
      print(g, r, receiptLine(r));
      return;
    }
    if (verb === 'respond') {
      await respond(client, g, loadHitRecords(o.records ?? ''), o.limit ? Number(o.limit) : undefined);
      return;
    }
    throw new CliError('BAD_ARGUMENT', 'usage: liaison hits query|answer|follow-up|respond');
  } finally {
    await client.close();
  }
}

async function respond(
  client: Awaited<ReturnType<typeof agencyClient>>,
  g: GlobalOptions,
  records: ReturnType<typeof loadHitRecords>,
  limit: number | undefined,
): Promise<void> {
  const ctrl = new AbortController();
  const stop = () => ctrl.abort();
  process.once('SIGINT', stop);
  let n = 0;
  try {
    await new HitResponder(client, records).run({
      signal: ctrl.signal,
      onAnswer: (a) => {
        print(g, a, `${new Date().toISOString()} ${a.query} from ${a.from}: ${a.result}`);
        if (limit !== undefined && ++n >= limit) ctrl.abort();
      },
    });
  } finally {
    process.removeListener('SIGINT', stop);
  }
}
