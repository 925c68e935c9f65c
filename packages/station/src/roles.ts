/** The people of an agency who use its station, and what each may do. */
export const ROLES = ['officer', 'supervisor', 'dpo', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export type Permission =
  | 'inbox.list'
  | 'notice.open'
  | 'notice.export'
  | 'notice.publish'
  | 'outbox.read'
  | 'feed.replay'
  | 'accesslog.read'
  | 'officers.manage';

/**
 * Least privilege: officers read the inbox, open notices, publish and follow the
 * receipts of what was sent; a supervisor may also disclose (export) and replay the
 * feed from a time into the inbox; the data protection officer reads the access log and the
 * inbox's metadata but opens no content; the administrator manages accounts and
 * reads nothing. Nobody holds the agency's keys: the station does.
 */
const GRANTS: Record<Role, readonly Permission[]> = {
  officer: ['inbox.list', 'notice.open', 'notice.publish', 'outbox.read'],
  supervisor: ['inbox.list', 'notice.open', 'notice.export', 'notice.publish', 'outbox.read', 'feed.replay'],
  dpo: ['inbox.list', 'accesslog.read'],
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
