import type { KeyResolver, PublicKeyRecord } from '@liaison/envelope';
import { keyState } from '@liaison/envelope';
import type { Change } from './events.js';
import type { Administrator, Agency, AgreementRecord, Proposal } from './model.js';

/** A change waiting for a second administrator. */
export interface ChangeProposal {
  id: string;
  change: Change;
  proposedBy: string;
  proposedAtRevision: number;
}

/**
 * The registry at one revision: an immutable value. Applying an event makes a new
 * snapshot and leaves this one as it was, so any past revision stays available.
 */
export interface RegistrySnapshot {
  readonly revision: number;
  /** SHA-256 (hex) of the last applied event's JWS: the chain head. */
  readonly head: string;
  /** Time of the last applied event (ms). */
  readonly at: number;
  readonly origin: string;
  readonly admins: ReadonlyMap<string, Administrator>;
  readonly agencies: ReadonlyMap<string, Agency>;
  readonly keys: ReadonlyMap<string, readonly PublicKeyRecord[]>;
  /** Per partner, every agreement ever set, oldest first. */
  readonly agreements: ReadonlyMap<string, readonly AgreementRecord[]>;
  readonly proposals: ReadonlyMap<string, Proposal>;
  /** Agency registrations, widening updates and key registrations awaiting approval. */
  readonly changes: ReadonlyMap<string, ChangeProposal>;
}

export const GENESIS_HEAD = '0'.repeat(64);

export function emptySnapshot(): RegistrySnapshot {
  return {
    revision: 0,
    head: GENESIS_HEAD,
    at: 0,
    origin: '',
    admins: new Map(),
    agencies: new Map(),
    keys: new Map(),
    agreements: new Map(),
    proposals: new Map(),
    changes: new Map(),
  };
}

/** The agreement in force for a partner at instant `at` (the latest one set that covers it). */
export function agreementAt(s: RegistrySnapshot, partner: string, at: number): AgreementRecord | undefined {
  const history = s.agreements.get(partner) ?? [];
  for (let i = history.length - 1; i >= 0; i--) {
    const a = history[i]!;
    if (a.validFrom <= at && (a.validTo === undefined || at < a.validTo)) return a;
  }
  return undefined;
}

/** The most recent agreement record for a partner whatever its validity (for "expired" reasons). */
export function latestAgreement(s: RegistrySnapshot, partner: string): AgreementRecord | undefined {
  const history = s.agreements.get(partner) ?? [];
  return history[history.length - 1];
}

export function keysOf(s: RegistrySnapshot, agency: string): readonly PublicKeyRecord[] {
  return s.keys.get(agency) ?? [];
}

/** The newest key of that use valid at `at` and not revoked at `now`. */
export function currentKey(
  s: RegistrySnapshot,
  agency: string,
  use: 'sig' | 'enc',
  at: number,
  now: number = at,
): PublicKeyRecord | undefined {
  const candidates = keysOf(s, agency).filter((k) => k.use === use && keyState(k, at, now) === 'valid');
  return candidates.sort((a, b) => b.notBefore - a.notBefore)[0];
}

/** A key resolver over this snapshot, for verifyHeader/open. */
export function resolverOf(s: RegistrySnapshot): KeyResolver {
  return (agency, kid) => keysOf(s, agency).find((k) => k.kid === kid);
}

export function activeAdmin(s: RegistrySnapshot, id: string): Administrator | undefined {
  const a = s.admins.get(id);
  return a && a.removedAtRevision === undefined ? a : undefined;
}

/** Administrators not removed at this revision. */
export function activeAdmins(s: RegistrySnapshot): Administrator[] {
  return [...s.admins.values()].filter((a) => a.removedAtRevision === undefined);
}
