import { generateAgencyKeys } from '@liaison/envelope';
import { startServer } from '@liaison/testkit';
import { Subjects } from '@liaison/topology';
import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addAgency,
  approveChange,
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
    expect(added.pending).toBe(true);
    expect(store.registry.current.agencies.has(agency.id)).toBe(false);
    expect(await codeOf(approveChange(store, admins[0]!, { proposalId: added.proposalId }))).toBe(
      'FOUR_EYES_REQUIRED',
    );
    await approveChange(store, admins[1]!, { proposalId: added.proposalId });
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
    expect(currentKey(store.registry.current, agency.id, 'sig', now)?.kid).toBe(old.kid); // pending
    await approveChange(store, admins[0]!, { proposalId: r.proposalId });
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

describe('registry integrity', () => {
  const t = new Subjects();
  const msa = (id: string, country: string) =>
    ({ id, name: id, country, kind: 'member-state-authority', roles: ['subscriber'] }) as const;

  it('lets only the 27 member states hold member-state authorities (GR and EL for Greece)', async () => {
    const refused = await addAgency(store, admins[0]!, {
      agency: { ...msa('ru-fsb', 'RU'), roles: ['subscriber'] },
      keys: await publicKeys('ru-fsb'),
    }).catch((e: RegistryError) => e);
    expect((refused as RegistryError).code).toBe('INTEGRITY_VIOLATION');
    expect((refused as RegistryError).issues[0]?.path).toEqual(['agency', 'country']);
    for (const [id, country] of [
      ['el-police', 'EL'],
      ['gr-coastguard', 'GR'],
    ] as const) {
      const p = await addAgency(store, admins[0]!, {
        agency: { ...msa(id, country), roles: ['subscriber'] },
        keys: await publicKeys(id),
      });
      await approveChange(store, admins[1]!, { proposalId: p.proposalId });
      expect(store.registry.current.agencies.get(id)?.country).toBe(country);
    }
    const notABody = await addAgency(store, admins[0]!, {
      agency: { id: 'eu-anything', name: 'x', country: 'EU', kind: 'eu-agency', roles: ['subscriber'] },
      keys: await publicKeys('eu-anything'),
    }).catch((e: RegistryError) => e);
    expect((notABody as RegistryError).code).toBe('INTEGRITY_VIOLATION');
    const thirdParty = await addAgency(store, admins[0]!, {
      agency: { id: 'de-fake', name: 'x', country: 'DE', kind: 'third-party', roles: ['subscriber'] },
      keys: await publicKeys('de-fake'),
    }).catch((e: RegistryError) => e);
    expect((thirdParty as RegistryError).code).toBe('INTEGRITY_VIOLATION');
  });

  it('refuses one administrator registering an agency or keys, or widening one; narrowing takes one', async () => {
    const one = (type: 'agency-added' | 'key-added', data: never) =>
      codeOf(store.registry.prepare(type, data, admins[0]!).then((jws) => store.append(jws)));
    expect(await one('agency-added', { agency: msa('at-solo', 'AT') } as never)).toBe('FOUR_EYES_REQUIRED');
    expect(
      await one('key-added', {
        agency: 'se-polisen',
        key: (await publicKeys('se-polisen')).signing,
      } as never),
    ).toBe('FOUR_EYES_REQUIRED');
    const current = store.registry.current.agencies.get('se-polisen')!;
    const update = (a: typeof current) =>
      codeOf(
        store.registry.prepare('agency-updated', { agency: a }, admins[0]!).then((jws) => store.append(jws)),
      );
    expect(await update({ ...current, clearance: 'RESTREINT-UE' })).toBe('FOUR_EYES_REQUIRED');
    expect(await update({ ...current, country: 'DE' })).toBe('FOUR_EYES_REQUIRED');
    expect(await update({ ...current, roles: ['subscriber'] })).toBe('resolved');
  });

  it('does not apply a one-administrator registration forced into the log, and reports it', async () => {
    const jws = await store.registry.prepare(
      'agency-added',
      { agency: { ...msa('cn-forced', 'AT'), roles: ['subscriber'] } },
      admins[0]!,
    );
    await jetstream(nc).publish(t.policy('agency-added'), new TextEncoder().encode(jws));
    await store.refresh();
    expect(store.registry.current.agencies.has('cn-forced')).toBe(false);
    expect(store.rejected.at(-1)).toMatchObject({
      code: 'FOUR_EYES_REQUIRED',
      type: 'agency-added',
      by: admins[0]!.id,
    });
  });
});
