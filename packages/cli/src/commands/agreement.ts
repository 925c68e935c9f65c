import {
  approveProposal,
  endAgreement,
  type ProposeAgreementInput,
  proposeAgreement,
} from '@liaison/registry';
import { admin, CliError, type GlobalOptions, parseInstant, print, type Session } from '../context.js';

/** Parse → proposeAgreement → print. */
export async function agreementPropose(
  s: Session,
  g: GlobalOptions,
  o: Record<string, string | undefined>,
): Promise<void> {
  const store = await s.policy();
  const agreement = {
    partner: o.partner,
    level: o.level,
    validFrom: parseInstant(o.from, Date.now()),
    ...(o.to ? { validTo: parseInstant(o.to, 0) } : {}),
    ...(o['crime-areas'] ? { crimeAreas: o['crime-areas'].split(',') } : {}),
    legalBasis: o['legal-basis'],
  };
  const by = await admin(s, o.admin);
  const r = await proposeAgreement(store, by, { agreement } as ProposeAgreementInput);
  print(
    g,
    r,
    r.pending
      ? `proposed ${r.agreement.level} agreement with ${r.agreement.partner} (proposal ${r.proposalId}); a second administrator must run: liaison agreement approve ${r.proposalId}`
      : `agreement with ${r.agreement.partner} set to ${r.agreement.level} from ${new Date(r.agreement.validFrom).toISOString()} (narrowing takes effect at once)`,
  );
}

/** Parse → approveProposal → print. */
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
  const r = await approveProposal(store, by, { proposalId });
  print(g, r, `approved ${proposalId} (revision ${r.revision})`);
}

/** Parse → endAgreement → print. */
export async function agreementEnd(
  s: Session,
  g: GlobalOptions,
  o: Record<string, string | undefined>,
): Promise<void> {
  const store = await s.policy();
  if (!o.partner)
    throw new CliError('BAD_ARGUMENT', 'usage: liaison agreement end --partner <CC> [--at <time>]');
  const by = await admin(s, o.admin);
  const r = await endAgreement(store, by, { partner: o.partner, endedAt: parseInstant(o.at, Date.now()) });
  print(g, r, `agreement with ${r.partner} ends at ${new Date(r.endedAt).toISOString()}`);
}
