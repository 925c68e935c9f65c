import { type AddAgencyInput, addAgency, currentKey } from '@liaison/registry';
import { admin, CliError, type GlobalOptions, print, type Session } from '../context.js';
import { agencyPublicKeys } from './public-keys.js';

export async function agencyList(s: Session, g: GlobalOptions): Promise<void> {
  const store = await s.policy();
  const agencies = [...store.registry.current.agencies.values()];
  print(
    g,
    agencies,
    agencies
      .map(
        (a) =>
          `${a.id.padEnd(12)} ${a.country}  ${a.kind.padEnd(23)} ${a.roles.join(',').padEnd(22)} ${a.name}`,
      )
      .join('\n'),
  );
}

export async function agencyShow(s: Session, g: GlobalOptions, id: string | undefined): Promise<void> {
  const store = await s.policy();
  const snap = store.registry.current;
  const agency = id ? snap.agencies.get(id) : undefined;
  if (!agency) throw new CliError('UNKNOWN_AGENCY', `unknown agency ${id ?? '(none given)'}`);
  const keys = snap.keys.get(agency.id) ?? [];
  const now = Date.now();
  const lines = [
    `${agency.id} — ${agency.name}`,
    `  country ${agency.country}, ${agency.kind}, roles: ${agency.roles.join(', ')}`,
    ...keys.map(
      (k) =>
        `  ${k.use === 'sig' ? 'signing   ' : 'encryption'} ${k.kid}  from ${new Date(k.notBefore).toISOString()}` +
        `${k.notAfter ? ` until ${new Date(k.notAfter).toISOString()}` : ''}${k.revokedAt ? `  REVOKED ${new Date(k.revokedAt).toISOString()}` : ''}` +
        `${currentKey(snap, agency.id, k.use, now)?.kid === k.kid ? '  (current)' : ''}`,
    ),
  ];
  print(g, { agency, keys }, lines.join('\n'));
}

/** Parse → addAgency → print. */
export async function agencyAdd(
  s: Session,
  g: GlobalOptions,
  o: Record<string, string | undefined>,
): Promise<void> {
  const store = await s.policy();
  const agency = {
    id: o.id,
    name: o.name,
    country: o.country,
    kind: o.kind,
    roles: (o.roles ?? 'subscriber').split(','),
  };
  const { keys, keep } = await agencyPublicKeys(o.id, o);
  const by = await admin(s, o.admin);
  const added = await addAgency(store, by, { agency, keys } as AddAgencyInput);
  keep();
  print(
    g,
    added,
    `added ${added.agency.id} with signing key ${added.signing} and encryption key ${added.encryption} (revision ${added.revision})` +
      (o['generate-keys'] ? `; private keys in ${o['generate-keys']}/keys/${added.agency.id}.json` : ''),
  );
}
