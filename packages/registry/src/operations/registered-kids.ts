import { keysOf } from '../snapshot.js';
import type { PolicyStore } from '../store.js';
import type { PublicKeys } from './public-keys.js';

/** The kids the registry assigned to an agency's just-registered keys (found by their public value). */
export function registeredKids(
  store: PolicyStore,
  agency: string,
  keys: PublicKeys,
): { signing: string; encryption: string } {
  const all = keysOf(store.registry.current, agency);
  const kidOf = (x: string) => all.find((k) => String(k.jwk.x) === x)?.kid ?? '';
  return { signing: kidOf(keys.signing.jwk.x), encryption: kidOf(keys.encryption.jwk.x) };
}
