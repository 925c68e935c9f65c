import { writeFileSync } from 'node:fs';
import { authorizationBlock, brokerUsers, CredentialStore } from '@liaison/broker';
import { type GlobalOptions, print, type Session } from '../context.js';

/**
 * Writes the broker's authorization block (one nkey user per identity, permissions
 * generated from the registry) and, with --signal-pid, tells nats-server to reload
 * it (SIGHUP): a revoked agency loses access without a restart.
 */
export async function brokerConfig(
  s: Session,
  g: GlobalOptions,
  o: Record<string, string | undefined>,
): Promise<void> {
  const store = await s.policy();
  const snapshot = store.registry.current;
  const admins = [...snapshot.admins.values()]
    .filter((a) => a.removedAtRevision === undefined)
    .map((a) => a.id);
  const users = brokerUsers(snapshot, new CredentialStore(s.keys.home), {
    operator: 'liaison-operator',
    admins,
  });
  const block = authorizationBlock(users);
  if (o.out) writeFileSync(o.out, block);
  if (o['signal-pid']) process.kill(Number(o['signal-pid']), 'SIGHUP');
  print(
    g,
    { revision: snapshot.revision, users: users.map((u) => u.id) },
    o.out
      ? `wrote ${users.length} users (registry revision ${snapshot.revision}) to ${o.out}${o['signal-pid'] ? '; server reloaded' : ''}`
      : block,
  );
}
