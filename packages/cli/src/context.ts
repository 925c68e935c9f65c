import { LiaisonError } from '@liaison/core';
import {
  type ConnectionConfigInput,
  connect,
  connectionFor,
  KeyStore,
  readServerFile,
} from '@liaison/identity';
import { type LogSource, remoteLog } from '@liaison/log-reader';
import { PolicyStore } from '@liaison/registry';
import type { NatsConnection } from '@nats-io/transport-node';

export interface GlobalOptions {
  server?: string;
  home: string;
  json: boolean;
}

/** What the CLI itself refuses or cannot do; library errors keep their own classes and codes. */
export type CliErrorCode =
  | 'NO_SERVER'
  | 'NOT_AUTHORIZED'
  | 'NOT_PERMITTED'
  | 'NO_RESPONSE'
  | 'NO_ADMIN'
  | 'NO_AGENCY'
  | 'NO_GATE_KEY'
  | 'UNKNOWN_AGENCY'
  | 'BAD_ARGUMENT'
  | 'BAD_FILE'
  | 'UNEXPECTED';

export class CliError extends LiaisonError<CliErrorCode> {}

/** The auditor the `audit` commands act as unless `--as` names another. */
export const DEFAULT_AUDITOR = 'eu-auditor';

/** The NATS URL: --server, LIAISON_NATS_URL, or the one a running `pnpm start -- --serve` wrote. */
export function serverUrl(g: GlobalOptions): string {
  if (g.server) return g.server;
  if (process.env.LIAISON_NATS_URL) return process.env.LIAISON_NATS_URL;
  const server = readServerFile(g.home);
  if (server) return server.url;
  throw new CliError(
    'NO_SERVER',
    'no server: pass --server nats://host:port, set LIAISON_NATS_URL, or run `pnpm start -- --serve`',
  );
}

export interface Session {
  nc: NatsConnection;
  keys: KeyStore;
  /** An open development broker (its server file says so): no accounts, JetStream reached directly. */
  open: boolean;
  /** The identity `nc` is connected as. */
  identity: string;
  /**
   * How this identity reads the logs: undefined for the operator (and on an open broker),
   * which reaches JetStream directly in the exchange's account; the log reader's batches
   * for everyone else — auditors and administrators are in accounts of their own
   * (docs/decisions/0014).
   */
  source: LogSource | undefined;
  /** How another identity of this key home connects (an agency named in a notice file). */
  connection(identity: string): ConnectionConfigInput;
  /** The registry (administrators and auditors only: agencies do not read the policy stream). */
  policy(): Promise<PolicyStore>;
  close(): Promise<void>;
}

/**
 * Connects as the identity main.ts chose (`--as`, `--admin`; `audit` commands default
 * to the auditor `eu-auditor`), else the operator, with its own nkey from the key
 * home. Only an open development broker (its server file says so) is joined
 * anonymously.
 */
/** The operator's identity: the only CLI user in the exchange's own account. */
export const OPERATOR = 'liaison-operator';

export async function openSession(g: GlobalOptions, identity?: string): Promise<Session> {
  const keys = new KeyStore(g.home);
  const id = identity ?? OPERATOR;
  // The server file of a running `pnpm start -- --serve` names its CA, or says it is open.
  const server = readServerFile(g.home);
  const ca = process.env.LIAISON_NATS_CA ?? server?.ca;
  const connection = (identity: string) =>
    connectionFor({
      home: g.home,
      identity,
      servers: serverUrl(g),
      ...(ca ? { caFile: ca } : {}),
      anonymous: server?.open === true,
    });
  const nc = await connect(connection(id));
  const source = server?.open === true || id === OPERATOR ? undefined : remoteLog(nc);
  let store: Promise<PolicyStore> | undefined;
  return {
    nc,
    keys,
    open: server?.open === true,
    identity: id,
    source,
    connection,
    policy: () => {
      store ??= PolicyStore.open(nc, { anchors: keys.anchors(), ...(source ? { source } : {}) });
      return store;
    },
    close: () => nc.close(),
  };
}

/** An administrator identity from the key store (`--admin <id>` or LIAISON_ADMIN). */
export async function admin(s: Session, id: string | undefined) {
  const adminId = id ?? process.env.LIAISON_ADMIN;
  if (!adminId)
    throw new CliError(
      'NO_ADMIN',
      'name the administrator: --admin <id> (its key is read from the key store)',
    );
  if (!s.keys.has('admins', adminId))
    throw new CliError('NO_ADMIN', `no key for administrator ${adminId} in ${s.keys.home}/admins`);
  const keys = await s.keys.load('admins', adminId);
  return { id: adminId, key: keys.signing };
}

export function parseInstant(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const t = Date.parse(value);
  if (Number.isNaN(t))
    throw new CliError('BAD_ARGUMENT', `not a time: ${value} (use ISO 8601, e.g. 2026-11-25T10:00:00Z)`);
  return t;
}

export function print(g: GlobalOptions, json: unknown, text: string): void {
  console.log(g.json ? JSON.stringify(json, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2) : text);
}
