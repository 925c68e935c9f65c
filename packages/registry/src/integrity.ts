import type { Issue } from '@liaison/core';
import { RegistryError } from './errors.js';
import { type Agency, EU_BODIES, isMemberState } from './model.js';

const SERVICE_ROLES = new Set([
  'gate',
  'audit-log',
  'auditor',
  'administrator',
  'deadlines',
  'retention',
  'log-reader',
]);

/**
 * An agency's kind must agree with its country and the fixed lists: a member-state
 * authority only for the 27 EU member states (GR or EL for Greece), an EU agency with
 * country "EU" and, to receive, one of the EU bodies; a third party never an EU member
 * state or "EU"; a service neither publishes nor subscribes. A registry that let anyone
 * claim community status would widen every rule at once.
 */
export function integrityIssues(a: Agency): Issue[] {
  const issues: Issue[] = [];
  const add = (path: string, message: string) =>
    issues.push({ code: 'INTEGRITY_VIOLATION', path: ['agency', path], message });
  switch (a.kind) {
    case 'member-state-authority':
      if (!isMemberState(a.country))
        add('country', 'a member-state authority belongs to one of the 27 EU member states');
      break;
    case 'eu-agency':
      if (a.country !== 'EU') add('country', 'an EU agency has country "EU"');
      if (
        a.roles.includes('subscriber') &&
        !EU_BODIES.some((b) => a.id === `eu-${b}` || a.id.startsWith(`eu-${b}-`))
      )
        add('id', `an EU agency that receives is one of: ${EU_BODIES.map((b) => `eu-${b}`).join(', ')}`);
      break;
    case 'third-party':
      if (isMemberState(a.country) || a.country === 'EU')
        add('country', 'an EU member state or body is not a third party');
      break;
    case 'service':
      if (a.roles.some((r) => !SERVICE_ROLES.has(r)))
        add('roles', 'a service neither publishes nor subscribes');
      break;
  }
  return issues;
}

export function checkIntegrity(a: Agency): void {
  const issues = integrityIssues(a);
  if (issues.length > 0)
    throw new RegistryError('INTEGRITY_VIOLATION', `agency ${a.id} is not what its kind claims`, { issues });
}

/**
 * Whether an update of an agency only narrows what it receives (its name may change,
 * roles may be dropped, a clearance lowered): that takes one administrator. Anything
 * else — kind, country, a new role, a higher clearance — needs four eyes.
 */
export function onlyNarrows(
  before: Agency,
  after: Agency,
  rank: (c: Agency['clearance']) => number,
): boolean {
  return (
    before.kind === after.kind &&
    before.country === after.country &&
    after.roles.every((r) => before.roles.includes(r)) &&
    rank(after.clearance) <= rank(before.clearance)
  );
}
