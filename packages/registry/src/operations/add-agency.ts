import { z } from 'zod';
import { type Agency, AgencySchema } from '../model.js';
import type { AdminIdentity } from '../seed.js';
import type { PolicyStore } from '../store.js';
import { parseInput } from './parse-input.js';
import { PublicKeysSchema } from './public-keys.js';
import { registeredKids } from './registered-kids.js';

export const AddAgencyInputSchema = z.object({ agency: AgencySchema, keys: PublicKeysSchema }).strict();
export type AddAgencyInput = z.input<typeof AddAgencyInputSchema>;

export interface AddAgencyResult {
  agency: Agency;
  /** The kids (RFC 7638 thumbprints) the registry gave the two keys. */
  signing: string;
  encryption: string;
  revision: number;
}

/**
 * Adds an agency with the public keys it generated itself: three signed policy
 * events (agency-added, key-added ×2). Everything is validated before the first
 * event is written.
 *
 * @example
 * await addAgency(store, admin, { agency, keys: { signing: keySpec(k.signing), encryption: keySpec(k.encryption) } });
 */
export async function addAgency(
  store: PolicyStore,
  by: AdminIdentity,
  input: AddAgencyInput,
): Promise<AddAgencyResult> {
  const { agency, keys } = parseInput(AddAgencyInputSchema, input, 'agency');
  const append = async (jws: Promise<string>) => store.append(await jws);
  await append(store.registry.prepare('agency-added', { agency }, by));
  await append(store.registry.prepare('key-added', { agency: agency.id, key: keys.signing }, by));
  await append(store.registry.prepare('key-added', { agency: agency.id, key: keys.encryption }, by));
  const kids = registeredKids(store, agency.id, keys);
  return { agency, ...kids, revision: store.registry.current.revision };
}
