import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createUser, fromSeed } from '@nats-io/nkeys';
import { checkIdentity } from './identity-name.js';
import { privateDir, writePrivate } from './private-files.js';

/**
 * NATS credentials (nkey seeds), one per identity: each agency, each gate, the
 * audit log, each auditor and administrator, and the operator. Stored as
 * `<home>/nats/<id>.nk` (0600 in a 0700 directory); the operator hands each
 * identity its own seed file.
 */
export class CredentialStore {
  constructor(readonly home: string) {}

  /** Where an identity's seed file is (whether or not it exists). */
  file(id: string): string {
    return join(this.home, 'nats', `${checkIdentity(id)}.nk`);
  }

  has(id: string): boolean {
    return existsSync(this.file(id));
  }

  /** The seed of an identity, created on first use. */
  seed(id: string): string {
    const file = this.file(id);
    if (existsSync(file)) return readFileSync(file, 'utf8').trim();
    privateDir(this.home);
    privateDir(join(this.home, 'nats'));
    const seed = new TextDecoder().decode(createUser().getSeed());
    writePrivate(file, `${seed}\n`);
    return seed;
  }

  /** The public nkey (U…) of an identity. */
  publicKey(id: string): string {
    return fromSeed(new TextEncoder().encode(this.seed(id))).getPublicKey();
  }

  list(): string[] {
    const dir = join(this.home, 'nats');
    return existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => f.endsWith('.nk'))
          .map((f) => f.slice(0, -3))
      : [];
  }
}
