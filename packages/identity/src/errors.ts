import { LiaisonError } from '@liaison/core';

export type IdentityErrorCode =
  /** Not an identity name (lower-case words joined by dashes). */
  | 'BAD_IDENTITY'
  /** The key home holds no key or no NATS credentials for this identity. */
  | 'NO_CREDENTIALS'
  /** A private key or seed file that others than its owner may read. */
  | 'CREDENTIALS_EXPOSED'
  /** No server could be reached (refused, unreachable, TLS handshake failed). */
  | 'NO_SERVER'
  /** The server refused this identity's credentials (or wants credentials). */
  | 'NOT_AUTHORIZED';

/** A failure to find an identity's keys or to connect as it. */
export class IdentityError extends LiaisonError<IdentityErrorCode> {}
