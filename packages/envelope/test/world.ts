// A small exchange for envelope tests: agencies with keys, a resolver, and the
// gate's part (verify, restrict, countersign) played in-process.
import type { LayerName } from '@liaison/notice';
import {
  type AgencyKeys,
  countersign,
  generateAgencyKeys,
  type KeyResolver,
  type PublicKeyRecord,
  restrictTo,
  verifyHeader,
} from '../src/index.js';

export const T0 = Date.parse('2026-01-01T00:00:00Z');
export const NOW = new Date('2026-11-25T10:00:00Z');

export interface World {
  keys: Record<string, AgencyKeys>;
  gate: AgencyKeys;
  resolve: KeyResolver;
}

export async function makeWorld(agencies: string[]): Promise<World> {
  const keys: Record<string, AgencyKeys> = {};
  for (const a of agencies) keys[a] = await generateAgencyKeys(a, { notBefore: T0 });
  const gate = await generateAgencyKeys('liaison-gate', { notBefore: T0 });
  const records = new Map<string, PublicKeyRecord>();
  for (const k of [...Object.values(keys), gate]) {
    records.set(`${k.agency}/${k.signing.record.kid}`, k.signing.record);
    records.set(`${k.agency}/${k.encryption.record.kid}`, k.encryption.record);
  }
  return { keys, gate, resolve: (agency, kid) => records.get(`${agency}/${kid}`) };
}

export function recipientsFor(world: World, levels: Record<string, 'operational' | 'strategic'>) {
  return Object.entries(levels).map(([agency, level]) => ({
    agency,
    encryptionKey: world.keys[agency]!.encryption.record,
    layers: (level === 'operational' ? ['strategic', 'operational'] : ['strategic']) as LayerName[],
  }));
}

/** What the gate does for one recipient; returns the delivery bytes. */
export function deliver(
  world: World,
  intake: Uint8Array,
  recipient: string,
  level: 'operational' | 'strategic',
): Uint8Array {
  const verified = verifyHeader(intake, world.resolve, { now: NOW.getTime() });
  const granted: LayerName[] = level === 'operational' ? ['strategic', 'operational'] : ['strategic'];
  const restricted = restrictTo(verified, recipient, granted);
  return countersign(
    restricted.envelope,
    { recipient, level, layers: restricted.layers, policyRevision: 7n, grantedAt: NOW.getTime() },
    world.gate,
  );
}
