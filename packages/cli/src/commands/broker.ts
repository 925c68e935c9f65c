import { writeFileSync } from 'node:fs';
import { authorizationBlock, BrokerSync, brokerUsers } from '@liaison/broker';
import { CredentialStore } from '@liaison/identity';
import { CliError, type GlobalOptions, print, type Session } from '../context.js';

const OPERATOR = 'liaison-operator';

/**
 * Writes the broker's authorization block (one nkey user per identity, permissions
 * generated from the registry) and, with --signal-pid, tells nats-server to reload
 * it (SIGHUP): a revoked agency loses access without a restart. With --watch it
 * keeps doing so on every policy event until Ctrl-C.
 */
export async function brokerConfig(
  s: Session,
  g: GlobalOptions,
  o: Record<string, string | undefined>,
): Promise<void> {
  const store = await s.policy();
  const creds = new CredentialStore(s.keys.home);
  const install = (block: string) => {
    if (o.out) writeFileSync(o.out, block);
    if (o['signal-pid']) process.kill(Number(o['signal-pid']), 'SIGHUP');
  };
  if (o.watch !== undefined) {
    if (!o.out)
      throw new CliError(
        'BAD_ARGUMENT',
        '--watch needs --out <file> (and usually --signal-pid <nats-server pid>)',
      );
    const sync = await BrokerSync.start({ nc: s.nc, store, creds, operator: OPERATOR, apply: install });
    console.log(`following the registry; writing ${o.out} on every change (Ctrl-C to stop)`);
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    sync.stop();
    return;
  }
  const snapshot = store.registry.current;
  const users = brokerUsers(snapshot, creds, { operator: OPERATOR });
  const block = authorizationBlock(users);
  install(block);
  print(
    g,
    { revision: snapshot.revision, users: users.map((u) => u.id) },
    o.out
      ? `wrote ${users.length} users (registry revision ${snapshot.revision}) to ${o.out}${o['signal-pid'] ? '; server reloaded' : ''}`
      : block,
  );
}
