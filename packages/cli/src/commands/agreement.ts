import { randomUUID } from 'node:crypto';
import { type Agreement, AgreementSchema, agreementAt } from '@liaison/registry';
import { admin, CliError, type GlobalOptions, parseInstant, print, type Session } from '../context.js';

export async function agreementPropose(
  s: Session,
  g: GlobalOptions,
  o: Record<string, string | undefined>,
): Promise<void> {
  const store = await s.policy();
  const candidate = {
    partner: o.partner,
    level: o.level,
    validFrom: parseInstant(o.from, Date.now()),
    ...(o.to ? { validTo: parseInstant(o.to, 0) } : {}),
    ...(o['crime-areas'] ? { crimeAreas: o['crime-areas'].split(',') } : {}),
    legalBasis: o['legal-basis'],
  };
  const parsed = AgreementSchema.safeParse(candidate);
  if (!parsed.success) {
    throw new CliError(
      'BAD_ARGUMENT',
      `invalid agreement: ${parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('; ')}`,
    );
  }
  const agreement: Agreement = parsed.data;
  const by = await admin(s, o.admin);
  const proposalId = randomUUID();
  await store.append(await store.registry.prepare('agreement-proposed', { proposalId, agreement }, by));
  const pending = store.registry.current.proposals.has(proposalId);
  print(
    g,
    { proposalId, pending, agreement },
    pending
      ? `proposed ${agreement.level} agreement with ${agreement.partner} (proposal ${proposalId}); a second administrator must run: liaison agreement approve ${proposalId}`
      : `agreement with ${agreement.partner} set to ${agreement.level} from ${new Date(agreement.validFrom).toISOString()} (narrowing takes effect at once)`,
  );
}

export async function agreementApprove(
  s: Session,
  g: GlobalOptions,
  proposalId: string | undefined,
  o: Record<string, string | undefined>,
): Promise<void> {
  const store = await s.policy();
  if (!proposalId)
    throw new CliError('BAD_ARGUMENT', 'usage: liaison agreement approve <proposal-id> --admin <id>');
  const by = await admin(s, o.admin);
  await store.append(await store.registry.prepare('agreement-approved', { proposalId }, by));
  print(
    g,
    { proposalId, revision: store.registry.current.revision },
    `approved ${proposalId} (revision ${store.registry.current.revision})`,
  );
}

export async function agreementEnd(
  s: Session,
  g: GlobalOptions,
  o: Record<string, string | undefined>,
): Promise<void> {
  const store = await s.policy();
  if (!o.partner)
    throw new CliError('BAD_ARGUMENT', 'usage: liaison agreement end --partner <CC> [--at <time>]');
  const endedAt = parseInstant(o.at, Date.now());
  if (!agreementAt(store.registry.current, o.partner, endedAt))
    throw new CliError('CONFLICT', `no agreement with ${o.partner} in force then`);
  const by = await admin(s, o.admin);
  await store.append(await store.registry.prepare('agreement-ended', { partner: o.partner, endedAt }, by));
  print(
    g,
    { partner: o.partner, endedAt },
    `agreement with ${o.partner} ends at ${new Date(endedAt).toISOString()}`,
  );
}
