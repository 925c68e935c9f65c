import { type RevokeKeyInput, type RotateKeysInput, revokeKey, rotateKeys } from '@liaison/registry';
import { admin, CliError, type GlobalOptions, parseInstant, print, type Session } from '../context.js';
import { agencyPublicKeys } from './public-keys.js';

/** Parse → rotateKeys → print: new keys proposed (four eyes), the old ones valid for `--grace-seconds` more. */
export async function keyRotate(
  s: Session,
  g: GlobalOptions,
  agency: string | undefined,
  o: Record<string, string | undefined>,
): Promise<void> {
  const store = await s.policy();
  if (!agency) throw new CliError('BAD_ARGUMENT', 'usage: liaison key rotate <agency> [--grace-seconds N]');
  const grace = Number(o['grace-seconds'] ?? '300');
  if (!Number.isFinite(grace) || grace < 0)
    throw new CliError('BAD_ARGUMENT', '--grace-seconds takes a number of seconds (0 or more)');
  const { keys, keep } = await agencyPublicKeys(agency, o);
  const by = await admin(s, o.admin);
  const r = await rotateKeys(store, by, {
    agency,
    keys,
    graceMs: Math.round(grace * 1000),
  } as RotateKeysInput);
  keep();
  print(
    g,
    r,
    `proposed new keys for ${agency} (proposal ${r.proposalId}): signing ${r.signing}, encryption ${r.encryption}; ` +
      `${r.retired.length} old key(s) retire ${grace} s after the rotation; a second administrator approves with: liaison agency approve <proposal-id>`,
  );
}

/** Parse → revokeKey → print. */
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
  const input: RevokeKeyInput = { agency, kid, revokedAt: parseInstant(o.at, Date.now()) };
  const r = await revokeKey(store, by, input);
  print(
    g,
    r,
    `revoked ${kid} of ${agency} from ${new Date(r.revokedAt).toISOString()} (revision ${r.revision})`,
  );
}
