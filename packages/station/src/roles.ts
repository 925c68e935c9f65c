/** The people of an agency who use its station, and what each may do. */
export const ROLES = ['officer', 'supervisor', 'dpo', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export type Permission =
  | 'inbox.list'
  | 'notice.open'
  | 'notice.export'
  | 'notice.publish'
  | 'outbox.read'
  | 'feed.replay'
  | 'accesslog.read'
  // The access log's figures and pictures, a notice's access history with proofs (/dpo).
  | 'accesslog.figures'
  | 'officers.manage'
  // Lifecycle (docs/lifecycle.md): the review list, a review decision, a PNR re-disclosure.
  | 'review.list'
  | 'review.decide'
  | 'pnr.redisclose';

/**
 * Least privilege: officers read the inbox, open notices, publish and follow the
 * receipts of what was sent; a supervisor may also disclose (export) and replay the
 * feed from a time into the inbox; the data protection officer reads the access log and the
 * inbox's metadata but opens no content; the administrator manages accounts and
 * reads nothing; an auditor reads the access log and its figures, nothing else. Officers, supervisors and the DPO see the review list and record review
 * decisions ("keep until …, because …"); only a supervisor re-discloses masked PNR data,
 * and then only with the authorisation recorded. Nobody holds the agency's keys: the station does.
 */
const GRANTS: Record<Role, readonly Permission[]> = {
  officer: ['inbox.list', 'notice.open', 'notice.publish', 'outbox.read', 'review.list', 'review.decide'],
  supervisor: [
    'inbox.list',
    'notice.open',
    'notice.export',
    'notice.publish',
    'outbox.read',
    'feed.replay',
    'review.list',
    'review.decide',
    'pnr.redisclose',
  ],
  dpo: ['inbox.list', 'accesslog.read', 'accesslog.figures', 'review.list', 'review.decide'],
  // The supervisory authority's (or the agency's internal) auditor: the access log, its
  // proofs and figures, nothing of the inbox (LED Art. 25(2): logs for self-monitoring
  // and the supervisory authority). The exchange's own audit is the auditor console's.
  auditor: ['accesslog.read', 'accesslog.figures'],
  admin: ['officers.manage'],
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

/** Why an officer consults, discloses or searches (LED Art. 25: the justification). */
export const PURPOSES = [
  'case-work',
  'verification',
  'urgent-response',
  'routine-review',
  'supervision',
  'data-protection-review',
] as const;
export type Purpose = (typeof PURPOSES)[number];
