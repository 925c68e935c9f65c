import type { Decision } from './decide.js';
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
export function explain(d: Decision): string {
  const because = d.reasons.map((r) => REASONS[r]).join('; and it ');
  return `${d.recipient} ${LEVEL_TEXT[d.level]}, under registry revision ${d.revision}, because it ${because}.`;
}
