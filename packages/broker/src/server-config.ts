import type { CredentialStore } from '@liaison/identity';
import { activeAdmins, keysOf, type RegistrySnapshot } from '@liaison/registry';
import {
  administratorPermissions,
  agencyPermissions,
  auditLogPermissions,
  auditorPermissions,
  gatePermissions,
  type Permissions,
} from './permissions.js';

export interface BrokerConfigOptions {
  prefix?: string;
  /** Administrators' ids; default: the registry's active administrators. */
  admins?: readonly string[];
  /** The operator's identity: full rights, for running the infrastructure (not agencies). */
  operator?: string;
  now?: number;
}

export interface BrokerUser {
  id: string;
  nkey: string;
  permissions: Permissions | 'all';
}

/**
 * Who may connect, with which permissions, from the registry at one revision.
 * An agency with no valid, unrevoked signing key is not a user at all: revoking
 * its keys and reloading the server cuts it off, existing connections included.
 */
export function brokerUsers(
  s: RegistrySnapshot,
  creds: CredentialStore,
  o: BrokerConfigOptions = {},
): BrokerUser[] {
  const now = o.now ?? Date.now();
  const users: BrokerUser[] = [];
  if (o.operator) users.push({ id: o.operator, nkey: creds.publicKey(o.operator), permissions: 'all' });
  for (const a of s.agencies.values()) {
    const active = keysOf(s, a.id).some(
      (k) => k.use === 'sig' && k.revokedAt === undefined && (k.notAfter === undefined || k.notAfter > now),
    );
    if (!active) continue;
    let permissions: Permissions | undefined;
    if (a.roles.includes('gate')) permissions = gatePermissions(a.id, o.prefix);
    else if (a.roles.includes('audit-log')) permissions = auditLogPermissions(a.id, o.prefix);
    else if (a.roles.includes('auditor')) permissions = auditorPermissions(a.id, o.prefix);
    else if (a.roles.includes('publisher') || a.roles.includes('subscriber'))
      permissions = agencyPermissions(a, o.prefix);
    if (permissions) users.push({ id: a.id, nkey: creds.publicKey(a.id), permissions });
  }
  const admins = o.admins ?? activeAdmins(s).map((a) => a.id);
  for (const admin of admins)
    users.push({
      id: admin,
      nkey: creds.publicKey(admin),
      permissions: administratorPermissions(admin, o.prefix),
    });
  return users;
}

const q = (s: string) => JSON.stringify(s);
const list = (xs: readonly string[] = []) => `[${xs.map(q).join(', ')}]`;

/** The `authorization { users = [...] }` block for nats-server 2.9 (nkey users). */
export function authorizationBlock(users: readonly BrokerUser[]): string {
  const lines = users.map((u) => {
    if (u.permissions === 'all') return `    # ${u.id}\n    { nkey: ${q(u.nkey)} }`;
    const p = u.permissions;
    const pub = `publish: { allow: ${list(p.publish.allow)}${p.publish.deny ? `, deny: ${list(p.publish.deny)}` : ''} }`;
    const sub = `subscribe: { allow: ${list(p.subscribe.allow)}${p.subscribe.deny ? `, deny: ${list(p.subscribe.deny)}` : ''} }`;
    const responses = p.allowResponses ? ', allow_responses: true' : '';
    return `    # ${u.id}\n    { nkey: ${q(u.nkey)}, permissions: { ${pub}, ${sub}${responses} } }`;
  });
  return `authorization {\n  users = [\n${lines.join(',\n')}\n  ]\n}\n`;
}
