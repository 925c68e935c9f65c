import { inboxPrefix } from '@liaison/topology';
import {
  type ConnectionOptions,
  connect,
  type NatsConnection,
  nkeyAuthenticator,
} from '@nats-io/transport-node';
import type { CredentialStore } from './identities.js';

/** Connects as one identity: its nkey, its own inbox prefix (replies nobody else may read). */
export function connectAs(
  servers: string | string[],
  id: string,
  creds: CredentialStore,
  extra: Partial<ConnectionOptions> = {},
): Promise<NatsConnection> {
  return connect({
    servers,
    name: id,
    authenticator: nkeyAuthenticator(new TextEncoder().encode(creds.seed(id))),
    inboxPrefix: inboxPrefix(id),
    noAsyncTraces: true,
    ...extra,
  });
}
