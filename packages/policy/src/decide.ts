import { classificationRank, KINDS, type LayerName } from '@liaison/notice';
import {
  type Agency,
  agreementAt,
  currentKey,
  EU_BODIES,
  isMemberState,
  keysOf,
  type Level,
  latestAgreement,
  type RegistrySnapshot,
  sameCountry,
} from '@liaison/registry';
import { erasureRequestDecision } from './amendments.js';
import type { AudienceFacts, NoticeFacts } from './facts.js';
import { minLevel, needsPermission, permits } from './provenance.js';
import type { ReasonCode } from './reasons.js';

export interface Decision {
  recipient: string;
  level: Level;
  /** Layers the recipient may receive (empty when level is none). */
  layers: LayerName[];
  /** Every rule that applied, in the order they were checked. */
  reasons: ReasonCode[];
  /** The registry revision the decision was taken under. */
  revision: number;
  /** The legal basis of the transfer (level not none): the agreement's, or "community". */
  legalBasis?: string;
}

/** Legal basis recorded for deliveries inside the exchange community. */
export const COMMUNITY_LEGAL_BASIS = 'community';

/** Whether an agency really is what its kind claims (a registry forced past its checks is not trusted). */
function communityMember(r: Agency): boolean {
  if (r.kind === 'member-state-authority') return isMemberState(r.country);
  if (r.kind === 'eu-agency')
    return r.country === 'EU' && EU_BODIES.some((b) => r.id === `eu-${b}` || r.id.startsWith(`eu-${b}-`));
  return false;
}

function matches(selector: string, agency: Agency): boolean {
  if (selector.startsWith('country:')) return sameCountry(selector.slice(8), agency.country);
  if (selector.startsWith('kind:')) return selector.slice(5) === agency.kind;
  return selector === agency.id;
}

/** The level the agreements allow (before the sender's audience and the notice's own rules). */
function agreementLevel(
  facts: NoticeFacts,
  r: Agency,
  s: RegistrySnapshot,
  reasons: ReasonCode[],
): { level: Level; legalBasis?: string } {
  if (r.kind === 'member-state-authority' || r.kind === 'eu-agency') {
    if (!communityMember(r)) {
      reasons.push('NOT_A_COMMUNITY_MEMBER');
      return { level: 'none' };
    }
    reasons.push('COMMUNITY_MEMBER');
    return { level: 'operational', legalBasis: COMMUNITY_LEGAL_BASIS };
  }
  const agreement = agreementAt(s, r.country, facts.createdAt);
  if (!agreement) {
    const latest = latestAgreement(s, r.country);
    if (!latest) reasons.push('NO_AGREEMENT');
    else reasons.push(facts.createdAt < latest.validFrom ? 'AGREEMENT_NOT_YET_VALID' : 'AGREEMENT_EXPIRED');
    return { level: 'none' };
  }
  const scope = agreement.crimeAreas;
  if (scope && !facts.crimeAreas.every((c) => scope.includes(c))) {
    reasons.push('OUT_OF_CRIME_AREA_SCOPE');
    return { level: 'none' };
  }
  reasons.push(
    agreement.level === 'operational'
      ? 'AGREEMENT_OPERATIONAL'
      : agreement.level === 'strategic'
        ? 'AGREEMENT_STRATEGIC'
        : 'AGREEMENT_NONE',
  );
  return { level: agreement.level, legalBasis: agreement.legalBasis };
}

/** SIS (Reg. 2018/1862 Art. 65): SIS data, and the fact an alert exists, never leave the community. */
function sisAllows(facts: NoticeFacts, reasons: ReasonCode[]): boolean {
  if (!facts.sources?.includes('sis')) return true;
  reasons.push('SIS_NO_THIRD_PARTY');
  return false;
}

const PNR_GROUNDS = new Set(['terrorism', 'serious-crime']);

/**
 * PNR (Directive 2016/681 Art. 11): to a third country only case by case, for terrorism
 * or serious crime, with the consent of the PIU the data came from when that is not the
 * sender, and the sending PIU's data protection officer informed — all signed by the
 * sender, per recipient, in the audience.
 */
function pnrAllows(facts: NoticeFacts, r: Agency, reasons: ReasonCode[]): boolean {
  if (!facts.sources?.includes('pnr')) return true;
  const t = facts.audience.pnrTransfers?.find((x) => x.recipient === r.id);
  if (!t || !PNR_GROUNDS.has(t.ground)) reasons.push('PNR_TRANSFER_NOT_JUSTIFIED');
  else if (t.originPiu && t.originPiu !== facts.sender && !t.consentReference)
    reasons.push('PNR_CONSENT_MISSING');
  else if (t.dpoNotifiedAt <= 0 || t.dpoNotifiedAt > facts.createdAt || t.dpoReference === '')
    reasons.push('PNR_DPO_NOT_INFORMED');
  else {
    reasons.push('PNR_TRANSFER_JUSTIFIED');
    return true;
  }
  return false;
}

/** Person-centred kinds reach strategic partners only when the sender opted in for this notice. */
function kindAllowsStrategic(facts: NoticeFacts, reasons: ReasonCode[]): boolean {
  if (KINDS[facts.kind].strategic === 'by-default') return true;
  if (facts.strategicOptIn) {
    reasons.push('STRATEGIC_OPT_IN');
    return true;
  }
  reasons.push('KIND_NOT_STRATEGIC');
  return false;
}

function audienceAllows(a: AudienceFacts, r: Agency, reasons: ReasonCode[]): boolean {
  if (a.deny.some((sel) => matches(sel, r))) {
    reasons.push('DENIED_BY_SENDER');
    return false;
  }
  const named = a.recipients.length === 0 || a.recipients.includes(r.id);
  const allowed = a.allow.length === 0 || a.allow.some((sel) => matches(sel, r));
  if (!named || !allowed) {
    reasons.push('NOT_IN_AUDIENCE');
    return false;
  }
  return true;
}

function preconditions(
  facts: NoticeFacts,
  recipient: string,
  s: RegistrySnapshot,
  at: number,
  reasons: ReasonCode[],
): Agency | undefined {
  const r = s.agencies.get(recipient);
  const sender = s.agencies.get(facts.sender);
  if (!r) reasons.push('UNKNOWN_RECIPIENT');
  else if (!r.roles.includes('subscriber')) reasons.push('NOT_A_SUBSCRIBER');
  else if (r.id === facts.sender) reasons.push('SENDER_ITSELF');
  else if (!sender?.roles.includes('publisher')) reasons.push('SENDER_NOT_PUBLISHER');
  else if (facts.expiresAt && facts.expiresAt <= at) reasons.push('NOTICE_EXPIRED');
  else if (!currentKey(s, r.id, 'enc', at)) {
    reasons.push(
      keysOf(s, r.id).some((k) => k.use === 'enc' && k.revokedAt !== undefined && k.revokedAt <= at)
        ? 'KEY_REVOKED'
        : 'NO_VALID_KEY',
    );
  } else if (classificationRank(r.clearance) < classificationRank(facts.classification))
    reasons.push('NOT_CLEARED');
  else return r;
  return undefined;
}

/**
 * The sharing decision for one recipient: a pure, deterministic function of the
 * notice's header facts, the registry snapshot (revision R) and the decision time.
 * It only narrows: the result never exceeds the agreement in force at the notice
 * time, the sender's audience, or the rules of the notice's markings.
 */
export function decide(facts: NoticeFacts, recipient: string, s: RegistrySnapshot, at: number): Decision {
  const reasons: ReasonCode[] = [];
  const none = (): Decision => ({ recipient, level: 'none', layers: [], reasons, revision: s.revision });
  const r = preconditions(facts, recipient, s, at, reasons);
  if (!r) return none();
  if (facts.amendment === 'erasure-request') return erasureRequestDecision(facts, r, s, reasons);

  const { level, legalBasis } = agreementLevel(facts, r, s, reasons);
  if (level === 'none') return none();
  const thirdParty = legalBasis !== COMMUNITY_LEGAL_BASIS;
  if (thirdParty && !sisAllows(facts, reasons)) return none();
  if (!audienceAllows(facts.audience, r, reasons)) return none();
  if (
    (facts.tlp === 'TLP:RED' || facts.tlp === 'TLP:AMBER+STRICT') &&
    !facts.audience.recipients.includes(r.id)
  ) {
    reasons.push('TLP_NAMED_RECIPIENTS_ONLY');
    return none();
  }
  if (thirdParty && !pnrAllows(facts, r, reasons)) return none();
  if (level === 'strategic' && !kindAllowsStrategic(facts, reasons)) return none();
  const granted = facts.origin ? onwardLevel(facts, r, level, s, at, reasons) : level;
  if (granted === 'none') return none();

  const layers: LayerName[] = facts.layers.filter((l) => l === 'strategic' || granted === 'operational');
  if (layers.length === 0) {
    reasons.push('NO_NON_PERSONAL_CONTENT');
    return none();
  }
  const d: Decision = { recipient, level: granted, layers, reasons, revision: s.revision };
  if (legalBasis) d.legalBasis = legalBasis;
  return d;
}

/**
 * Step 13, replies and forwards: what answers or forwards a notice reaches no one the
 * notice would not have reached, at no higher level, unless the provider permitted it;
 * and an H2 / TLP:RED / TLP:AMBER+STRICT notice goes to no one beyond its provider and
 * its recipients without that permission. The provider itself may always be answered.
 */
function onwardLevel(
  facts: NoticeFacts,
  r: Agency,
  level: Level,
  s: RegistrySnapshot,
  at: number,
  reasons: ReasonCode[],
): Level {
  const o = facts.origin!;
  if (r.id === o.facts.sender) {
    reasons.push('ORIGIN_PROVIDER');
    return level;
  }
  if (permits(o.permission, facts.sender, r.id, at)) {
    reasons.push('ONWARD_PERMITTED');
    return level;
  }
  const given = o.recipients.includes(r.id);
  if (!given && needsPermission(o.facts)) {
    reasons.push('ONWARD_NEEDS_PERMISSION');
    return 'none';
  }
  // What the notice itself allows this recipient now (its audience, markings, source rules).
  const ceiling = decide(o.facts, r.id, s, at).level;
  if (ceiling === 'none') {
    reasons.push('EXCLUDED_BY_ORIGIN');
    return 'none';
  }
  const capped = minLevel(level, ceiling);
  reasons.push(capped !== level ? 'CAPPED_BY_ORIGIN' : given ? 'ORIGIN_RECIPIENT' : 'ONWARD_ALLOWED');
  return capped;
}

/** Decisions for every agency in the registry (the gate's plan for a notice). */
export function decideAll(facts: NoticeFacts, s: RegistrySnapshot, at: number): Decision[] {
  return [...s.agencies.keys()].sort().map((id) => decide(facts, id, s, at));
}
