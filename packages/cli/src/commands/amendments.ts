import { readFileSync } from 'node:fs';
import type { LiaisonClient } from '@liaison/client';
import { toIssues } from '@liaison/core';
import {
  AMENDMENT_REASONS,
  type AmendmentReason,
  type SubmissionReceipt,
  SubmissionReceiptSchema,
} from '@liaison/envelope';
import { NOTICE_KINDS, type NoticeKind } from '@liaison/notice';
import { CliError, type GlobalOptions, print, type Session } from '../context.js';
import { agencyClient } from './exchange.js';
import { readNoticeFile } from './policy.js';

// The provider's side of LED Art. 16 (docs/lifecycle.md): rectify one of its notices,
// ask every recipient to erase it, and see who has confirmed. Each command parses,
// calls the SDK and prints; the gate checks the amendment against its delivery ledger.

const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

function reasonOf(o: Record<string, string | undefined>): AmendmentReason {
  const r = o.reason;
  if (!r || !(AMENDMENT_REASONS as readonly string[]).includes(r))
    throw new CliError('BAD_ARGUMENT', `--reason is one of ${AMENDMENT_REASONS.join(', ')}`);
  return r as AmendmentReason;
}

/**
 * The original's submission receipt: from a file (`publish --json` saved it; needed
 * once the receipts stream has aged it out) or from this agency's stored receipts,
 * verified against the gate's key.
 */
async function originalReceipt(
  client: LiaisonClient,
  noticeId: string,
  file: string | undefined,
): Promise<SubmissionReceipt> {
  if (!file) return client.receiptFor(noticeId, 5_000);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new CliError('BAD_FILE', `cannot read the receipt ${file}`, { cause });
  }
  const parsed = SubmissionReceiptSchema.safeParse(json);
  if (!parsed.success)
    throw new CliError('BAD_FILE', `not a submission receipt: ${file}`, {
      issues: toIssues(parsed.error.issues),
    });
  if (parsed.data.noticeId !== noticeId)
    throw new CliError(
      'BAD_ARGUMENT',
      `the receipt in ${file} is for another notice (${parsed.data.noticeId})`,
    );
  return parsed.data;
}

const recipientsLine = (r: SubmissionReceipt) =>
  r.recipients.map((x) => `  ${x.recipient.padEnd(12)} ${x.level.padEnd(12)} ${x.layers.join(', ') || '-'}`);

/** `liaison rectify <notice-id> <corrected.json> --reason r [--receipt file] [--strategic-opt-in]` */
export async function rectifyCommand(
  s: Session,
  g: GlobalOptions,
  args: string[],
  o: Record<string, string | undefined>,
): Promise<void> {
  const [noticeId, path] = args;
  if (!noticeId || !path)
    throw new CliError(
      'BAD_ARGUMENT',
      'usage: liaison rectify <notice-id> <corrected.json> --as <agency> --reason r [--receipt file] [--strategic-opt-in]',
    );
  const reason = reasonOf(o);
  const file = readNoticeFile(path);
  const client = await agencyClient(s, o.as ?? file.sender);
  try {
    const original = await originalReceipt(client, noticeId, o.receipt);
    const receipt = await client.rectify(original, file.notice, reason, {
      strategicOptIn: Boolean(o['strategic-opt-in']),
    });
    print(
      g,
      receipt,
      [
        `rectification ${receipt.noticeId} of ${noticeId} accepted (${reason})`,
        ...recipientsLine(receipt),
        ...(receipt.refused ?? []).map(
          (r) => `  ${r.recipient.padEnd(12)} not sent: ${r.reasons.join(', ')}`,
        ),
        `confirmations: liaison amendments ${receipt.noticeId}`,
      ].join('\n'),
    );
  } finally {
    await client.close();
  }
}

/** `liaison request-erasure <notice-id> --kind k --crime-areas a,b --reason r [--receipt file]` */
export async function requestErasureCommand(
  s: Session,
  g: GlobalOptions,
  noticeId: string | undefined,
  o: Record<string, string | undefined>,
): Promise<void> {
  if (!noticeId || !o.kind || !o['crime-areas'])
    throw new CliError(
      'BAD_ARGUMENT',
      'usage: liaison request-erasure <notice-id> --as <agency> --kind k --crime-areas a,b --reason r [--receipt file]',
    );
  if (!(NOTICE_KINDS as readonly string[]).includes(o.kind))
    throw new CliError('BAD_ARGUMENT', `--kind is one of ${NOTICE_KINDS.join(', ')}`);
  const reason = reasonOf(o);
  const client = await agencyClient(s, o.as);
  try {
    const original = await originalReceipt(client, noticeId, o.receipt);
    const receipt = await client.requestErasure(original, {
      kind: o.kind as NoticeKind,
      crimeAreas: list(o['crime-areas']),
      reason,
    });
    print(
      g,
      receipt,
      [
        `erasure request ${receipt.noticeId} for ${noticeId} accepted (${reason})`,
        ...recipientsLine(receipt),
        `confirmations: liaison amendments ${receipt.noticeId}`,
      ].join('\n'),
    );
  } finally {
    await client.close();
  }
}

/** `liaison amendments <amendment-id>`: who has confirmed applying it, and what they did. */
export async function amendmentsCommand(
  s: Session,
  g: GlobalOptions,
  amendmentId: string | undefined,
  o: Record<string, string | undefined>,
): Promise<void> {
  if (!amendmentId)
    throw new CliError('BAD_ARGUMENT', 'usage: liaison amendments <amendment-id> --as <agency>');
  const client = await agencyClient(s, o.as);
  try {
    const status = await client.amendmentStatus(amendmentId);
    const done = status.filter((r) => r.confirmed).length;
    print(
      g,
      status,
      status.length === 0
        ? `no receipts for ${amendmentId}`
        : [
            `${done} of ${status.length} recipients confirmed ${amendmentId}`,
            ...status.map(
              (r) =>
                `  ${r.recipient.padEnd(12)} ${r.confirmed ? `${(r.outcome ?? '').padEnd(10)} ${new Date(r.at ?? 0).toISOString()}` : 'not confirmed'}`,
            ),
          ].join('\n'),
    );
  } finally {
    await client.close();
  }
}
