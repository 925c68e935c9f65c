import type { Decision } from './decide.js';
import type { NoticeFacts } from './facts.js';
import { REASONS } from './reasons.js';

const LEVEL_TEXT = {
  operational: 'may receive the whole notice, personal data included (operational)',
  strategic: 'may receive the non-personal layer only (strategic)',
  none: 'receives nothing',
} as const;

/**
 * A decision as a sentence a data protection officer can read, e.g.
 * "ru-mvd may receive the non-personal layer only (strategic), under registry
 * revision 42, because it has a strategic agreement in force at the notice time".
 */
export function explain(d: Decision, facts?: Pick<NoticeFacts, 'personalData'>): string {
  const because = d.reasons.map((r) => REASONS[r]).join('; and it ');
  // Operational access to a notice that holds no personal data is not access to personal data.
  const level =
    d.level === 'operational' && facts?.personalData === false
      ? 'may receive the whole notice, which holds no personal data (operational)'
      : LEVEL_TEXT[d.level];
  const basis = d.legalBasis && d.legalBasis !== 'community' ? ` (legal basis: ${d.legalBasis})` : '';
  return `${d.recipient} ${level}${basis}, under registry revision ${d.revision}, because it ${because}.`;
}
