// Agency sites on leaf nodes (docs/decisions/0012): the hub's leaf users and the site's
// own configuration are generated from the registry and the topology like the rest.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CredentialStore } from '@liaison/identity';
import type { Agency, RegistrySnapshot } from '@liaison/registry';
import {
  FORWARDER_DURABLE,
  jsApi,
  leafUserOf,
  NO_AUTH_ACCOUNT,
  NO_AUTH_USER,
  outboxSubject,
  SITE_STREAMS,
  Subjects,
} from '@liaison/topology';
import { afterAll, describe, expect, it } from 'vitest';
import {
  accountsBlock,
  agencyPermissions,
  brokerAccounts,
  LeafPasswords,
  siteConfig,
  sitePermissions,
} from '../src/index.js';
import { permitted } from './subject-match.js';

const home = mkdtempSync(join(tmpdir(), 'liaison-leaf-config-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const creds = new CredentialStore(home);
const agency = (id: string): Agency => ({
  id,
  name: id,
  country: 'AT',
  kind: 'member-state-authority',
  roles: ['publisher', 'subscriber'],
});
const BKA = agency('de-bka');
const BMI = agency('at-bmi');
const key = { use: 'sig', kid: 'k', notBefore: 0 };
// The two fields brokerAccounts reads of a snapshot: the agencies and their keys.
const snapshot = {
  revision: 1,
  agencies: new Map([
    [BKA.id, BKA],
    [BMI.id, BMI],
  ]),
  keys: new Map([
    [BKA.id, [key]],
    [BMI.id, [key]],
  ]),
  admins: new Map(),
} as unknown as RegistrySnapshot;

describe('leaf users on the hub', () => {
  const passwords = new LeafPasswords(home);
  const pw = passwords.get(BKA.id, true)!;
  const accounts = brokerAccounts(snapshot, creds, { leafPassword: (id) => passwords.get(id), admins: [] });

  it('keeps each leaf password private and stable', () => {
    expect(pw).toMatch(/^[0-9a-f]{64}$/);
    expect(passwords.get(BKA.id)).toBe(pw);
    expect(passwords.get(BMI.id)).toBeUndefined();
    expect(statSync(passwords.file(BKA.id)).mode & 0o777).toBe(0o600);
  });

  it('gives a site’s agency account a leaf-only password user with exactly the agency’s permissions', () => {
    const bka = accounts.find((a) => a.name === BKA.id)!;
    const leaf = bka.users.find((u) => u.login)!;
    expect(leaf.login).toEqual({ user: leafUserOf(BKA.id), password: pw, types: ['LEAFNODE'] });
    expect(leaf.permissions).toEqual(agencyPermissions(BKA));
    // An agency without a site has no leaf user.
    expect(accounts.find((a) => a.name === BMI.id)!.users.some((u) => u.login)).toBe(false);
  });

  it('refuses connections without credentials: no_auth_user names a user that cannot connect', () => {
    const guard = accounts.find((a) => a.name === NO_AUTH_ACCOUNT)!;
    expect(guard.users.map((u) => u.login?.user)).toEqual([NO_AUTH_USER]);
    expect(guard.users[0]!.login!.types).toEqual(['MQTT']);
    const block = accountsBlock(accounts);
    expect(block).toContain(`no_auth_user: "${NO_AUTH_USER}"`);
    expect(block).toContain(`user: "${leafUserOf(BKA.id)}"`);
    expect(block).toContain('allowed_connection_types: ["LEAFNODE"]');
  });

  it('adds nothing when no site is configured', () => {
    const plain = brokerAccounts(snapshot, creds, { admins: [] });
    expect(plain.some((a) => a.name === NO_AUTH_ACCOUNT)).toBe(false);
    expect(accountsBlock(plain)).not.toContain('no_auth_user');
  });
});

describe('the site’s own configuration', () => {
  const s = new Subjects();
  const cfg = siteConfig({
    agency: BKA,
    creds,
    hubLeafNodes: ['hub-1:7422', 'hub-2:7422'],
    password: 'p@ss/word',
  });

  it('names the domain, the local account and one remote per hub node, logged in as the agency’s leaf', () => {
    expect(cfg.values.DOMAIN).toBe(BKA.id);
    expect(cfg.values.ACCOUNT).toBe(BKA.id);
    expect(cfg.values.REMOTE_URLS).toBe(
      '"nats-leaf://leaf-de-bka:p%40ss%2Fword@hub-1:7422", "nats-leaf://leaf-de-bka:p%40ss%2Fword@hub-2:7422"',
    );
    expect(cfg.accounts).toContain('jetstream: enabled');
    expect(cfg.accounts).toContain(creds.publicKey(BKA.id));
  });

  it('lets the agency use its outbox and its hub subjects on the leaf, and no other stream or agency', () => {
    const p = sitePermissions(BKA);
    const ok = (x: string) => permitted(p.publish, x);
    for (const x of [
      outboxSubject(BKA.id),
      s.intake(BKA.id),
      s.plan(BKA.id),
      jsApi.stream('INFO', SITE_STREAMS.outbox),
      jsApi.consumer('MSG.NEXT', SITE_STREAMS.outbox, FORWARDER_DURABLE),
    ])
      expect(ok(x), x).toBe(true);
    for (const x of [
      outboxSubject(BMI.id),
      s.intake(BMI.id),
      jsApi.stream('CREATE', 'OTHER'),
      jsApi.stream('PURGE', SITE_STREAMS.outbox),
      jsApi.stream('DELETE', SITE_STREAMS.outbox),
      jsApi.consumerCreate(SITE_STREAMS.outbox, 'mine'),
    ])
      expect(ok(x), x).toBe(false);
  });
});
