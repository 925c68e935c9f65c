// Auditors and administrators in accounts of their own (docs/decisions/0014): the broker's
// configuration generated from the registry gives each an account that imports exactly
// its crossings — the log reader's batches, the audit log's answers, the policy publish —
// and nothing of JetStream's API, so no auditor or administrator can create a consumer
// (a push consumer's deliver subject is in the request body) or pull with a reply it picks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CredentialStore } from '@liaison/identity';
import type { Agency, RegistrySnapshot } from '@liaison/registry';
import {
  adminAccountOf,
  EXCHANGE_ACCOUNT,
  jsApi,
  READABLE_STREAMS,
  STREAMS,
  Subjects,
} from '@liaison/topology';
import { afterAll, describe, expect, it } from 'vitest';
import {
  accountsBlock,
  accountsShape,
  administratorCrossings,
  auditorCrossings,
  brokerAccounts,
} from '../src/index.js';
import { permitted } from './subject-match.js';

const home = mkdtempSync(join(tmpdir(), 'liaison-reader-accounts-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const creds = new CredentialStore(home);
const s = new Subjects();
const service = (id: string, roles: Agency['roles']): Agency => ({
  id,
  name: id,
  country: 'EU',
  kind: 'service',
  roles,
});
const AUDITOR = service('eu-auditor', ['auditor']);
const READER = service('liaison-log-reader', ['log-reader']);
const BMI: Agency = {
  id: 'at-bmi',
  name: 'at-bmi',
  country: 'AT',
  kind: 'member-state-authority',
  roles: ['publisher', 'subscriber'],
};
const key = { use: 'sig', kid: 'k', notBefore: 0 };
const snapshotWith = (admins: string[], revoked = false) =>
  ({
    revision: 1,
    agencies: new Map([AUDITOR, READER, BMI].map((a) => [a.id, a])),
    keys: new Map([
      [AUDITOR.id, [revoked ? { ...key, revokedAt: 1 } : key]],
      [READER.id, [key]],
      [BMI.id, [key]],
    ]),
    admins: new Map(admins.map((id) => [id, { id, removedAtRevision: id === 'admin-3' ? 1 : undefined }])),
  }) as unknown as RegistrySnapshot;

const accounts = brokerAccounts(snapshotWith(['admin-1', 'admin-3']), creds, {
  operator: 'liaison-operator',
});
const byName = new Map(accounts.map((a) => [a.name, a]));
const exchange = byName.get(EXCHANGE_ACCOUNT)!;

/** Every subject of JetStream's API and the logs an outsider might aim at. */
const forbidden = [
  jsApi.info,
  ...READABLE_STREAMS.flatMap((x) => [
    jsApi.stream('INFO', x),
    jsApi.stream('MSG.GET', x),
    jsApi.consumerCreate(x, 'pushed'),
    jsApi.consumerCreate(x, 'pushed', '>'),
    jsApi.durableCreate(x, 'pushed'),
    jsApi.consumer('MSG.NEXT', x, 'pushed'),
  ]),
  s.auditLog,
  s.auditCheckpoint,
  s.auditIn('eu-auditor'),
  s.intake('at-bmi'),
  s.feed('at-bmi', 'border-alert'),
];

describe('auditors and administrators are alone in accounts of their own', () => {
  it('keeps only the operator and the services in the exchange’s account', () => {
    expect(exchange.users.map((u) => u.id).sort()).toEqual(['liaison-log-reader', 'liaison-operator']);
  });

  it('gives an auditor an account importing the log reader and the audit log’s answers, nothing else', () => {
    const a = byName.get('eu-auditor')!;
    expect(a.jetstream).toBe(false);
    expect(a.crossings.map((c) => c.crossing)).toEqual(auditorCrossings());
    expect(a.crossings.map((c) => c.crossing.subject).sort()).toEqual(
      [...READABLE_STREAMS.map((x) => s.read(x)), s.auditLatest, s.auditProofs].sort(),
    );
    const p = a.users[0]!.permissions;
    if (p === 'all') throw new Error('an auditor with every right');
    expect(forbidden.filter((x) => permitted(p.publish, x))).toEqual([]);
    expect(p.publish.allow.every((x) => !x.startsWith('$JS'))).toBe(true);
    expect(permitted(p.subscribe, s.auditLog)).toBe(false);
  });

  it('gives an administrator an account importing the policy log’s batches and its publish', () => {
    const a = byName.get(adminAccountOf('admin-1'))!;
    expect(a.jetstream).toBe(false);
    expect(a.crossings.map((c) => c.crossing)).toEqual(administratorCrossings());
    const p = a.users[0]!.permissions;
    if (p === 'all') throw new Error('an administrator with every right');
    expect(permitted(p.publish, s.policy('agency-added'))).toBe(true);
    expect(permitted(p.publish, s.read(STREAMS.policy))).toBe(true);
    expect(permitted(p.publish, s.read(STREAMS.audit))).toBe(false);
    expect(forbidden.filter((x) => permitted(p.publish, x))).toEqual([]);
  });

  it('exports each crossing to that one account only', () => {
    for (const name of ['eu-auditor', adminAccountOf('admin-1')]) {
      const mine = exchange.crossings.filter((c) => c.with === name).map((c) => c.crossing);
      expect(mine).toEqual(byName.get(name)!.crossings.map((c) => c.crossing));
    }
    const block = accountsBlock(accounts);
    expect(block).toContain(`{ service: "${s.read(STREAMS.audit)}", accounts: ["eu-auditor"] }`);
    expect(block).not.toMatch(/"\$JS\.API[^"]*", accounts: \["(eu-auditor|admin_)/);
  });

  it('keeps the accounts of a revoked auditor and a removed administrator, without users (a reload)', () => {
    const removed = byName.get(adminAccountOf('admin-3'))!;
    expect(removed.users).toEqual([]);
    const revoked = brokerAccounts(snapshotWith(['admin-1', 'admin-3'], true), creds, {
      operator: 'liaison-operator',
    });
    expect(revoked.find((a) => a.name === 'eu-auditor')!.users).toEqual([]);
    expect(accountsShape(revoked)).toBe(accountsShape(accounts));
  });
});
