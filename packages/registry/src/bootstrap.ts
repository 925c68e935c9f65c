import { type AgencyKeys, generateAgencyKeys } from '@liaison/envelope';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Agency, Agreement } from './model.js';
import { seedDirectory } from './seed.js';
import { PolicyStore, type PolicyStoreOptions } from './store.js';

/** Where generated private keys go (the client's KeyStore fits). */
export interface KeySink {
  save(kind: 'keys' | 'admins', keys: AgencyKeys): void;
  saveAnchors(anchors: readonly string[]): void;
}

export interface BootstrapInput {
  origin: string;
  agencies: readonly Agency[];
  agreements: readonly Agreement[];
  /** Administrator ids; the first is the trust anchor. Default: admin-1, admin-2. */
  admins?: readonly string[];
  /** Extra service identities that get keys but are not agencies (e.g. the gate). */
  services?: readonly string[];
  validFrom?: number;
}

/**
 * Creates a fresh exchange: keys for administrators, agencies and services
 * (written to `sink`), then the whole directory as signed events in the store.
 * Returns every generated key set by id.
 */
export async function bootstrapDirectory(
  nc: NatsConnection,
  sink: KeySink,
  input: BootstrapInput,
  storeOptions: Omit<PolicyStoreOptions, 'anchors'> = {},
): Promise<{ store: PolicyStore; keys: Map<string, AgencyKeys> }> {
  const validity = { notBefore: input.validFrom ?? Date.now() - 60_000 };
  const all = new Map<string, AgencyKeys>();
  const admins = [];
  for (const id of input.admins ?? ['admin-1', 'admin-2']) {
    const keys = await generateAgencyKeys(id, validity);
    sink.save('admins', keys);
    all.set(id, keys);
    admins.push({ id, key: keys.signing });
  }
  const anchors = [admins[0]!.key.record.kid];
  sink.saveAnchors(anchors);
  const store = await PolicyStore.open(nc, { ...storeOptions, anchors });
  const agencyKeys = new Map<string, AgencyKeys>();
  for (const id of [...input.agencies.map((a) => a.id), ...(input.services ?? [])]) {
    const keys = await generateAgencyKeys(id, validity);
    sink.save('keys', keys);
    all.set(id, keys);
    agencyKeys.set(id, keys);
  }
  await seedDirectory(store.registry, (jws) => store.append(jws), {
    origin: input.origin,
    admins,
    agencies: input.agencies,
    keys: agencyKeys,
    agreements: input.agreements,
  });
  return { store, keys: all };
}
