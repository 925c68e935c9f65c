import { randomUUID } from 'node:crypto';
import { type AgencyKeys, generateAgencyKeys } from '@liaison/envelope';
import { DEMO_AGENCIES, DEMO_AGREEMENTS } from '@liaison/fixtures';
import { type Agency, type Agreement, Registry, seedDirectory } from '@liaison/registry';
import type { NoticeFacts } from '../src/index.js';

export const T0 = Date.parse('2026-01-01T00:00:00Z');
export const T1 = Date.parse('2026-06-01T00:00:00Z');
export const T2 = Date.parse('2026-09-01T00:00:00Z');
export const NOW = Date.parse('2026-11-25T10:00:00Z');

/** Demo directory plus partners that exercise scope and validity boundaries. */
export const EXTRA_AGENCIES: Agency[] = [
  {
    id: 'jp-npa',
    name: 'Japan — National Police Agency',
    country: 'JP',
    kind: 'third-party',
    roles: ['subscriber'],
  },
  {
    id: 'ch-fedpol',
    name: 'Switzerland — fedpol',
    country: 'CH',
    kind: 'third-party',
    roles: ['subscriber'],
  },
  { id: 'no-kripos', name: 'Norway — Kripos', country: 'NO', kind: 'third-party', roles: ['subscriber'] },
  { id: 'is-police', name: 'Iceland — Police', country: 'IS', kind: 'third-party', roles: ['subscriber'] },
  {
    id: 'xk-none',
    name: 'Partner with a level-none agreement',
    country: 'XK',
    kind: 'third-party',
    roles: ['subscriber'],
  },
  {
    id: 'fr-dgsi',
    name: 'France — DGSI (cleared up to CONFIDENTIEL UE)',
    country: 'FR',
    kind: 'member-state-authority',
    roles: ['subscriber'],
    clearance: 'CONFIDENTIEL-UE',
  },
  {
    id: 'de-nokey',
    name: 'Germany — agency without keys',
    country: 'DE',
    kind: 'member-state-authority',
    roles: ['subscriber'],
  },
];
export const EXTRA_AGREEMENTS: Agreement[] = [
  { partner: 'JP', level: 'operational', validFrom: T1, validTo: T2, legalBasis: 'time-limited' },
  {
    partner: 'CH',
    level: 'operational',
    validFrom: T0,
    crimeAreas: ['drug-trafficking', 'precursor-diversion'],
    legalBasis: 'scoped',
  },
  { partner: 'XK', level: 'none', validFrom: T0, legalBasis: 'suspended' },
];

export async function policyWorld() {
  const adminKeys = [
    await generateAgencyKeys('admin-1', { notBefore: T0 }),
    await generateAgencyKeys('admin-2', { notBefore: T0 }),
  ];
  const admins = adminKeys.map((k) => ({ id: k.agency, key: k.signing }));
  const keys = new Map<string, AgencyKeys>();
  for (const a of [...DEMO_AGENCIES, ...EXTRA_AGENCIES]) {
    if (a.id !== 'de-nokey') keys.set(a.id, await generateAgencyKeys(a.id, { notBefore: T0 }));
  }
  const registry = new Registry({ anchors: [admins[0]!.key.record.kid] });
  await seedDirectory(registry, (jws) => registry.apply(jws), {
    origin: 'policy-test',
    admins,
    agencies: [...DEMO_AGENCIES, ...EXTRA_AGENCIES],
    keys,
    agreements: [...DEMO_AGREEMENTS, ...EXTRA_AGREEMENTS],
    at: T0,
  });
  // Norway's agreement ended on T1; Iceland's starts only at T2.
  const propose = async (agreement: Agreement) => {
    const proposalId = randomUUID();
    await registry.apply(
      await registry.prepare('agreement-proposed', { proposalId, agreement }, admins[0]!, T0),
    );
    if (registry.current.proposals.has(proposalId)) {
      await registry.apply(await registry.prepare('agreement-approved', { proposalId }, admins[1]!, T0));
    }
  };
  await propose({ partner: 'NO', level: 'operational', validFrom: T0, legalBasis: 'ended later' });
  await registry.apply(
    await registry.prepare('agreement-ended', { partner: 'NO', endedAt: T1 }, admins[0]!, T0),
  );
  await propose({ partner: 'IS', level: 'strategic', validFrom: T2, legalBasis: 'future' });
  // CBSA's encryption key is revoked.
  const cbsaEnc = keys.get('ca-cbsa')!.encryption.record.kid;
  await registry.apply(
    await registry.prepare('key-revoked', { agency: 'ca-cbsa', kid: cbsaEnc, revokedAt: T1 }, admins[0]!, T0),
  );
  return { registry, snapshot: registry.current, keys };
}

export function facts(overrides: Partial<NoticeFacts> = {}): NoticeFacts {
  return {
    sender: 'at-bmi',
    kind: 'border-alert',
    createdAt: NOW,
    handlingCode: 'H0',
    crimeAreas: ['drug-trafficking'],
    layers: ['strategic', 'operational'],
    audience: { recipients: [], allow: [], deny: [] },
    // Most rows are about the agreements: the sender lets the border alert reach strategic partners.
    strategicOptIn: true,
    ...overrides,
  };
}
