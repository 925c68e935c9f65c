import { type PublicKeyRecord, thumbprint } from '@liaison/envelope';
import { classificationRank } from '@liaison/notice';
import type { JWK } from 'jose';
import { RegistryError } from './errors.js';
import type { Change, EventData, EventType, KeySpec, PolicyEvent } from './events.js';
import { checkIntegrity, onlyNarrows } from './integrity.js';
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

async function addKey(s: Draft, agency: string, spec: KeySpec): Promise<void> {
  requireAgency(s, agency);
  const rec = await keyRecord(agency, spec);
  if ([...s.keys.values()].flat().some((k) => k.kid === rec.kid))
    throw new RegistryError('KEY_EXISTS', 'key already registered');
  s.keys = new Map(s.keys).set(agency, [...keysOf(s, agency), rec]);
}

function retireKey(s: Draft, agency: string, kid: string, notAfter: number): void {
  requireAgency(s, agency);
  const keys = keysOf(s, agency);
  if (!keys.some((x) => x.kid === kid)) throw new RegistryError('UNKNOWN_KEY', 'unknown key');
  s.keys = new Map(s.keys).set(
    agency,
    keys.map((x) =>
      x.kid === kid ? { ...x, notAfter: Math.min(notAfter, x.notAfter ?? Number.POSITIVE_INFINITY) } : x,
    ),
  );
}

const fourEyes = (what: string) =>
  new RegistryError(
    'FOUR_EYES_REQUIRED',
    `${what} widens what an agency receives: propose it (change-proposed) for a second administrator to approve`,
  );

/** Applies a change (on approval), or checks it would apply (on proposal, on a copy). */
async function applyChange(s: Draft, c: Change): Promise<void> {
  switch (c.type) {
    case 'agency-added':
      checkIntegrity(c.agency);
      if (s.agencies.has(c.agency.id))
        throw new RegistryError('AGENCY_EXISTS', `agency ${c.agency.id} exists`);
      s.agencies = new Map(s.agencies).set(c.agency.id, c.agency);
      for (const k of c.keys) await addKey(s, c.agency.id, k);
      return;
    case 'agency-updated':
      checkIntegrity(c.agency);
      requireAgency(s, c.agency.id);
      s.agencies = new Map(s.agencies).set(c.agency.id, c.agency);
      return;
    case 'keys-added':
      for (const k of c.keys) await addKey(s, c.agency, k);
      for (const r of c.retire ?? []) retireKey(s, c.agency, r.kid, r.notAfter);
      return;
  }
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
  // Registering an agency or its keys widens what it receives: one administrator's
  // event is refused (and, if forced into the log, reported by `audit verify`).
  'agency-added': () => {
    throw fourEyes('registering an agency');
  },
  'agency-updated': (s, d) => {
    checkIntegrity(d.agency);
    requireAgency(s, d.agency.id);
    if (!onlyNarrows(s.agencies.get(d.agency.id)!, d.agency, classificationRank))
      throw fourEyes('changing an agency’s kind, country, roles or clearance');
    s.agencies = new Map(s.agencies).set(d.agency.id, d.agency);
  },
  'key-added': () => {
    throw fourEyes('registering a key');
  },
  'change-proposed': async (s, d, e) => {
    if (s.changes.has(d.proposalId)) throw new RegistryError('CONFLICT', 'proposal id already used');
    await applyChange({ ...s }, d.change); // refuses now what could never be approved
    s.changes = new Map(s.changes).set(d.proposalId, {
      id: d.proposalId,
      change: d.change,
      proposedBy: e.by,
      proposedAtRevision: e.revision,
    });
  },
  'change-approved': async (s, d, e) => {
    const p = s.changes.get(d.proposalId);
    if (!p) throw new RegistryError('UNKNOWN_PROPOSAL', 'no pending change with that id');
    if (p.proposedBy === e.by)
      throw new RegistryError('FOUR_EYES_REQUIRED', 'a second, different administrator must approve');
    const changes = new Map(s.changes);
    changes.delete(d.proposalId);
    s.changes = changes;
    await applyChange(s, p.change);
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
  'key-retired': (s, d) => retireKey(s, d.agency, d.kid, d.notAfter),
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
