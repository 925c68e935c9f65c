import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { IdentityError } from './errors.js';

/** A directory only its owner may enter (0700), even when it existed with other modes. */
export function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** Writes a file only its owner may read (0600), even when it existed with other modes. */
export function writePrivate(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** Refuses a secret that group or others may read: it may already be someone else's. */
export function assertPrivate(file: string): void {
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077)
    throw new IdentityError(
      'CREDENTIALS_EXPOSED',
      `${file} is readable by others (mode ${mode.toString(8)}); chmod 600 it and rotate the key`,
    );
}
