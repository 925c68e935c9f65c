import { randomUUID } from 'node:crypto';
import { thumbprint } from '@liaison/envelope';
import type { JWK } from 'jose';
import { z } from 'zod';
import { RegistryError } from '../errors.js';
import { AgencyIdSchema } from '../model.js';
import type { AdminIdentity } from '../seed.js';
import { currentKey } from '../snapshot.js';
import type { PolicyStore } from '../store.js';
import { parseInput } from './parse-input.js';
import { PublicKeysSchema } from './public-keys.js';

export const RotateKeysInputSchema = z
  .object({
    agency: AgencyIdSchema,
    keys: PublicKeysSchema,
    /** How long the old keys stay valid for what is in flight (ms, default 5 minutes). */
    graceMs: z.number().int().min(0).default(300_000),
    /** When the rotation happens (ms since epoch, default now). */
    at: z.number().int().optional(),
  })
  .strict();
export type RotateKeysInput = z.input<typeof RotateKeysInputSchema>;

export interface RotateKeysResult {
  agency: string;
  /** The pending change: new keys count only once a second administrator approves it. */
  proposalId: string;
  pending: true;
  /** The kids (RFC 7638 thumbprints) the new keys will have. */
  signing: string;
  encryption: string;
  /** The keys that were current, and until when they will stay valid. */
  retired: { kid: string; notAfter: number }[];
  revision: number;
}

async function kidsOf(keys: { signing: { jwk: object }; encryption: { jwk: object } }) {
  return {
    signing: await thumbprint(keys.signing.jwk as JWK),
    encryption: await thumbprint(keys.encryption.jwk as JWK),
  };
}

function requireAgency(store: PolicyStore, agency: string): void {
  if (!store.registry.current.agencies.has(agency))
    throw new RegistryError('UNKNOWN_AGENCY', `unknown agency ${agency}`);
}

/**
 * Proposes an agency's new public keys, retiring its current ones after a grace
 * period from the approval on (one `change-proposed`; four eyes: a second
 * administrator approves with `approveChange`).
 */
export async function rotateKeys(
  store: PolicyStore,
  by: AdminIdentity,
  input: RotateKeysInput,
): Promise<RotateKeysResult> {
  const { agency, keys, graceMs, at } = parseInput(RotateKeysInputSchema, input, 'key rotation');
  requireAgency(store, agency);
  const now = at ?? Date.now();
  const old = (['sig', 'enc'] as const)
    .map((use) => currentKey(store.registry.current, agency, use, now))
    .filter((k) => k !== undefined);
  const retired = old.map((k) => ({ kid: k.kid, notAfter: now + graceMs }));
  const proposalId = randomUUID();
  const change = {
    type: 'keys-added' as const,
    agency,
    keys: [keys.signing, keys.encryption],
    retire: retired,
  };
  await store.append(await store.registry.prepare('change-proposed', { proposalId, change }, by));
  return {
    agency,
    proposalId,
    pending: true,
    ...(await kidsOf(keys)),
    retired,
    revision: store.registry.current.revision,
  };
}

export const RegisterKeysInputSchema = z.object({ agency: AgencyIdSchema, keys: PublicKeysSchema }).strict();
export type RegisterKeysInput = z.input<typeof RegisterKeysInputSchema>;

/** Proposes an agency's public keys without retiring any (four eyes, like rotateKeys). */
export async function registerKeys(
  store: PolicyStore,
  by: AdminIdentity,
  input: RegisterKeysInput,
): Promise<{ agency: string; proposalId: string; signing: string; encryption: string; revision: number }> {
  const { agency, keys } = parseInput(RegisterKeysInputSchema, input, 'keys');
  requireAgency(store, agency);
  const proposalId = randomUUID();
  const change = { type: 'keys-added' as const, agency, keys: [keys.signing, keys.encryption] };
  await store.append(await store.registry.prepare('change-proposed', { proposalId, change }, by));
  return { agency, proposalId, ...(await kidsOf(keys)), revision: store.registry.current.revision };
}

export const RevokeKeyInputSchema = z
  .object({ agency: AgencyIdSchema, kid: z.string().min(1), revokedAt: z.number().int().optional() })
  .strict();
export type RevokeKeyInput = z.input<typeof RevokeKeyInputSchema>;

/** Revokes one key from an instant on (default now): from then on it speaks for nobody. */
export async function revokeKey(
  store: PolicyStore,
  by: AdminIdentity,
  input: RevokeKeyInput,
): Promise<{ agency: string; kid: string; revokedAt: number; revision: number }> {
  const parsed = parseInput(RevokeKeyInputSchema, input, 'key revocation');
  const revokedAt = parsed.revokedAt ?? Date.now();
  await store.append(
    await store.registry.prepare('key-revoked', { agency: parsed.agency, kid: parsed.kid, revokedAt }, by),
  );
  return { agency: parsed.agency, kid: parsed.kid, revokedAt, revision: store.registry.current.revision };
}
