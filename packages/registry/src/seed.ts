import { randomUUID } from 'node:crypto';
import type { AgencyKeys, KeyPair } from '@liaison/envelope';
import type { KeySpec } from './events.js';
import type { Agency, Agreement } from './model.js';
import { makeRegistrationRequest, verifyRegistrationRequest } from './operations/registration-request.js';
import type { Registry } from './registry.js';

export interface AdminIdentity {
  id: string;
  key: KeyPair;
}

export interface SeedInput {
  origin: string;
  /** At least two, so agreements can be raised with four eyes. */
  admins: readonly AdminIdentity[];
  agencies: readonly Agency[];
  /** Keys per agency id (the demo generates them on first run). */
  keys: ReadonlyMap<string, AgencyKeys>;
  agreements: readonly Agreement[];
  at?: number;
}

export function keySpec(pair: KeyPair): KeySpec {
  const spec: KeySpec = {
    jwk: { kty: 'OKP', crv: pair.record.jwk.crv as 'Ed25519' | 'X25519', x: String(pair.record.jwk.x) },
    notBefore: pair.record.notBefore,
  };
  if (pair.record.notAfter !== undefined) spec.notAfter = pair.record.notAfter;
  return spec;
}

/**
 * Writes a whole directory as signed policy events, in order: the registry with
 * its administrators, each agency with its public keys, and each agreement (agency
 * registrations and raised agreements proposed by the first administrator and
 * approved by the second).
 * `append` publishes (PolicyStore.append) or applies (Registry.apply) one event.
 */
export async function seedDirectory(
  registry: Registry,
  append: (jws: string) => Promise<unknown>,
  input: SeedInput,
): Promise<void> {
  const at = input.at ?? Date.now();
  const [first, second] = input.admins;
  if (!first || !second) throw new Error('seedDirectory needs two administrators');
  const step = async (jws: Promise<string>) => append(await jws);
  await step(
    registry.prepare(
      'registry-created',
      { origin: input.origin, administrators: input.admins.map((a) => ({ id: a.id, key: keySpec(a.key) })) },
      first,
      at,
    ),
  );
  // Each registration goes the way an agency's own does: a registration request signed
  // with the agency's new key (proof of possession, public keys only), checked, proposed
  // by one administrator and approved by the other (four eyes).
  for (const agency of input.agencies) {
    const keys = input.keys.get(agency.id);
    const proposalId = randomUUID();
    const request = keys
      ? await verifyRegistrationRequest(await makeRegistrationRequest(agency, keys, at), { now: at })
      : undefined;
    const change = {
      type: 'agency-added' as const,
      agency: request?.agency ?? agency,
      keys: request ? [request.keys.signing, request.keys.encryption] : [],
    };
    await step(registry.prepare('change-proposed', { proposalId, change }, first, at));
    await step(registry.prepare('change-approved', { proposalId }, second, at));
  }
  for (const agreement of input.agreements) {
    const proposalId = randomUUID();
    const before = registry.current.proposals.size;
    await step(registry.prepare('agreement-proposed', { proposalId, agreement }, first, at));
    if (registry.current.proposals.size > before) {
      await step(registry.prepare('agreement-approved', { proposalId }, second, at));
    }
  }
}
