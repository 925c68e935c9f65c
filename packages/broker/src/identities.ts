import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createUser, fromSeed } from '@nats-io/nkeys';

/**
 * NATS credentials (nkey seeds), one per identity: each agency, each gate, the
 * audit log, each auditor and administrator, and the operator. Stored as
 * `<home>/nats/<id>.nk` (mode 0600); the operator hands each identity its own seed.
 */
export class CredentialStore {
  constructor(readonly home: string) {}

  private path(id: string): string {
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) throw new Error(`not an identity: ${id}`);
    return join(this.home, 'nats', `${id}.nk`);
  }

  /** The seed of an identity, created on first use. */
  seed(id: string): string {
    const file = this.path(id);
    if (existsSync(file)) return readFileSync(file, 'utf8').trim();
    // mkdir's and writeFile's modes apply only to what they create: set them explicitly.
    const dir = join(this.home, 'nats');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    const seed = new TextDecoder().decode(createUser().getSeed());
    writeFileSync(file, `${seed}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
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
