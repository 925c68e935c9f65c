import { z } from 'zod';
import { RegistryError } from '../errors.js';
import { AgencyIdSchema } from '../model.js';
import type { AdminIdentity } from '../seed.js';
import { currentKey } from '../snapshot.js';
import type { PolicyStore } from '../store.js';
import { parseInput } from './parse-input.js';
import { PublicKeysSchema } from './public-keys.js';
import { registeredKids } from './registered-kids.js';

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
  signing: string;
  encryption: string;
  /** The keys that were current, and until when they stay valid. */
  retired: { kid: string; notAfter: number }[];
  revision: number;
}

function requireAgency(store: PolicyStore, agency: string): void {
  if (!store.registry.current.agencies.has(agency))
    throw new RegistryError('UNKNOWN_AGENCY', `unknown agency ${agency}`);
}

/**
 * Registers an agency's new public keys and retires its current ones after a
 * grace period (key-added ×2, key-retired per old key).
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
  const added = await registerKeys(store, by, { agency, keys });
  const retired = old.map((k) => ({ kid: k.kid, notAfter: now + graceMs }));
  for (const r of retired)
    await store.append(await store.registry.prepare('key-retired', { agency, ...r }, by));
  return { ...added, retired, revision: store.registry.current.revision };
}

export const RegisterKeysInputSchema = z.object({ agency: AgencyIdSchema, keys: PublicKeysSchema }).strict();
export type RegisterKeysInput = z.input<typeof RegisterKeysInputSchema>;

/** Registers an agency's public keys (key-added ×2) without retiring any. */
export async function registerKeys(
  store: PolicyStore,
  by: AdminIdentity,
  input: RegisterKeysInput,
): Promise<{ agency: string; signing: string; encryption: string; revision: number }> {
  const { agency, keys } = parseInput(RegisterKeysInputSchema, input, 'keys');
  requireAgency(store, agency);
  for (const key of [keys.signing, keys.encryption])
    await store.append(await store.registry.prepare('key-added', { agency, key }, by));
  return { agency, ...registeredKids(store, agency, keys), revision: store.registry.current.revision };
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
