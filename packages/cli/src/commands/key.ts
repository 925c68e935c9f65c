import { generateAgencyKeys } from '@liaison/envelope';
import { currentKey, keySpec } from '@liaison/registry';
import { admin, CliError, type GlobalOptions, parseInstant, print, type Session } from '../context.js';

/** New signing and encryption keys; the old ones stay valid for `grace` seconds for what is in flight. */
export async function keyRotate(
  s: Session,
  g: GlobalOptions,
  agency: string | undefined,
  o: Record<string, string | undefined>,
): Promise<void> {
  const store = await s.policy();
  const snap = store.registry.current;
  if (!agency || !snap.agencies.has(agency))
    throw new CliError('UNKNOWN_AGENCY', `unknown agency ${agency ?? '(none given)'}`);
  const by = await admin(s, o.admin);
  const now = Date.now();
  const graceMs = Number(o['grace-seconds'] ?? '300') * 1000;
  const old = (['sig', 'enc'] as const)
    .map((use) => currentKey(snap, agency, use, now))
    .filter((k) => k !== undefined);
  const keys = await generateAgencyKeys(agency, { notBefore: now });
  await store.append(await store.registry.prepare('key-added', { agency, key: keySpec(keys.signing) }, by));
  await store.append(
    await store.registry.prepare('key-added', { agency, key: keySpec(keys.encryption) }, by),
  );
  for (const k of old) {
    await store.append(
      await store.registry.prepare('key-retired', { agency, kid: k.kid, notAfter: now + graceMs }, by),
    );
  }
  s.keys.save('keys', keys);
  print(
    g,
    {
      agency,
      signing: keys.signing.record.kid,
      encryption: keys.encryption.record.kid,
      retired: old.map((k) => k.kid),
    },
    `rotated ${agency}: signing ${keys.signing.record.kid}, encryption ${keys.encryption.record.kid}; ` +
      `${old.length} old key(s) retire in ${graceMs / 1000} s`,
  );
}

export async function keyRevoke(
  s: Session,
  g: GlobalOptions,
  agency: string | undefined,
  kid: string | undefined,
  o: Record<string, string | undefined>,
): Promise<void> {
  const store = await s.policy();
  if (!agency || !kid)
    throw new CliError('BAD_ARGUMENT', 'usage: liaison key revoke <agency> <kid> [--at <time>]');
  const by = await admin(s, o.admin);
  const revokedAt = parseInstant(o.at, Date.now());
  await store.append(await store.registry.prepare('key-revoked', { agency, kid, revokedAt }, by));
  print(
    g,
    { agency, kid, revokedAt },
    `revoked ${kid} of ${agency} from ${new Date(revokedAt).toISOString()} (revision ${store.registry.current.revision})`,
  );
}
