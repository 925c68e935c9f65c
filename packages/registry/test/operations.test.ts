import { generateAgencyKeys } from '@liaison/envelope';
import { startServer } from '@liaison/testkit';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addAgency,
  approveProposal,
  currentKey,
  endAgreement,
  keySpec,
  PolicyStore,
  proposeAgreement,
  RegistryError,
  revokeKey,
  rotateKeys,
  seedDirectory,
} from '../src/index.js';
import { makeAdmins } from './fixtures.js';

let server: Awaited<ReturnType<typeof startServer>>;
let nc: NatsConnection;
let store: PolicyStore;
let admins: Awaited<ReturnType<typeof makeAdmins>>;
beforeAll(async () => {
  server = await startServer();
  nc = await connect({ servers: server.url });
  admins = await makeAdmins();
  store = await PolicyStore.open(nc, { anchors: [admins[0]!.key.record.kid] });
  await seedDirectory(store.registry, (jws) => store.append(jws), {
    origin: 'ops-test',
    admins,
    agencies: [],
    keys: new Map(),
    agreements: [],
  });
});
afterAll(async () => {
  await nc?.close();
  await server?.dispose();
});

const publicKeys = async (id: string, notBefore = Date.now() - 1000) => {
  const k = await generateAgencyKeys(id, { notBefore });
  return { signing: keySpec(k.signing), encryption: keySpec(k.encryption) };
};

/** The code of the RegistryError a promise rejects with. */
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (e instanceof RegistryError ? e.code : `not a RegistryError: ${e}`),
  );

describe('administrative operations', () => {
  const agency = {
    id: 'se-polisen',
    name: 'Sweden — Police',
    country: 'SE',
    kind: 'member-state-authority',
    roles: ['publisher', 'subscriber'],
  } as const;

  it('adds an agency with the public keys it generated, and refuses bad input as issues', async () => {
    const keys = await publicKeys(agency.id);
    const added = await addAgency(store, admins[0]!, {
      agency: { ...agency, roles: [...agency.roles] },
      keys,
    });
    expect(currentKey(store.registry.current, agency.id, 'sig', Date.now())?.kid).toBe(added.signing);
    expect(currentKey(store.registry.current, agency.id, 'enc', Date.now())?.kid).toBe(added.encryption);

    const before = store.registry.current.revision;
    const err = await addAgency(store, admins[0]!, {
      agency: { ...agency, id: 'Bad Id', roles: ['publisher'] },
      keys: { signing: keys.encryption, encryption: keys.signing },
    }).catch((e: RegistryError) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect((err as RegistryError).code).toBe('INVALID_INPUT');
    expect((err as RegistryError).issues.map((i) => i.path.join('.')).sort()).toEqual([
      'agency.id',
      'keys.encryption.jwk.crv',
      'keys.signing.jwk.crv',
    ]);
    expect(store.registry.current.revision).toBe(before); // nothing written
    expect(
      await codeOf(
        addAgency(store, admins[0]!, {
          agency: { ...agency, roles: ['publisher'] },
          keys: await publicKeys(agency.id),
        }),
      ),
    ).toBe('AGENCY_EXISTS');
  });

  it('rotates keys with a grace period and revokes one', async () => {
    const now = Date.now();
    const old = currentKey(store.registry.current, agency.id, 'sig', now)!;
    const r = await rotateKeys(store, admins[1]!, {
      agency: agency.id,
      keys: await publicKeys(agency.id, now),
      graceMs: 60_000,
      at: now,
    });
    expect(r.retired.map((k) => k.notAfter)).toEqual([now + 60_000, now + 60_000]);
    expect(r.retired.map((k) => k.kid)).toContain(old.kid);
    const revoked = await revokeKey(store, admins[0]!, { agency: agency.id, kid: r.signing });
    expect(revoked.revision).toBe(store.registry.current.revision);
    expect(
      await codeOf(rotateKeys(store, admins[0]!, { agency: 'nobody', keys: await publicKeys('nobody') })),
    ).toBe('UNKNOWN_AGENCY');
    expect(await codeOf(revokeKey(store, admins[0]!, { agency: agency.id, kid: 'no-such-kid' }))).toBe(
      'UNKNOWN_KEY',
    );
  });

  it('raises an agreement with four eyes only, and ends it', async () => {
    const agreement = {
      partner: 'IN',
      level: 'strategic',
      validFrom: Date.now(),
      legalBasis: 'test',
    } as const;
    const p = await proposeAgreement(store, admins[0]!, { agreement });
    expect(p.pending).toBe(true);
    expect(await codeOf(approveProposal(store, admins[0]!, { proposalId: p.proposalId }))).toBe(
      'FOUR_EYES_REQUIRED',
    );
    const approved = await approveProposal(store, admins[1]!, { proposalId: p.proposalId });
    expect(approved.agreement?.partner).toBe('IN');
    const ended = await endAgreement(store, admins[0]!, { partner: 'IN' });
    expect(ended.partner).toBe('IN');
    expect(await codeOf(endAgreement(store, admins[0]!, { partner: 'ZZ' }))).toBe('CONFLICT');
    expect(await codeOf(approveProposal(store, admins[1]!, { proposalId: 'not-a-uuid' }))).toBe(
      'INVALID_INPUT',
    );
  });
});
