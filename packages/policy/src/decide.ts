import type { LayerName } from '@liaison/notice';
import {
  type Agency,
  agreementAt,
  currentKey,
  keysOf,
  type Level,
  latestAgreement,
  type RegistrySnapshot,
} from '@liaison/registry';
import type { AudienceFacts, NoticeFacts } from './facts.js';
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
}

function matches(selector: string, agency: Agency): boolean {
  if (selector.startsWith('country:')) return selector.slice(8) === agency.country;
  if (selector.startsWith('kind:')) return selector.slice(5) === agency.kind;
  return selector === agency.id;
}

/** The level the agreements allow (before the sender's audience and the notice's own rules). */
function agreementLevel(facts: NoticeFacts, r: Agency, s: RegistrySnapshot, reasons: ReasonCode[]): Level {
  if (r.kind === 'member-state-authority' || r.kind === 'eu-agency') {
    reasons.push('COMMUNITY_MEMBER');
    return 'operational';
  }
  const agreement = agreementAt(s, r.country, facts.createdAt);
  if (!agreement) {
    const latest = latestAgreement(s, r.country);
    if (!latest) reasons.push('NO_AGREEMENT');
    else reasons.push(facts.createdAt < latest.validFrom ? 'AGREEMENT_NOT_YET_VALID' : 'AGREEMENT_EXPIRED');
    return 'none';
  }
  const scope = agreement.crimeAreas;
  if (scope && !facts.crimeAreas.every((c) => scope.includes(c))) {
    reasons.push('OUT_OF_CRIME_AREA_SCOPE');
    return 'none';
  }
  reasons.push(
    agreement.level === 'operational'
      ? 'AGREEMENT_OPERATIONAL'
      : agreement.level === 'strategic'
        ? 'AGREEMENT_STRATEGIC'
        : 'AGREEMENT_NONE',
  );
  return agreement.level;
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
  } else return r;
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

  const level = agreementLevel(facts, r, s, reasons);
  if (level === 'none') return none();
  if (!audienceAllows(facts.audience, r, reasons)) return none();
  if (
    (facts.tlp === 'TLP:RED' || facts.tlp === 'TLP:AMBER+STRICT') &&
    !facts.audience.recipients.includes(r.id)
  ) {
    reasons.push('TLP_NAMED_RECIPIENTS_ONLY');
    return none();
  }

  const layers: LayerName[] = facts.layers.filter((l) => l === 'strategic' || level === 'operational');
  if (layers.length === 0) {
    reasons.push('NO_NON_PERSONAL_CONTENT');
    return none();
  }
  return { recipient, level, layers, reasons, revision: s.revision };
}

/** Decisions for every agency in the registry (the gate's plan for a notice). */
export function decideAll(facts: NoticeFacts, s: RegistrySnapshot, at: number): Decision[] {
  return [...s.agencies.keys()].sort().map((id) => decide(facts, id, s, at));
}
