import { generateAgencyKeys } from '@liaison/envelope';
import { AGENCY_KINDS, type Agency, AgencySchema, currentKey, keySpec, ROLES } from '@liaison/registry';
import { admin, CliError, type GlobalOptions, print, type Session } from '../context.js';

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

export async function agencyAdd(
  s: Session,
  g: GlobalOptions,
  o: Record<string, string | undefined>,
): Promise<void> {
  const store = await s.policy();
  const parsed = AgencySchema.safeParse({
    id: o.id,
    name: o.name,
    country: o.country,
    kind: o.kind,
    roles: (o.roles ?? 'subscriber').split(','),
  });
  if (!parsed.success) {
    throw new CliError(
      'BAD_ARGUMENT',
      `invalid agency: ${parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; ')} ` +
        `(kinds: ${AGENCY_KINDS.join(', ')}; roles: ${ROLES.join(', ')})`,
    );
  }
  const agency: Agency = parsed.data;
  const by = await admin(s, o.admin);
  await store.append(await store.registry.prepare('agency-added', { agency }, by));
  const keys = await generateAgencyKeys(agency.id, { notBefore: Date.now() });
  s.keys.save('keys', keys);
  await store.append(
    await store.registry.prepare('key-added', { agency: agency.id, key: keySpec(keys.signing) }, by),
  );
  await store.append(
    await store.registry.prepare('key-added', { agency: agency.id, key: keySpec(keys.encryption) }, by),
  );
  print(
    g,
    { agency, revision: store.registry.current.revision },
    `added ${agency.id} with new keys (revision ${store.registry.current.revision}); private keys in ${s.keys.home}/keys/${agency.id}.json`,
  );
}
