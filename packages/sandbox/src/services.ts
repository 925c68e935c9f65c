import type { Agency } from '@liaison/registry';

export const GATE_ID = 'liaison-gate';
export const OPERATOR_ID = 'liaison-operator';
export const AUDIT_LOG_ID = 'liaison-audit-log';
export const RETENTION_ID = 'liaison-retention';
/** The deadline service's identity (docs/conversations.md); tests run it with `runDeadlines`. */
export const DEADLINES_ID = 'liaison-deadlines';
/** The log reader's identity: auditors and administrators read the logs through it (docs/decisions/0014). */
export const LOG_READER_ID = 'liaison-log-reader';

export const SERVICES: Agency[] = [
  { id: GATE_ID, name: 'Liaison policy gate', country: 'EU', kind: 'service', roles: ['gate'] },
  { id: AUDIT_LOG_ID, name: 'Liaison audit log', country: 'EU', kind: 'service', roles: ['audit-log'] },
  { id: RETENTION_ID, name: 'Liaison retention', country: 'EU', kind: 'service', roles: ['retention'] },
  {
    id: DEADLINES_ID,
    name: 'Liaison deadline service',
    country: 'EU',
    kind: 'service',
    roles: ['deadlines'],
  },
  { id: LOG_READER_ID, name: 'Liaison log reader', country: 'EU', kind: 'service', roles: ['log-reader'] },
];
