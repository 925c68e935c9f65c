import { randomUUID } from 'node:crypto';
import { thumbprint } from '@liaison/envelope';
import type { JWK } from 'jose';
import { z } from 'zod';
import { type Agency, AgencySchema } from '../model.js';
import type { AdminIdentity } from '../seed.js';
import type { PolicyStore } from '../store.js';
import { parseInput } from './parse-input.js';
import { PublicKeysSchema } from './public-keys.js';

export const AddAgencyInputSchema = z
  .object({ agency: AgencySchema, keys: PublicKeysSchema, proposalId: z.uuid().optional() })
  .strict();
export type AddAgencyInput = z.input<typeof AddAgencyInputSchema>;

export interface AddAgencyResult {
  agency: Agency;
  /** The pending change: a second administrator approves it (`approveChange`). */
  proposalId: string;
  pending: true;
  /** The kids (RFC 7638 thumbprints) the two keys will have. */
  signing: string;
  encryption: string;
  revision: number;
}

/**
 * Proposes registering an agency with the public keys it generated itself (one
 * `change-proposed` event). Registering an agency widens what it receives, so it takes
 * effect only when a second administrator approves it (four eyes). The registry checks
 * now that the agency's kind agrees with its country (INTEGRITY_VIOLATION) and that
 * neither the agency nor its keys exist.
 *
 * @example
 * const { proposalId } = await addAgency(store, admin1, { agency, keys: { signing: keySpec(k.signing), encryption: keySpec(k.encryption) } });
 * await approveChange(store, admin2, { proposalId });
 */
export async function addAgency(
  store: PolicyStore,
  by: AdminIdentity,
  input: AddAgencyInput,
): Promise<AddAgencyResult> {
  const { agency, keys, proposalId = randomUUID() } = parseInput(AddAgencyInputSchema, input, 'agency');
  const change = { type: 'agency-added' as const, agency, keys: [keys.signing, keys.encryption] };
  await store.append(await store.registry.prepare('change-proposed', { proposalId, change }, by));
  return {
    agency,
    proposalId,
    pending: true,
    signing: await thumbprint(keys.signing.jwk as JWK),
    encryption: await thumbprint(keys.encryption.jwk as JWK),
    revision: store.registry.current.revision,
  };
}
