import { randomBytes } from 'node:crypto';
import type { Agency } from '@liaison/registry';
import { DEFAULT_PREFIX, leafUserOf, NO_AUTH_ACCOUNT, NO_AUTH_USER } from '@liaison/topology';
import { agencyPermissions } from './agency-account.js';
import type { BrokerAccount, BrokerUser } from './server-config.js';

/**
 * The hub's user for an agency's leaf node, in the agency's own account: what the leaf
 * may carry is exactly what the agency's own connection may (`agencyPermissions`, the
 * account's imports). nats-server 2.9.10 applies a user's permissions to a leaf
 * connection from the leaf's side (publish: what the leaf may send into the account;
 * subscribe: what it may ask for) and swaps them internally; measured in
 * docs/decisions/0013. Only a leaf may log in as it (`LEAFNODE`), and the agency's nkey
 * user stays the only way a client connects.
 */
export function leafUserFor(
  a: Agency,
  password: string | undefined,
  prefix = DEFAULT_PREFIX,
): BrokerUser | undefined {
  if (!password) return undefined;
  return {
    id: `${a.id} (leaf node)`,
    nkey: '',
    permissions: agencyPermissions(a, prefix),
    login: { user: leafUserOf(a.id), password, types: ['LEAFNODE'] },
  };
}

/**
 * `no_auth_user`'s account: one user allowed only for MQTT, which the hub does not serve,
 * and permitted nothing. A connection without credentials is mapped to it and refused —
 * on 2.9.10 a leaf connection without credentials is otherwise bound to the global account.
 */
export function noAuthGuard(): BrokerAccount {
  return {
    name: NO_AUTH_ACCOUNT,
    jetstream: false,
    crossings: [],
    users: [
      {
        id: 'no credentials: refused',
        nkey: '',
        permissions: { publish: { allow: [], deny: ['>'] }, subscribe: { allow: [], deny: ['>'] } },
        login: { user: NO_AUTH_USER, password: randomBytes(32).toString('hex'), types: ['MQTT'] },
      },
    ],
  };
}
