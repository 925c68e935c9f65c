// Private keys on disk are the owner's alone: directories 0700, files 0600 — also
// when the directory or the file existed before with looser modes.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateAgencyKeys } from '@liaison/envelope';
import { CredentialStore, KeyStore } from '@liaison/identity';
import { makeDevCa } from '@liaison/testkit';
import { afterAll, describe, expect, it } from 'vitest';

const home = mkdtempSync(join(tmpdir(), 'liaison-modes-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

const mode = (path: string) => statSync(path).mode & 0o777;

/** A directory (and a file in it) someone made world-readable beforehand. */
function loose(dir: string, file?: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  chmodSync(dir, 0o755);
  if (file) {
    writeFileSync(join(dir, file), 'placeholder\n', { mode: 0o644 });
    chmodSync(join(dir, file), 0o644);
  }
}

describe('modes of key files and their directories', () => {
  it('the key store: keys/ and admins/ 0700, key files 0600', async () => {
    loose(join(home, 'keys'), 'de-bka.json');
    loose(join(home, 'admins'));
    const store = new KeyStore(home);
    store.save('keys', await generateAgencyKeys('de-bka', { notBefore: 0 }));
    store.save('admins', await generateAgencyKeys('admin-1', { notBefore: 0 }));
    expect(mode(join(home, 'keys'))).toBe(0o700);
    expect(mode(join(home, 'keys', 'de-bka.json'))).toBe(0o600);
    expect(mode(join(home, 'admins'))).toBe(0o700);
    expect(mode(join(home, 'admins', 'admin-1.json'))).toBe(0o600);
  });

  it('the NATS credential store: nats/ 0700, seed files 0600', () => {
    loose(join(home, 'nats'));
    new CredentialStore(home).seed('de-bka');
    expect(mode(join(home, 'nats'))).toBe(0o700);
    expect(mode(join(home, 'nats', 'de-bka.nk'))).toBe(0o600);
  });

  it('the development CA: its directory 0700, private keys 0600', () => {
    const dir = join(home, 'tls');
    loose(dir);
    makeDevCa(dir);
    expect(mode(dir)).toBe(0o700);
    for (const key of ['ca-key.pem', 'server-key.pem', 'client-key.pem'])
      expect(mode(join(dir, key))).toBe(0o600);
  });
});
