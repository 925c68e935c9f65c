import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AgencyKeys, exportAgencyKeyFile, importAgencyKeyFile } from '@liaison/envelope';

/**
 * Private keys on disk, one JSON file per identity (private JWKs, mode 0600):
 * `<home>/keys/<agency>.json` for agencies and the gate, `<home>/admins/<id>.json`
 * for administrators, and `<home>/anchors.json` for the registry's trust anchors.
 * The demo creates a home in `.liaison/`; production keys belong in an HSM or a
 * secrets manager, which this layout does not replace.
 */
export class KeyStore {
  constructor(readonly home: string) {}

  private path(kind: 'keys' | 'admins', id: string): string {
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) throw new Error(`not an identity: ${id}`);
    return join(this.home, kind, `${id}.json`);
  }

  has(kind: 'keys' | 'admins', id: string): boolean {
    return existsSync(this.path(kind, id));
  }

  save(kind: 'keys' | 'admins', keys: AgencyKeys): void {
    // The modes given to mkdir and writeFile apply only to what they create: an existing
    // directory or file keeps its mode, so both are set explicitly.
    const dir = join(this.home, kind);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    const file = this.path(kind, keys.agency);
    writeFileSync(file, `${JSON.stringify(exportAgencyKeyFile(keys), null, 2)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }

  async load(kind: 'keys' | 'admins', id: string): Promise<AgencyKeys> {
    return importAgencyKeyFile(JSON.parse(readFileSync(this.path(kind, id), 'utf8')));
  }

  list(kind: 'keys' | 'admins'): string[] {
    const dir = join(this.home, kind);
    return existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => f.endsWith('.json'))
          .map((f) => f.slice(0, -5))
      : [];
  }

  saveAnchors(anchors: readonly string[]): void {
    mkdirSync(this.home, { recursive: true, mode: 0o700 });
    writeFileSync(join(this.home, 'anchors.json'), `${JSON.stringify({ anchors }, null, 2)}\n`);
  }

  anchors(): string[] {
    const file = join(this.home, 'anchors.json');
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { anchors: string[] }).anchors : [];
  }
}
