import { readFileSync } from 'node:fs';
import { generateAgencyKeys } from '@liaison/envelope';
import { KeyStore } from '@liaison/identity';
import {
  type AddAgencyInput,
  type AddAgencyResult,
  addAgency,
  approveChange,
  currentKey,
  makeRegistrationRequest,
  proposeRegistration,
} from '@liaison/registry';
import { admin, CliError, type GlobalOptions, print, type Session } from '../context.js';
import { agencyFromOptions, agencyPublicKeys } from './public-keys.js';

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

/**
 * Parse → proposeRegistration (or addAgency) → print: the registration waits for a second
 * administrator (`agency approve`). `--request` is the agency's signed registration
 * request (`liaison keys init`); `--generate-keys <home>` (demo) makes one here through the
 * same flow and keeps the private keys in that home; `--public-keys` (unsigned) is kept
 * for files written by `liaison key generate`.
 */
export async function agencyAdd(
  s: Session,
  g: GlobalOptions,
  o: Record<string, string | undefined>,
): Promise<void> {
  const store = await s.policy();
  const by = await admin(s, o.admin);
  let added: AddAgencyResult;
  if (o.request || o['generate-keys']) {
    let request: string;
    let keep = (): void => undefined;
    if (o.request) request = readText(o.request);
    else {
      const home = o['generate-keys'] as string;
      const keys = await generateAgencyKeys(o.id ?? '', { notBefore: Date.now() });
      request = await makeRegistrationRequest(agencyFromOptions(o.id, o) as never, keys);
      // Written only once the registry took the request: no orphaned private keys.
      keep = () => new KeyStore(home).save('keys', keys);
    }
    added = await proposeRegistration(store, by, { request });
    keep();
  } else {
    const { keys } = await agencyPublicKeys(o.id, o);
    added = await addAgency(store, by, { agency: agencyFromOptions(o.id, o), keys } as AddAgencyInput);
  }
  print(
    g,
    added,
    `proposed ${added.agency.id} (proposal ${added.proposalId}, revision ${added.revision}); ` +
      'a second administrator approves it with: liaison agency approve <proposal-id> --admin <other>' +
      (o['generate-keys'] ? `; private keys in ${o['generate-keys']}/keys/${added.agency.id}.json` : ''),
  );
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError('BAD_FILE', `cannot read ${file}`, { cause: err });
  }
}

/** Parse → approveChange → print: a pending registration, update or key change takes effect. */
export async function agencyApprove(
  s: Session,
  g: GlobalOptions,
  proposalId: string | undefined,
  o: Record<string, string | undefined>,
): Promise<void> {
  const store = await s.policy();
  if (!proposalId)
    throw new CliError('BAD_ARGUMENT', 'usage: liaison agency approve <proposal-id> --admin <id>');
  const by = await admin(s, o.admin);
  const r = await approveChange(store, by, { proposalId });
  const subject =
    'agency' in r.change && typeof r.change.agency === 'object' ? r.change.agency.id : r.change.agency;
  print(g, r, `approved ${r.change.type} for ${subject} (revision ${r.revision})`);
}
