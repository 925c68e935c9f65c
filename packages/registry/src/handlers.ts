import { type PublicKeyRecord, thumbprint } from '@liaison/envelope';
import type { JWK } from 'jose';
import { RegistryError } from './errors.js';
import type { EventData, EventType, KeySpec, PolicyEvent } from './events.js';
import { type Administrator, type AgreementRecord, LEVEL_RANK } from './model.js';
import { activeAdmin, activeAdmins, agreementAt, keysOf, type RegistrySnapshot } from './snapshot.js';

type Draft = { -readonly [K in keyof RegistrySnapshot]: RegistrySnapshot[K] };
type Handler<T extends EventType> = (s: Draft, data: EventData<T>, e: PolicyEvent) => Promise<void> | void;

export async function keyRecord(agency: string, spec: KeySpec): Promise<PublicKeyRecord> {
  const use = spec.jwk.crv === 'Ed25519' ? 'sig' : 'enc';
  const kid = await thumbprint(spec.jwk as JWK);
  const rec: PublicKeyRecord = {
    agency,
    kid,
    use,
    jwk: { kty: 'OKP', crv: spec.jwk.crv, x: spec.jwk.x, kid, use, alg: use === 'sig' ? 'EdDSA' : 'ECDH-ES' },
    notBefore: spec.notBefore,
  };
  if (spec.notAfter !== undefined) rec.notAfter = spec.notAfter;
  return rec;
}

async function addAdmin(s: Draft, spec: { id: string; key: KeySpec }, revision: number): Promise<void> {
  if (spec.key.jwk.crv !== 'Ed25519')
    throw new RegistryError('INVALID_EVENT', 'an administrator key is an Ed25519 key');
  const admins = new Map(s.admins);
  const admin: Administrator = {
    id: spec.id,
    key: await keyRecord(spec.id, spec.key),
    addedAtRevision: revision,
  };
  admins.set(spec.id, admin);
  s.admins = admins;
}

function requireAgency(s: Draft, id: string): void {
  if (!s.agencies.has(id)) throw new RegistryError('UNKNOWN_AGENCY', `unknown agency ${id}`);
}

function setAgreement(s: Draft, record: AgreementRecord): void {
  const agreements = new Map(s.agreements);
  agreements.set(record.partner, [...(agreements.get(record.partner) ?? []), record]);
  s.agreements = agreements;
}

export const HANDLERS: { [T in EventType]: Handler<T> } = {
  'registry-created': async (s, d, e) => {
    if (e.revision !== 1)
      throw new RegistryError('OUT_OF_ORDER', 'the registry is created by the first event only');
    s.origin = d.origin;
    for (const a of d.administrators) await addAdmin(s, a, e.revision);
  },
  'administrator-added': async (s, d, e) => {
    if (activeAdmin(s, d.id)) throw new RegistryError('CONFLICT', `administrator ${d.id} exists`);
    await addAdmin(s, d, e.revision);
  },
  'administrator-removed': (s, d, e) => {
    const a = activeAdmin(s, d.id);
    if (!a) throw new RegistryError('UNKNOWN_ADMIN', `unknown administrator ${d.id}`);
    if (activeAdmins(s).length < 3) {
      throw new RegistryError('CONFLICT', 'at least two administrators must remain (four-eyes)');
    }
    s.admins = new Map(s.admins).set(d.id, { ...a, removedAtRevision: e.revision });
  },
  'agency-added': (s, d) => {
    if (s.agencies.has(d.agency.id)) throw new RegistryError('AGENCY_EXISTS', `agency ${d.agency.id} exists`);
    s.agencies = new Map(s.agencies).set(d.agency.id, d.agency);
  },
  'agency-updated': (s, d) => {
    requireAgency(s, d.agency.id);
    s.agencies = new Map(s.agencies).set(d.agency.id, d.agency);
  },
  'key-added': async (s, d) => {
    requireAgency(s, d.agency);
    const rec = await keyRecord(d.agency, d.key);
    if ([...s.keys.values()].flat().some((k) => k.kid === rec.kid))
      throw new RegistryError('KEY_EXISTS', 'key already registered');
    s.keys = new Map(s.keys).set(d.agency, [...keysOf(s, d.agency), rec]);
  },
  'key-revoked': (s, d) => {
    requireAgency(s, d.agency);
    const keys = keysOf(s, d.agency);
    const k = keys.find((x) => x.kid === d.kid);
    if (!k) throw new RegistryError('UNKNOWN_KEY', 'unknown key');
    s.keys = new Map(s.keys).set(
      d.agency,
      keys.map((x) =>
        x.kid === d.kid
          ? { ...x, revokedAt: Math.min(d.revokedAt, x.revokedAt ?? Number.POSITIVE_INFINITY) }
          : x,
      ),
    );
  },
  'key-retired': (s, d) => {
    requireAgency(s, d.agency);
    const keys = keysOf(s, d.agency);
    if (!keys.some((x) => x.kid === d.kid)) throw new RegistryError('UNKNOWN_KEY', 'unknown key');
    s.keys = new Map(s.keys).set(
      d.agency,
      keys.map((x) =>
        x.kid === d.kid
          ? { ...x, notAfter: Math.min(d.notAfter, x.notAfter ?? Number.POSITIVE_INFINITY) }
          : x,
      ),
    );
  },
  'agreement-proposed': (s, d, e) => {
    const current = agreementAt(s, d.agreement.partner, Math.max(e.at, d.agreement.validFrom));
    const raises = LEVEL_RANK[d.agreement.level] > LEVEL_RANK[current?.level ?? 'none'];
    if (!raises) {
      // Narrowing (or keeping) takes effect at once; widening waits for a second administrator.
      setAgreement(s, { ...d.agreement, setAtRevision: e.revision });
      return;
    }
    s.proposals = new Map(s.proposals).set(d.proposalId, {
      id: d.proposalId,
      agreement: d.agreement,
      proposedBy: e.by,
      proposedAtRevision: e.revision,
    });
  },
  'agreement-approved': (s, d, e) => {
    const p = s.proposals.get(d.proposalId);
    if (!p) throw new RegistryError('UNKNOWN_PROPOSAL', 'no pending proposal with that id');
    if (p.proposedBy === e.by) {
      throw new RegistryError('FOUR_EYES_REQUIRED', 'a second, different administrator must approve');
    }
    const proposals = new Map(s.proposals);
    proposals.delete(d.proposalId);
    s.proposals = proposals;
    setAgreement(s, { ...p.agreement, setAtRevision: e.revision });
  },
  'agreement-ended': (s, d, e) => {
    const current = agreementAt(s, d.partner, d.endedAt);
    if (!current) throw new RegistryError('CONFLICT', `no agreement with ${d.partner} in force then`);
    const history = s.agreements.get(d.partner) ?? [];
    s.agreements = new Map(s.agreements).set(
      d.partner,
      history.map((a) => (a === current ? { ...a, validTo: d.endedAt, endedAtRevision: e.revision } : a)),
    );
  },
};

export type { Draft };
