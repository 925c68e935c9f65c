import { generateAgencyKeys } from '@liaison/envelope';
import { exampleNotices } from '@liaison/fixtures';
import { addAgency, approveChange, keySpec, RegistryError } from '@liaison/registry';
import { Sandbox } from '@liaison/sandbox';
import { STREAMS, Subjects } from '@liaison/topology';
import { jetstream } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const t = new Subjects();
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await Sandbox.start();
});
afterAll(async () => {
  await sandbox?.dispose();
});

const admin = (id: 'admin-1' | 'admin-2') => ({ id, key: sandbox.keys.get(id)!.signing });
/** A body of a state with no agreement, claiming to be a member-state authority. */
const claimant = {
  id: 'cn-msa',
  name: 'A body of a state with no agreement',
  country: 'CN',
  kind: 'member-state-authority' as const,
  roles: ['subscriber' as const],
};

describe('registry integrity on the running exchange', () => {
  it('refuses a member-state authority outside the 27, and any registration by one administrator', async () => {
    const k = await generateAgencyKeys(claimant.id, { notBefore: Date.now() - 1000 });
    const keys = { signing: keySpec(k.signing), encryption: keySpec(k.encryption) };
    const err = await addAgency(sandbox.store, admin('admin-1'), { agency: claimant, keys }).catch((e) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect((err as RegistryError).code).toBe('INTEGRITY_VIOLATION');
    // A genuine member-state authority waits for a second administrator.
    const k2 = await generateAgencyKeys('cz-police', { notBefore: Date.now() - 1000 });
    const p = await addAgency(sandbox.store, admin('admin-1'), {
      agency: { ...claimant, id: 'cz-police', country: 'CZ', name: 'Czechia — Police' },
      keys: { signing: keySpec(k2.signing), encryption: keySpec(k2.encryption) },
    });
    expect(sandbox.store.registry.current.agencies.has('cz-police')).toBe(false);
    const self = await approveChange(sandbox.store, admin('admin-1'), { proposalId: p.proposalId }).catch(
      (e) => e,
    );
    expect((self as RegistryError).code).toBe('FOUR_EYES_REQUIRED');
    await approveChange(sandbox.store, admin('admin-2'), { proposalId: p.proposalId });
    expect(sandbox.store.registry.current.agencies.get('cz-police')?.kind).toBe('member-state-authority');
    await sandbox.policyApplied(); // the broker reloads its permissions for the new identity
  });

  it('does not apply a one-administrator registration forced into the policy log, and audit verify reports it', async () => {
    // An administrator writing straight to the stream, past the operations' checks.
    const store = sandbox.store;
    await store.refresh();
    const jws = await store.registry.prepare('agency-added', { agency: claimant }, admin('admin-1'));
    await jetstream(sandbox.admin).publish(t.policy('agency-added'), new TextEncoder().encode(jws));
    await store.refresh();
    expect(store.registry.current.agencies.has(claimant.id)).toBe(false);
    await sandbox.policyApplied();

    // It received nothing: the gate folds the same log.
    const r = await (await sandbox.client('at-bmi')).publish(exampleNotices().borderAlert);
    expect(r.recipients.map((x) => x.recipient)).not.toContain(claimant.id);

    const report = await sandbox.verifyAudit();
    expect(report.ok).toBe(false);
    expect(report.discrepancies).toContainEqual(
      expect.objectContaining({
        code: 'POLICY_EVENT_REFUSED',
        stream: STREAMS.policy,
        message: expect.stringMatching(/agency-added by admin-1\).*FOUR_EYES_REQUIRED/),
      }),
    );
  });
});
