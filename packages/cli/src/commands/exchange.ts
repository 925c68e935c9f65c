import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileSentJournal, LiaisonClient, savedNotice } from '@liaison/client';
import { toIssues } from '@liaison/core';
import { fromJwks, type PnrTransferRequest, PnrTransferSchema } from '@liaison/envelope';
import { NOTICE_KINDS, type NoticeKind } from '@liaison/notice';
import { CliError, type GlobalOptions, print, type Session } from '../context.js';
import { saveNotice } from './conversation.js';
import { readNoticeFile } from './policy.js';

/** The SDK client of the agency named by --as (or LIAISON_AGENCY), with keys from the key store. */
export async function agencyClient(s: Session, as: string | undefined): Promise<LiaisonClient> {
  const agency = as ?? process.env.LIAISON_AGENCY;
  if (!agency)
    throw new CliError(
      'NO_AGENCY',
      'act as which agency? --as <agency> (its keys are read from the key store)',
    );
  if (!s.keys.has('keys', agency))
    throw new CliError('NO_AGENCY', `no keys for ${agency} in ${s.keys.home}/keys`);
  const file = join(s.keys.home, 'gate.jwks.json');
  if (!existsSync(file)) throw new CliError('NO_GATE_KEY', `no gate key: ${file} is missing`);
  const jwks = JSON.parse(readFileSync(file, 'utf8')) as { gate?: string };
  const gateKeys = await fromJwks(jwks.gate ?? 'liaison-gate', jwks);
  const options = {
    keys: await s.keys.load('keys', agency),
    gateKeys,
    // What it sends is kept (metadata and markings, 0600) for `case show`.
    sentJournal: new FileSentJournal(join(s.keys.home, 'sent', agency)),
    ...(s.open ? { broker: 'open' as const } : {}),
  };
  // The agency's own connection (its own account): the session's, or one of its own.
  return s.identity === agency
    ? LiaisonClient.connect({ nc: s.nc, ...options })
    : LiaisonClient.open({ connection: s.connection(agency), ...options });
}

const list = (v: string | undefined) =>
  v
    ? v
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
    : undefined;

/**
 * PNR transfer justifications (Directive 2016/681 Art. 11) from a JSON file: one object
 * or an array, each { recipient, ground, originPiu?, consentReference?, dpoNotifiedAt, dpoReference }.
 */
function readPnrTransfers(path: string): PnrTransferRequest[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new CliError('BAD_FILE', `cannot read the PNR transfer justification ${path}`, { cause });
  }
  const all = PnrTransferSchema.array().safeParse(Array.isArray(parsed) ? parsed : [parsed]);
  if (!all.success)
    throw new CliError('BAD_FILE', `invalid PNR transfer justification in ${path}`, {
      issues: toIssues(all.error.issues),
    });
  return all.data;
}

export async function publish(
  s: Session,
  g: GlobalOptions,
  path: string | undefined,
  o: Record<string, string | undefined>,
): Promise<void> {
  if (!path)
    throw new CliError(
      'BAD_ARGUMENT',
      'usage: liaison publish <notice.json> --as <agency> [--to a,b] [--allow sel] [--deny sel] [--strategic-opt-in] [--pnr-transfer file.json]',
    );
  const file = readNoticeFile(path);
  const client = await agencyClient(s, o.as ?? file.sender);
  try {
    const audience = {
      ...file.audience,
      ...(o.to ? { recipients: list(o.to) } : {}),
      ...(o.allow ? { allow: list(o.allow) } : {}),
      ...(o.deny ? { deny: list(o.deny) } : {}),
      ...(o['pnr-transfer'] ? { pnrTransfers: readPnrTransfers(o['pnr-transfer']) } : {}),
    };
    const receipt = await client.publish(file.notice, audience, {
      strategicOptIn: Boolean(o['strategic-opt-in']),
    });
    print(
      g,
      receipt,
      [
        `accepted ${receipt.noticeId} (policy revision ${receipt.policyRevision})`,
        ...receipt.recipients.map(
          (r) => `  ${r.recipient.padEnd(12)} ${r.level.padEnd(12)} ${r.layers.join(', ')}`,
        ),
        ...(receipt.refused ?? []).map(
          (r) => `  ${r.recipient.padEnd(12)} ${'nothing'.padEnd(12)} ${r.reasons.join(', ')}`,
        ),
        ...(receipt.screeningOverrides?.length
          ? [`  screening overridden for: ${receipt.screeningOverrides.join(', ')}`]
          : []),
      ].join('\n'),
    );
  } finally {
    await client.close();
  }
}

export async function feedTail(
  s: Session,
  g: GlobalOptions,
  o: Record<string, string | undefined>,
): Promise<void> {
  if (o.kind && !(NOTICE_KINDS as readonly string[]).includes(o.kind)) {
    throw new CliError('BAD_ARGUMENT', `--kind is one of ${NOTICE_KINDS.join(', ')}`);
  }
  const client = await agencyClient(s, o.as);
  const limit = o.limit ? Number(o.limit) : Number.POSITIVE_INFINITY;
  const ctrl = new AbortController();
  const stop = () => ctrl.abort();
  process.once('SIGINT', stop);
  const idle = o['idle-ms'] ? Number(o['idle-ms']) : undefined;
  let timer = idle ? setTimeout(stop, idle) : undefined;
  let n = 0;
  try {
    for await (const item of client.feed({
      ...(o.kind ? { kind: o.kind as NoticeKind } : {}),
      signal: ctrl.signal,
    })) {
      const x = item.notice;
      print(
        g,
        x,
        `${x.createdAt.toISOString()} ${x.kind} from ${x.sender} [${x.level}] ${x.markings.handlingCode} ${x.markings.evaluation.source}${x.markings.evaluation.information}` +
          `${x.markings.tlp ? ` ${x.markings.tlp}` : ''} ${x.noticeId}\n${JSON.stringify(x.body, null, 2).replace(/^/gm, '  ')}`,
      );
      if (o.save) saveNotice(o.save, x.noticeId, savedNotice(x));
      await item.ack();
      if (++n >= limit) break;
      if (idle) {
        clearTimeout(timer);
        timer = setTimeout(stop, idle);
      }
    }
  } finally {
    clearTimeout(timer);
    process.removeListener('SIGINT', stop);
    ctrl.abort();
    await client.close();
  }
}

export async function receipts(
  s: Session,
  g: GlobalOptions,
  noticeId: string | undefined,
  o: Record<string, string | undefined>,
): Promise<void> {
  if (!noticeId) throw new CliError('BAD_ARGUMENT', 'usage: liaison receipts <notice-id> --as <agency>');
  const client = await agencyClient(s, o.as);
  try {
    const status = await client.receiptsFor(noticeId);
    print(
      g,
      status,
      status.length === 0
        ? `no receipts for ${noticeId}`
        : status
            .map(
              (r) =>
                `${r.recipient.padEnd(12)} ${r.level.padEnd(12)} ${r.readAt ? `read ${new Date(r.readAt).toISOString()}` : 'delivered'}`,
            )
            .join('\n'),
    );
  } finally {
    await client.close();
  }
}
