import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { generateAgencyKeys } from '@liaison/envelope';
import { KeyStore } from '@liaison/identity';
import { keySpec, makeRegistrationRequest, type PublicKeys } from '@liaison/registry';
import { CliError, type GlobalOptions, print } from '../context.js';

/**
 * The public keys an administrator registers for an agency: read from the file
 * the agency handed over (`--public-keys`, as `liaison key generate` writes it),
 * or — a convenience for the demo, where one machine plays every part — generated
 * here with the private halves written to the key store in `--generate-keys <home>`.
 * The registry operation validates what is read.
 */
export async function agencyPublicKeys(
  agency: string | undefined,
  o: Record<string, string | undefined>,
): Promise<{ keys: unknown; keep: () => void }> {
  if (o['public-keys']) {
    try {
      return { keys: JSON.parse(readFileSync(o['public-keys'], 'utf8')) as unknown, keep: () => undefined };
    } catch (err) {
      throw new CliError('BAD_FILE', `cannot read ${o['public-keys']}`, { cause: err });
    }
  }
  const home = o['generate-keys'];
  if (home && agency) {
    const pairs = await generateAgencyKeys(agency, { notBefore: Date.now() });
    const keys: PublicKeys = { signing: keySpec(pairs.signing), encryption: keySpec(pairs.encryption) };
    // Written only once the registry took the public halves: no orphaned private keys.
    return { keys, keep: () => new KeyStore(home).save('keys', pairs) };
  }
  throw new CliError(
    'BAD_ARGUMENT',
    "the agency's signed registration request: --request <file> (the agency runs `liaison keys init <id> … --out <file>`), " +
      'or its public keys: --public-keys <file> (`liaison key generate <id> --out <file>`), ' +
      'or --generate-keys <home> to generate them here (demo only: the private keys go to that key store)',
  );
}

/**
 * An agency's side: new keys, the private halves into this home's key store, the
 * public halves printed (and written to `--out`) for an administrator to register.
 */
export async function keyGenerate(
  g: GlobalOptions,
  agency: string | undefined,
  o: Record<string, string | undefined>,
): Promise<void> {
  if (!agency) throw new CliError('BAD_ARGUMENT', 'usage: liaison key generate <agency> [--out file]');
  const keys = await generateAgencyKeys(agency, { notBefore: Date.now() });
  new KeyStore(g.home).save('keys', keys);
  const pub: PublicKeys = { signing: keySpec(keys.signing), encryption: keySpec(keys.encryption) };
  if (o.out) writeFileSync(o.out, `${JSON.stringify(pub, null, 2)}\n`);
  print(
    g,
    pub,
    `new keys for ${agency}: signing ${keys.signing.record.kid}, encryption ${keys.encryption.record.kid}; ` +
      `private keys in ${g.home}/keys/${agency}.json${o.out ? `, public keys in ${o.out}` : ''}`,
  );
}

/** The agency as the options describe it (validated by the registry). */
export function agencyFromOptions(id: string | undefined, o: Record<string, string | undefined>): unknown {
  return {
    id,
    name: o.name,
    country: o.country,
    kind: o.kind,
    roles: (o.roles ?? 'subscriber').split(','),
    ...(o.clearance ? { clearance: o.clearance } : {}),
  };
}

/**
 * An agency's side of registering: new keys, the private halves into this home's key
 * store, and a registration request (public keys only, signed with the new signing key)
 * written to `--out` for an administrator (`liaison agency add --request`). Refuses to
 * replace keys the home already holds.
 */
export async function keysInit(
  g: GlobalOptions,
  agency: string | undefined,
  o: Record<string, string | undefined>,
): Promise<void> {
  if (!agency || !o.out)
    throw new CliError(
      'BAD_ARGUMENT',
      'usage: liaison keys init <agency> --name … --country CC --kind … --roles a,b [--clearance level] --out request.jws',
    );
  const store = new KeyStore(g.home);
  if (store.has('keys', agency))
    throw new CliError('BAD_ARGUMENT', `${g.home} already holds keys for ${agency}: rotate them instead`);
  const keys = await generateAgencyKeys(agency, { notBefore: Date.now() });
  // Validated (INVALID_INPUT with the paths) before anything is written.
  const request = await makeRegistrationRequest(agencyFromOptions(agency, o) as never, keys);
  if (existsSync(o.out)) throw new CliError('BAD_ARGUMENT', `${o.out} exists: choose another --out`);
  store.save('keys', keys);
  writeFileSync(o.out, `${request}\n`);
  print(
    g,
    { agency, signing: keys.signing.record.kid, encryption: keys.encryption.record.kid, request: o.out },
    `new keys for ${agency}: signing ${keys.signing.record.kid}, encryption ${keys.encryption.record.kid}; ` +
      `private keys in ${g.home}/keys/${agency}.json; signed registration request in ${o.out} ` +
      '(an administrator runs: liaison agency add --request <file> --admin <id>)',
  );
}
