import type { Agency, RegistrySnapshot } from '@liaison/registry';
import type { Decision } from './decide.js';
import type { NoticeFacts } from './facts.js';
import type { ReasonCode } from './reasons.js';

/** The legal basis recorded for an erasure request: the duty to notify recipients (LED Art. 16(6)). */
export const ERASURE_NOTIFICATION_BASIS = 'led-art-16-notification';

/**
 * An erasure request (LED Art. 16) carries no data, only the instruction to erase a
 * notice the recipient already holds: it goes to every recipient the provider names —
 * who must be exactly the original's recipients (the gate checks that against its
 * delivery ledger) — whatever their agreement is now, since a partner whose agreement
 * ended still holds the data. Delivered as "strategic" (no personal data) with no layers.
 */
export function erasureRequestDecision(
  facts: NoticeFacts,
  r: Agency,
  s: RegistrySnapshot,
  reasons: ReasonCode[],
): Decision {
  if (!facts.audience.recipients.includes(r.id)) {
    reasons.push('NOT_IN_AUDIENCE');
    return { recipient: r.id, level: 'none', layers: [], reasons, revision: s.revision };
  }
  reasons.push('ERASURE_REQUEST');
  return {
    recipient: r.id,
    level: 'strategic',
    layers: [],
    reasons,
    revision: s.revision,
    legalBasis: ERASURE_NOTIFICATION_BASIS,
  };
}
