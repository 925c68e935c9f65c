import { writeFileSync } from 'node:fs';
import { accountsBlock, BrokerSync, brokerAccounts, brokerUsers, LeafPasswords } from '@liaison/broker';
import { CredentialStore } from '@liaison/identity';
import { CliError, type GlobalOptions, OPERATOR, print, type Session } from '../context.js';

/**
 * Writes the broker's accounts block (the exchange's account with the services, one
 * account per agency with its imports; one nkey user per identity, permissions
 * generated from the registry) and, with --signal-pid, tells nats-server to reload
 * it (SIGHUP): a revoked agency loses access without a restart. With --watch it
 * keeps doing so on every policy event until Ctrl-C. With --leaf-sites (a hub that
 * takes agency sites' leaf nodes) each agency with a leaf password in the key home
 * (`<home>/nats/<agency>.leaf`, `LeafPasswords`) gets its leaf user in its account, and
 * credential-less connections are refused (docs/decisions/0013).
 */
export async function brokerConfig(
  s: Session,
  g: GlobalOptions,
  o: Record<string, string | undefined>,
): Promise<void> {
  const store = await s.policy();
  const creds = new CredentialStore(s.keys.home);
  const passwords = new LeafPasswords(s.keys.home);
  const leaf = o['leaf-sites'] !== undefined ? { leafPassword: (id: string) => passwords.get(id) } : {};
  let installed = 0;
  const install = (block: string, change?: { accountsChanged: boolean }) => {
    if (o.out) writeFileSync(o.out, block);
    if (change?.accountsChanged && o['signal-pid'] && installed++ > 0)
      // nats-server 2.9.10 does not wire an account or import a reload adds (decision 0008).
      console.error(
        'accounts changed (an agency was added): restart nats-server to apply them; a reload applies users and permissions only',
      );
    if (o['signal-pid']) process.kill(Number(o['signal-pid']), 'SIGHUP');
  };
  if (o.watch !== undefined) {
    if (!o.out)
      throw new CliError(
        'BAD_ARGUMENT',
        '--watch needs --out <file> (and usually --signal-pid <nats-server pid>)',
      );
    const sync = await BrokerSync.start({
      nc: s.nc,
      store,
      creds,
      operator: OPERATOR,
      apply: install,
      ...leaf,
    });
    console.log(`following the registry; writing ${o.out} on every change (Ctrl-C to stop)`);
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    sync.stop();
    return;
  }
  const snapshot = store.registry.current;
  const accounts = brokerAccounts(snapshot, creds, { operator: OPERATOR, ...leaf });
  const users = brokerUsers(accounts);
  const block = accountsBlock(accounts);
  install(block);
  print(
    g,
    {
      revision: snapshot.revision,
      accounts: accounts.map((a) => a.name),
      users: users.map((u) => u.id),
    },
    o.out
      ? `wrote ${accounts.length} accounts, ${users.length} users (registry revision ${snapshot.revision}) to ${o.out}${o['signal-pid'] ? '; server reloaded' : ''}`
      : block,
  );
}
