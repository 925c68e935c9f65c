import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditStats, openAuditorRegistry } from '@liaison/audit-log';
import { type NoticeDraft, type NoticeRef, noticeRefOf } from '@liaison/client';
import type { SubmissionReceipt } from '@liaison/envelope';
import { privateDir, writePrivate } from '@liaison/identity';
import { CliError, DEFAULT_AUDITOR, type GlobalOptions, print, type Session } from '../context.js';
import { agencyClient } from './exchange.js';

// Conversations (docs/conversations.md): parse → call the SDK's conversation operation → print.

const list = (v: string | undefined) =>
  v
    ? v
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
    : undefined;

function readJson(path: string | undefined, what: string): Record<string, unknown> {
  if (!path) throw new CliError('BAD_ARGUMENT', `${what} file missing`);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (cause) {
    throw new CliError('BAD_FILE', `cannot read ${what} ${path}`, { cause });
  }
}

/** A notice saved by `feed tail --save` (what a reply answers, a forward forwards, a grant). */
const saved = (path: string | undefined, what = 'the saved notice'): NoticeRef =>
  noticeRefOf(readJson(path, what));
/** A draft: `{ kind, markings, body }` (a publish file's `notice`, or the notice itself). */
function draft(path: string | undefined): NoticeDraft {
  const file = readJson(path, 'the draft');
  return (file.notice ?? file) as NoticeDraft;
}

function printReceipt(g: GlobalOptions, r: SubmissionReceipt): void {
  print(
    g,
    r,
    [
      `accepted ${r.noticeId} (policy revision ${r.policyRevision})`,
      ...r.recipients.map((x) => `  ${x.recipient.padEnd(12)} ${x.level.padEnd(12)} ${x.layers.join(', ')}`),
      ...(r.refused ?? [])
        .filter((x) => !x.reasons.includes('NOT_IN_AUDIENCE'))
        .map((x) => `  ${x.recipient.padEnd(12)} ${'nothing'.padEnd(12)} ${x.reasons.join(', ')}`),
    ].join('\n'),
  );
}

type Opts = Record<string, string | undefined>;

/** `reply <saved.json> <draft.json> [--to a,b]`: to the provider unless --to says otherwise. */
export async function replyCommand(s: Session, g: GlobalOptions, args: string[], o: Opts): Promise<void> {
  const client = await agencyClient(s, o.as);
  try {
    const original = saved(args[0]);
    const to = list(o.to);
    printReceipt(
      g,
      await client.conversation.reply(original, draft(args[1]), to ? { recipients: to } : undefined),
    );
  } finally {
    await client.close();
  }
}

/** `forward <saved.json> <draft.json> --to a,b [--permission saved-grant.json]`. */
export async function forwardCommand(s: Session, g: GlobalOptions, args: string[], o: Opts): Promise<void> {
  const to = list(o.to);
  if (!to) throw new CliError('BAD_ARGUMENT', 'usage: liaison forward <saved.json> <draft.json> --to a,b');
  const client = await agencyClient(s, o.as);
  try {
    const permission = o.permission ? saved(o.permission, 'the saved permission') : undefined;
    printReceipt(
      g,
      await client.conversation.forward(
        saved(args[0]),
        draft(args[1]),
        { recipients: to },
        permission ? { permission } : {},
      ),
    );
  } finally {
    await client.close();
  }
}

/** `request <draft.json> --to a,b`: an information request (the deadline is signed in). */
export async function requestCommand(s: Session, g: GlobalOptions, args: string[], o: Opts): Promise<void> {
  const to = list(o.to);
  if (!to) throw new CliError('BAD_ARGUMENT', 'usage: liaison request <draft.json> --to <agency>');
  const client = await agencyClient(s, o.as);
  try {
    printReceipt(g, await client.conversation.request(draft(args[0]), to));
  } finally {
    await client.close();
  }
}

/** `answer <saved-request.json> <draft.json>`: information, refusal, partial or clarification. */
export async function answerCommand(s: Session, g: GlobalOptions, args: string[], o: Opts): Promise<void> {
  const client = await agencyClient(s, o.as);
  try {
    const { kind: _k, ...d } = draft(args[1]);
    printReceipt(g, await client.conversation.answer(saved(args[0], 'the saved request'), d));
  } finally {
    await client.close();
  }
}

/**
 * `permission request <saved.json> --to a,b [--markings file]`, `permission grant|refuse <saved-request.json>`
 * [--to a,b] [--until time]: onward dissemination, asked of and decided by the provider.
 */
export async function permissionCommand(s: Session, g: GlobalOptions, verb: string, args: string[], o: Opts) {
  const client = await agencyClient(s, o.as);
  try {
    const notice = saved(args[0]);
    if (verb === 'request') {
      const to = list(o.to);
      if (!to) throw new CliError('BAD_ARGUMENT', 'usage: liaison permission request <saved.json> --to a,b');
      const { inReplyTo: _r, reviewAt: _v, expiresAt: _e, ...markings } = notice.markings;
      printReceipt(g, await client.conversation.requestPermission(notice, to, markings));
    } else if (verb === 'grant' || verb === 'refuse') {
      const to = list(o.to);
      printReceipt(
        g,
        await client.conversation.decidePermission(notice, verb === 'grant' ? 'granted' : 'refused', {
          ...(to ? { recipients: to } : {}),
          ...(o.until ? { validUntil: new Date(o.until).toISOString() } : {}),
        }),
      );
    } else throw new CliError('BAD_ARGUMENT', 'usage: liaison permission request|grant|refuse <saved.json>');
  } finally {
    await client.close();
  }
}

/** `deadlines <request-id>`: the deadline service's signed reports on a request. */
export async function deadlinesCommand(s: Session, g: GlobalOptions, requestId: string | undefined, o: Opts) {
  if (!requestId) throw new CliError('BAD_ARGUMENT', 'usage: liaison deadlines <request-id> --as <agency>');
  const client = await agencyClient(s, o.as);
  try {
    const reports = await client.deadlineReports(requestId);
    print(
      g,
      reports,
      reports
        .map((r) => `${new Date(r.at).toISOString()} ${r.stage} due ${new Date(r.dueAt).toISOString()}`)
        .join('\n') || `no deadline reports for ${requestId}`,
    );
  } finally {
    await client.close();
  }
}

/** Writes a delivered notice for later replies and forwards (0600: it holds its content). */
export function saveNotice(dir: string, noticeId: string, json: Record<string, unknown>): string {
  privateDir(dir);
  const file = join(dir, `${noticeId}.json`);
  writePrivate(file, `${JSON.stringify(json, null, 2)}\n`);
  return file;
}

/** `audit stats [--agency id] [--from time] [--to time]`: Directive 2023/977 Art. 18 figures from the log. */
export async function auditStatsCommand(s: Session, g: GlobalOptions, o: Opts): Promise<number> {
  await openAuditorRegistry(s.nc, {
    auditor: o.as ?? DEFAULT_AUDITOR,
    anchors: s.keys.anchors(),
    ...(s.source ? { source: s.source } : {}),
  });
  const report = await auditStats(s.source ?? s.nc, {
    ...(o.agency ? { agency: o.agency } : {}),
    ...(o.from ? { from: o.from } : {}),
    ...(o.to ? { to: o.to } : {}),
  });
  const head = `requests ${report.requests}${report.from ? ` from ${report.from}` : ''}${report.to ? ` to ${report.to}` : ''} (as of ${report.at})`;
  const rows = report.agencies.map(
    (a) =>
      `${a.agency.padEnd(12)} sent ${a.sent.total} (urgent ${a.sent.urgent})  received ${a.received.total} (urgent ${a.received.urgent})  ` +
      `in time ${a.answered.inTime} late ${a.answered.late} overdue ${a.answered.overdue} open ${a.answered.open}  ` +
      `information ${a.byAnswer.information} partial ${a.byAnswer.partial} refusal ${a.byAnswer.refusal} clarifications ${a.clarifications}` +
      (Object.keys(a.refusalsByGround).length
        ? `  grounds ${Object.entries(a.refusalsByGround)
            .map(([k, v]) => `${k}=${v}`)
            .join(',')}`
        : ''),
  );
  print(g, report, [head, ...rows].join('\n'));
  return 0;
}
