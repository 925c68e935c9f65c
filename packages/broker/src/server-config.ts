import type { CredentialStore } from '@liaison/identity';
import { activeAdmins, keysOf, type RegistrySnapshot } from '@liaison/registry';
import {
  accountOf,
  adminAccountOf,
  EXCHANGE_ACCOUNT,
  NO_AUTH_ACCOUNT,
  NO_AUTH_USER,
} from '@liaison/topology';
import { agencyCrossings, agencyPermissions, type Crossing } from './agency-account.js';
import { leafUserFor, noAuthGuard } from './leaf-users.js';
import {
  auditLogPermissions,
  deadlinesPermissions,
  gatePermissions,
  logReaderPermissions,
  type Permissions,
  retentionPermissions,
} from './permissions.js';
import { administratorCrossings, auditorCrossings, readerAccountPermissions } from './reader-accounts.js';

export interface BrokerConfigOptions {
  prefix?: string;
  /** Administrators' ids; default: the registry's active administrators. */
  admins?: readonly string[];
  /** The operator's identity: full rights in the exchange's account, for running the infrastructure. */
  operator?: string;
  now?: number;
  /**
   * Agency sites on leaf nodes: the password of an agency's leaf (undefined: no site).
   * Given, the agency's account also gets its leaf's user and the hub refuses leaf
   * connections without credentials (`siteUsers`, docs/decisions/0013).
   */
  leafPassword?: (agency: string) => string | undefined;
}

export interface BrokerUser {
  id: string;
  nkey: string;
  permissions: Permissions | 'all';
  /**
   * A password user instead of an nkey (an agency's leaf node: nats-server 2.9.10's leaf
   * CONNECT carries no nkey), allowed only the given connection types (docs/decisions/0013).
   */
  login?: { user: string; password: string; types: readonly string[] };
}

/** One NATS account: the exchange's (JetStream, the services, exports) or an agency's (imports). */
export interface BrokerAccount {
  name: string;
  jetstream: boolean;
  users: BrokerUser[];
  /** Exports (exchange) or imports (agency) of this account. */
  crossings: { crossing: Crossing; with: string }[];
}

function hasValidKey(s: RegistrySnapshot, id: string, now: number): boolean {
  return keysOf(s, id).some(
    (k) => k.use === 'sig' && k.revokedAt === undefined && (k.notAfter === undefined || k.notAfter > now),
  );
}

/**
 * The broker's accounts from the registry at one revision. The exchange's account
 * holds the streams and its users are the operator and the services (gates, audit log,
 * log reader, retention, deadlines), each with an allow list; every agency, every
 * auditor and every administrator is a user alone in an account of its own, which
 * imports exactly its crossings (and the exchange exports each to that one account):
 * no identity outside the services reaches JetStream's API (docs/decisions/0014). An
 * agency or auditor with no valid, unrevoked signing key, or a removed administrator,
 * keeps its account but has no user: revoking and reloading cuts it off, open
 * connections included.
 */
export function brokerAccounts(
  s: RegistrySnapshot,
  creds: CredentialStore,
  o: BrokerConfigOptions = {},
): BrokerAccount[] {
  const now = o.now ?? Date.now();
  const user = (id: string, permissions: Permissions | 'all'): BrokerUser => ({
    id,
    nkey: creds.publicKey(id),
    permissions,
  });
  const exchange: BrokerAccount = { name: EXCHANGE_ACCOUNT, jetstream: true, users: [], crossings: [] };
  const agencies: BrokerAccount[] = [];
  const others: BrokerAccount[] = [];
  /** An account of its own for `id`, importing `crossings` (the exchange exports each to it alone). */
  const own = (name: string, crossings: Crossing[], users: BrokerUser[]): BrokerAccount => {
    for (const crossing of crossings) exchange.crossings.push({ crossing, with: name });
    return {
      name,
      jetstream: false,
      users,
      crossings: crossings.map((crossing) => ({ crossing, with: EXCHANGE_ACCOUNT })),
    };
  };
  if (o.operator) exchange.users.push(user(o.operator, 'all'));
  // Who asks the audit log for checkpoints and proofs in its own account: the operator
  // (auditors ask from theirs, through imports).
  const requesters = o.operator ? [o.operator] : [];
  const subscriberIds = [...s.agencies.values()]
    .filter((a) => a.roles.includes('subscriber'))
    .map((a) => a.id);
  for (const a of s.agencies.values()) {
    const valid = hasValidKey(s, a.id, now);
    const isAgency = a.roles.includes('publisher') || a.roles.includes('subscriber');
    if (a.roles.includes('auditor') && !isAgency) {
      const crossings = auditorCrossings(o.prefix);
      const users = valid ? [user(a.id, readerAccountPermissions(a.id, crossings))] : [];
      others.push(own(accountOf(a.id), crossings, users));
      continue;
    }
    if (valid && !isAgency) {
      const permissions = a.roles.includes('gate')
        ? gatePermissions(a.id, o.prefix, subscriberIds)
        : a.roles.includes('audit-log')
          ? auditLogPermissions(a.id, o.prefix, requesters)
          : a.roles.includes('log-reader')
            ? logReaderPermissions(a.id, o.prefix, subscriberIds)
            : a.roles.includes('retention')
              ? retentionPermissions(a.id, o.prefix, subscriberIds)
              : a.roles.includes('deadlines')
                ? deadlinesPermissions(a.id, o.prefix)
                : undefined;
      if (permissions) exchange.users.push(user(a.id, permissions));
    }
    if (isAgency) {
      // An agency without a valid key keeps its account (a reload can remove a user, not
      // wire an import) but has no user in it.
      const name = accountOf(a.id);
      const crossings = agencyCrossings(a, o.prefix);
      for (const crossing of crossings) exchange.crossings.push({ crossing, with: name });
      const leaf = valid && o.leafPassword ? leafUserFor(a, o.leafPassword(a.id), o.prefix) : undefined;
      agencies.push({
        name,
        jetstream: false,
        users: valid ? [user(a.id, agencyPermissions(a, o.prefix)), ...(leaf ? [leaf] : [])] : [],
        crossings: crossings.map((crossing) => ({ crossing, with: EXCHANGE_ACCOUNT })),
      });
    }
  }
  // Every administrator ever registered keeps an account (a removal is then a reload); the
  // active ones have a user in it.
  const active = new Set(o.admins ?? activeAdmins(s).map((a) => a.id));
  for (const admin of new Set([...(o.admins ? [] : s.admins.keys()), ...active])) {
    const crossings = administratorCrossings(o.prefix);
    const users = active.has(admin) ? [user(admin, readerAccountPermissions(admin, crossings))] : [];
    others.push(own(adminAccountOf(admin), crossings, users));
  }
  return [exchange, ...agencies, ...others, ...(o.leafPassword ? [noAuthGuard()] : [])];
}

const q = (s: string) => JSON.stringify(s);
const list = (xs: readonly string[] = []) => `[${xs.map(q).join(', ')}]`;

function userLine(u: BrokerUser): string {
  const who = u.login
    ? `user: ${q(u.login.user)}, password: ${q(u.login.password)}, allowed_connection_types: ${list(u.login.types)}`
    : `nkey: ${q(u.nkey)}`;
  if (u.permissions === 'all') return `      # ${u.id}\n      { ${who} }`;
  const p = u.permissions;
  const pub = `publish: { allow: ${list(p.publish.allow)}${p.publish.deny ? `, deny: ${list(p.publish.deny)}` : ''} }`;
  const sub = `subscribe: { allow: ${list(p.subscribe.allow)}${p.subscribe.deny ? `, deny: ${list(p.subscribe.deny)}` : ''} }`;
  return `      # ${u.id}\n      { ${who}, permissions: { ${pub}, ${sub} } }`;
}

function exportLine({ crossing: c, with: account }: BrokerAccount['crossings'][number]): string {
  const responses = c.responses ? `, response_type: ${q(c.responses)}` : '';
  return `      { ${c.kind}: ${q(c.subject)}, accounts: [${q(account)}]${responses} }`;
}

function importLine({ crossing: c, with: account }: BrokerAccount['crossings'][number]): string {
  const to = c.local !== c.subject ? `, to: ${q(c.local)}` : '';
  return `      { ${c.kind}: { account: ${q(account)}, subject: ${q(c.subject)} }${to} }`;
}

/** The `accounts { … }` block for nats-server 2.9 (nkey users, exports, imports). */
export function accountsBlock(accounts: readonly BrokerAccount[]): string {
  const blocks = accounts.map((a) => {
    const lines = [`    users: [\n${a.users.map(userLine).join(',\n')}\n    ]`];
    if (a.jetstream) lines.unshift('    jetstream: enabled');
    if (a.crossings.length) {
      const exporting = a.name === EXCHANGE_ACCOUNT;
      lines.push(
        `    ${exporting ? 'exports' : 'imports'}: [\n${a.crossings.map(exporting ? exportLine : importLine).join(',\n')}\n    ]`,
      );
    }
    return `  ${q(a.name)}: {\n${lines.join('\n')}\n  }`;
  });
  // The guard against credential-less leaf connections names its user outside the block.
  const guarded = accounts.some((a) => a.name === NO_AUTH_ACCOUNT);
  return `accounts {\n${blocks.join('\n')}\n}\n${guarded ? `no_auth_user: ${q(NO_AUTH_USER)}\n` : ''}`;
}

/**
 * Before the directory exists: the exchange's account with the operator alone (and, on
 * a hub that takes leaf nodes, `leafGuard`, the refusal of credential-less leaf connections).
 */
export function operatorOnlyBlock(
  operator: string,
  creds: CredentialStore,
  o: { leafGuard?: boolean } = {},
): string {
  return accountsBlock([
    {
      name: EXCHANGE_ACCOUNT,
      jetstream: true,
      users: [{ id: operator, nkey: creds.publicKey(operator), permissions: 'all' }],
      crossings: [],
    },
    ...(o.leafGuard ? [noAuthGuard()] : []),
  ]);
}

/**
 * What a reload cannot change on nats-server 2.9.10: the accounts and their exports
 * and imports (a reload that adds an account or an import leaves the new import
 * unwired — "no responders" — docs/decisions/0008). When this differs from the
 * running configuration's, the server must be restarted; users and permissions
 * alone reload.
 */
export function accountsShape(accounts: readonly BrokerAccount[]): string {
  // The leaf users too: 2.9.10's reload re-checks client and route connections, not leaf
  // connections, so a revoked agency's open leaf link is cut by a restart (docs/decisions/0013).
  const leafUsers = (a: BrokerAccount) => a.users.flatMap((u) => (u.login ? [u.login.user] : []));
  return JSON.stringify(accounts.map((a) => [a.name, a.jetstream, a.crossings, leafUsers(a)]));
}

/** Every user of every account (for listings). */
export function brokerUsers(accounts: readonly BrokerAccount[]): (BrokerUser & { account: string })[] {
  return accounts.flatMap((a) => a.users.map((u) => ({ ...u, account: a.name })));
}
