import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { RegistryError } from '../errors.js';
import { type Agreement, AgreementSchema } from '../model.js';
import type { AdminIdentity } from '../seed.js';
import { agreementAt } from '../snapshot.js';
import type { PolicyStore } from '../store.js';
import { parseInput } from './parse-input.js';

export const ProposeAgreementInputSchema = z
  .object({ agreement: AgreementSchema, proposalId: z.uuid().optional() })
  .strict();
export type ProposeAgreementInput = z.input<typeof ProposeAgreementInputSchema>;

export interface ProposeAgreementResult {
  proposalId: string;
  /** True when it raises the level: a second administrator must approve it (four eyes). */
  pending: boolean;
  agreement: Agreement;
  revision: number;
}

/** Proposes an agreement; one that narrows takes effect at once, one that raises waits for approval. */
export async function proposeAgreement(
  store: PolicyStore,
  by: AdminIdentity,
  input: ProposeAgreementInput,
): Promise<ProposeAgreementResult> {
  const { agreement, proposalId = randomUUID() } = parseInput(
    ProposeAgreementInputSchema,
    input,
    'agreement',
  );
  await store.append(await store.registry.prepare('agreement-proposed', { proposalId, agreement }, by));
  return {
    proposalId,
    pending: store.registry.current.proposals.has(proposalId),
    agreement,
    revision: store.registry.current.revision,
  };
}

export const ApproveProposalInputSchema = z.object({ proposalId: z.uuid() }).strict();
export type ApproveProposalInput = z.input<typeof ApproveProposalInputSchema>;

/**
 * Approves a pending proposal. The registry refuses the proposer's own approval
 * (FOUR_EYES_REQUIRED) and an unknown proposal (UNKNOWN_PROPOSAL).
 */
export async function approveProposal(
  store: PolicyStore,
  by: AdminIdentity,
  input: ApproveProposalInput,
): Promise<{ proposalId: string; agreement?: Agreement; revision: number }> {
  const { proposalId } = parseInput(ApproveProposalInputSchema, input, 'approval');
  const proposal = store.registry.current.proposals.get(proposalId);
  await store.append(await store.registry.prepare('agreement-approved', { proposalId }, by));
  return {
    proposalId,
    ...(proposal ? { agreement: proposal.agreement } : {}),
    revision: store.registry.current.revision,
  };
}

export const EndAgreementInputSchema = z
  .object({ partner: z.string().regex(/^[A-Z]{2}$/), endedAt: z.number().int().optional() })
  .strict();
export type EndAgreementInput = z.input<typeof EndAgreementInputSchema>;

/** Ends the agreement with a partner at an instant (default now); CONFLICT when none is in force then. */
export async function endAgreement(
  store: PolicyStore,
  by: AdminIdentity,
  input: EndAgreementInput,
): Promise<{ partner: string; endedAt: number; revision: number }> {
  const parsed = parseInput(EndAgreementInputSchema, input, 'agreement end');
  const endedAt = parsed.endedAt ?? Date.now();
  if (!agreementAt(store.registry.current, parsed.partner, endedAt))
    throw new RegistryError('CONFLICT', `no agreement with ${parsed.partner} in force then`);
  await store.append(
    await store.registry.prepare('agreement-ended', { partner: parsed.partner, endedAt }, by),
  );
  return { partner: parsed.partner, endedAt, revision: store.registry.current.revision };
}
