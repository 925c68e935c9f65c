import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AgencyKeys, exportAgencyKeyFile, importAgencyKeyFile } from '@liaison/envelope';
import { IdentityError } from './errors.js';
import { checkIdentity } from './identity-name.js';
import { assertPrivate, privateDir, writePrivate } from './private-files.js';

export type KeyKind = 'keys' | 'admins';

/**
 * Private keys on disk, one JSON file per identity (private JWKs, files 0600 in
 * 0700 directories): `<home>/keys/<id>.json` for agencies and services,
 * `<home>/admins/<id>.json` for administrators, and `<home>/anchors.json` for the
 * registry's trust anchors. Production keys belong in an HSM or a secrets
 * manager, which this layout does not replace.
 */
export class KeyStore {
  constructor(readonly home: string) {}

  private path(kind: KeyKind, id: string): string {
    return join(this.home, kind, `${checkIdentity(id)}.json`);
  }

  has(kind: KeyKind, id: string): boolean {
    return existsSync(this.path(kind, id));
  }

  save(kind: KeyKind, keys: AgencyKeys): void {
    privateDir(this.home);
    privateDir(join(this.home, kind));
    writePrivate(this.path(kind, keys.agency), `${JSON.stringify(exportAgencyKeyFile(keys), null, 2)}\n`);
  }

  async load(kind: KeyKind, id: string): Promise<AgencyKeys> {
    const file = this.path(kind, id);
    if (!existsSync(file))
      throw new IdentityError(
        'NO_CREDENTIALS',
        `no ${kind === 'admins' ? 'administrator ' : ''}key for ${id} in ${join(this.home, kind)}`,
      );
    assertPrivate(file);
    return importAgencyKeyFile(JSON.parse(readFileSync(file, 'utf8')));
  }

  list(kind: KeyKind): string[] {
    const dir = join(this.home, kind);
    return existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => f.endsWith('.json'))
          .map((f) => f.slice(0, -5))
      : [];
  }

  saveAnchors(anchors: readonly string[]): void {
    privateDir(this.home);
    writePrivate(join(this.home, 'anchors.json'), `${JSON.stringify({ anchors }, null, 2)}\n`);
  }

  anchors(): string[] {
    const file = join(this.home, 'anchors.json');
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { anchors: string[] }).anchors : [];
  }
}
