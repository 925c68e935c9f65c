import { readFileSync } from 'node:fs';
import { AudienceRequestSchema } from '@liaison/envelope';
import { type LayerName, validateNotice } from '@liaison/notice';
import { decide, explain, noticeFacts } from '@liaison/policy';
import { activeAdmins, type PolicyStore, type RegistrySnapshot } from '@liaison/registry';
import { z } from 'zod';
import { CliError, type GlobalOptions, print, type Session } from '../context.js';

function snapshotFor(store: PolicyStore, at: string | undefined): RegistrySnapshot {
  if (at === undefined) return store.registry.current;
  if (/^\d+$/.test(at)) return store.registry.at(Number(at));
  const t = Date.parse(at);
  if (Number.isNaN(t))
    throw new CliError('BAD_ARGUMENT', `--at takes a revision number or an ISO time, not ${at}`);
  return store.registry.atTime(t);
}

export async function policyShow(
  s: Session,
  g: GlobalOptions,
  o: Record<string, string | undefined>,
): Promise<void> {
  const snap = snapshotFor(await s.policy(), o.at);
  const when = snap.at || Date.now();
  const agreements = [...snap.agreements.values()].flatMap((history) =>
    history.map((a) => ({
      ...a,
      inForce: a.validFrom <= when && (a.validTo === undefined || when < a.validTo),
    })),
  );
  const lines = [
    `registry ${snap.origin} at revision ${snap.revision} (${new Date(snap.at).toISOString()}), head ${snap.head.slice(0, 16)}…`,
    `administrators: ${activeAdmins(snap)
      .map((a) => a.id)
      .join(', ')}`,
    `agencies: ${snap.agencies.size}`,
    'agreements:',
    ...agreements.map(
      (a) =>
        `  ${a.partner} ${a.level.padEnd(11)} ${new Date(a.validFrom).toISOString().slice(0, 10)} … ${a.validTo ? new Date(a.validTo).toISOString().slice(0, 10) : 'open'}` +
        `${a.crimeAreas ? ` scope: ${a.crimeAreas.join(', ')}` : ''}${a.inForce ? '  (in force)' : ''} — ${a.legalBasis}`,
    ),
    ...[...snap.proposals.values()].map(
      (p) => `pending: ${p.id} ${p.agreement.partner} → ${p.agreement.level}, proposed by ${p.proposedBy}`,
    ),
  ];
  print(
    g,
    { revision: snap.revision, head: snap.head, agreements, proposals: [...snap.proposals.values()] },
    lines.join('\n'),
  );
}

const NoticeFileSchema = z.object({
  sender: z.string().optional(),
  audience: AudienceRequestSchema.optional(),
  notice: z.unknown(),
});

/** Reads a notice file: `{ "sender"?, "audience"?, "notice": { kind, markings, body } }` or a bare notice. */
export function readNoticeFile(path: string) {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new CliError('BAD_FILE', `cannot read ${path}: ${(err as Error).message}`);
  }
  const wrapped = NoticeFileSchema.safeParse(json);
  return wrapped.success && wrapped.data.notice !== undefined ? wrapped.data : { notice: json };
}

export async function policyExplain(
  s: Session,
  g: GlobalOptions,
  o: Record<string, string | undefined>,
): Promise<void> {
  const store = await s.policy();
  if (!o.notice || !o.to)
    throw new CliError(
      'BAD_ARGUMENT',
      'usage: liaison policy explain --notice <file> --to <agency> [--from <agency>]',
    );
  const file = readNoticeFile(o.notice);
  const sender = o.from ?? file.sender ?? process.env.LIAISON_AGENCY;
  if (!sender) throw new CliError('BAD_ARGUMENT', 'who sends it? --from <agency> (or "sender" in the file)');
  const now = Date.now();
  const notice = validateNotice(file.notice, new Date(now));
  const layers = (['strategic', 'operational'] as LayerName[]).filter((l) => notice.layers[l] !== undefined);
  const facts = noticeFacts({
    sender,
    kind: notice.kind,
    createdAt: now,
    markings: notice.markings,
    layers,
    personalData: notice.personalData,
    audience: file.audience ?? {},
  });
  const decision = decide(facts, o.to, store.registry.current, now);
  print(g, decision, explain(decision, facts));
}
