import { IdentityError } from './errors.js';

const IDENTITY = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Identity names are file names in the key home: lower-case words joined by dashes. */
export function checkIdentity(id: string): string {
  if (!IDENTITY.test(id)) throw new IdentityError('BAD_IDENTITY', `not an identity: ${JSON.stringify(id)}`);
  return id;
}
