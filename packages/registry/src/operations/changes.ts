import { z } from 'zod';
import { RegistryError } from '../errors.js';
import type { Change } from '../events.js';
import type { AdminIdentity } from '../seed.js';
import type { PolicyStore } from '../store.js';
import { parseInput } from './parse-input.js';

export const ApproveChangeInputSchema = z.object({ proposalId: z.uuid() }).strict();
export type ApproveChangeInput = z.input<typeof ApproveChangeInputSchema>;

/**
 * Approves a pending change (an agency registration, a widening update, new keys). The
 * registry refuses the proposer's own approval (FOUR_EYES_REQUIRED) and an unknown
 * proposal (UNKNOWN_PROPOSAL), and re-checks the change against the registry as it is now.
 */
export async function approveChange(
  store: PolicyStore,
  by: AdminIdentity,
  input: ApproveChangeInput,
): Promise<{ proposalId: string; change: Change; revision: number }> {
  const { proposalId } = parseInput(ApproveChangeInputSchema, input, 'approval');
  const pending = store.registry.current.changes.get(proposalId);
  if (!pending) throw new RegistryError('UNKNOWN_PROPOSAL', 'no pending change with that id');
  await store.append(await store.registry.prepare('change-approved', { proposalId }, by));
  return { proposalId, change: pending.change, revision: store.registry.current.revision };
}
