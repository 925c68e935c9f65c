import { readFileSync } from 'node:fs';
import { LiaisonError, toIssues } from '@liaison/core';
import {
  AuthorizationError,
  type NatsConnection,
  connect as natsConnect,
  nkeyAuthenticator,
} from '@nats-io/transport-node';
import { type ConnectionConfigInput, ConnectionConfigSchema } from './connection-config.js';
import { IdentityError } from './errors.js';
import { assertPrivate } from './private-files.js';

class ConnectionConfigError extends LiaisonError<'CONFIG_INVALID'> {}

/**
 * The one way Liaison connects to NATS: validates the config, reads the
 * identity's seed (refusing one others may read), and connects with its nkey,
 * TLS when a CA is named, and its own inbox prefix. A failure is an
 * `IdentityError` with a code: `NO_CREDENTIALS`, `NOT_AUTHORIZED`, `NO_SERVER`.
 *
 * @example
 * const nc = await connect(connectionFor({ home: '.liaison', identity: 'at-bmi', servers: url, caFile }));
 */
export async function connect(input: ConnectionConfigInput): Promise<NatsConnection> {
  const parsed = ConnectionConfigSchema.safeParse(input);
  if (!parsed.success)
    throw new ConnectionConfigError('CONFIG_INVALID', 'invalid connection config', {
      issues: toIssues(parsed.error.issues),
    });
  const c = parsed.data;
  let authenticator: ReturnType<typeof nkeyAuthenticator> | undefined;
  if (c.nkeySeedFile) {
    assertPrivate(c.nkeySeedFile);
    authenticator = nkeyAuthenticator(new TextEncoder().encode(readFileSync(c.nkeySeedFile, 'utf8').trim()));
  } else if (!c.anonymous) {
    throw new IdentityError(
      'NO_CREDENTIALS',
      `no NATS credentials for ${c.name}: give its nkey seed file (the key home's nats/${c.name}.nk), or connect anonymously to an open development broker`,
    );
  }
  try {
    return await natsConnect({
      servers: c.servers,
      name: c.name,
      ...(authenticator ? { authenticator } : {}),
      ...(c.inboxPrefix ? { inboxPrefix: c.inboxPrefix } : {}),
      ...(c.caFile ? { tls: { caFile: c.caFile } } : {}),
      // Async stack traces cost a stack capture per request: off, as in production.
      noAsyncTraces: true,
      timeout: c.timeoutMs,
      maxReconnectAttempts: c.reconnect ? -1 : 0,
      // A broker restart (new accounts) or a failover: back within a quarter second.
      reconnectTimeWait: 250,
    });
  } catch (err) {
    if (err instanceof AuthorizationError)
      throw new IdentityError('NOT_AUTHORIZED', `the server refused ${c.name}'s credentials`, { cause: err });
    throw new IdentityError('NO_SERVER', `could not connect to ${c.servers.join(',')}`, { cause: err });
  }
}
