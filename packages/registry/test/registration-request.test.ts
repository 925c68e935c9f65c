import { generateAgencyKeys } from '@liaison/envelope';
import { startServer } from '@liaison/testkit';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { CompactSign, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  approveChange,
  makeRegistrationRequest,
  PolicyStore,
  proposeRegistration,
  REGISTRATION_REQUEST_TYPE,
  RegistryError,
  seedDirectory,
  verifyRegistrationRequest,
} from '../src/index.js';
import { makeAdmins } from './fixtures.js';

const agency = {
  id: 'fi-poliisi',
  name: 'Finland — Police',
  country: 'FI',
  kind: 'member-state-authority' as const,
  roles: ['publisher' as const, 'subscriber' as const],
};

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (e instanceof RegistryError ? e.code : `not a RegistryError: ${e}`),
  );

/** A request's payload changed and re-encoded, the original signature kept (or re-signed by `signer`). */
async function tamper(
  jws: string,
  change: (p: Record<string, unknown>) => void,
  signer?: Awaited<ReturnType<typeof generateAgencyKeys>>,
  kid?: string,
): Promise<string> {
  const [h, p, s] = jws.split('.');
  const payload = JSON.parse(Buffer.from(p!, 'base64url').toString('utf8'));
  change(payload);
  if (!signer) return `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({
      alg: 'EdDSA',
      kid: kid ?? signer.signing.record.kid,
      typ: REGISTRATION_REQUEST_TYPE,
    })
    .sign(signer.signing.privateKey);
}

describe('signed registration requests', () => {
  it('holds only public keys, signed by the key it registers (kid = its thumbprint)', async () => {
    const keys = await generateAgencyKeys(agency.id, { notBefore: Date.now() });
    const jws = await makeRegistrationRequest(agency, keys);
    expect(decodeProtectedHeader(jws)).toMatchObject({
      kid: keys.signing.record.kid,
      typ: REGISTRATION_REQUEST_TYPE,
    });
    const payload = Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8');
    expect(payload).not.toContain('"d"');
    expect(payload).not.toContain(String(keys.signing.privateJwk.d));
    expect(payload).not.toContain(String(keys.encryption.privateJwk.d));
    const v = await verifyRegistrationRequest(jws);
    expect(v.agency).toEqual(agency);
    expect(v.kid).toBe(keys.signing.record.kid);
    expect(v.keys.encryption.jwk.x).toBe(keys.encryption.record.jwk.x);
  });

  it('refuses a forged or tampered request with a stable code', async () => {
    const keys = await generateAgencyKeys(agency.id, { notBefore: Date.now() });
    const other = await generateAgencyKeys('mallory', { notBefore: Date.now() });
    const jws = await makeRegistrationRequest(agency, keys);
    const otherSpec = {
      jwk: { kty: 'OKP', crv: 'X25519', x: String(other.encryption.record.jwk.x) },
      notBefore: 1,
    };
    const otherSig = {
      jwk: { kty: 'OKP', crv: 'Ed25519', x: String(other.signing.record.jwk.x) },
      notBefore: 1,
    };
    const cases: [string, Promise<string>][] = [
      ['changed id', tamper(jws, (p) => void Object.assign(p.agency as object, { id: 'ru-mvd' }))],
      [
        'changed kind',
        tamper(jws, (p) => void Object.assign(p.agency as object, { roles: ['administrator'] })),
      ],
      [
        'changed encryption key',
        tamper(jws, (p) => void Object.assign(p.keys as object, { encryption: otherSpec })),
      ],
      [
        'changed signing key',
        tamper(jws, (p) => void Object.assign(p.keys as object, { signing: otherSig })),
      ],
      // Someone else's key signs a request for this agency's keys (with its own kid, or claiming the agency's).
      ['signed by another key', tamper(jws, () => undefined, other)],
      ['another key, the kid claimed', tamper(jws, () => undefined, other, keys.signing.record.kid)],
    ];
    for (const [what, forged] of cases)
      expect(await codeOf(verifyRegistrationRequest(await forged)), what).toBe('BAD_REQUEST_SIGNATURE');
    expect(await codeOf(verifyRegistrationRequest('not a jws'))).toBe('INVALID_REQUEST');
    expect(
      await codeOf(
        verifyRegistrationRequest(await tamper(jws, (p) => void Object.assign(p, { extra: 1 }), keys)),
      ),
    ).toBe('INVALID_REQUEST');
    // Freshness: a week-old request, or one dated in the future.
    const old = await makeRegistrationRequest(agency, keys, Date.now() - 8 * 24 * 3600_000);
    expect(await codeOf(verifyRegistrationRequest(old))).toBe('STALE_REQUEST');
    const future = await makeRegistrationRequest(agency, keys, Date.now() + 3600_000);
    expect(await codeOf(verifyRegistrationRequest(future))).toBe('STALE_REQUEST');
    // The agency's side refuses keys of another id, and an invalid agency, as input issues.
    expect(await codeOf(makeRegistrationRequest(agency, other))).toBe('INVALID_INPUT');
    expect(await codeOf(makeRegistrationRequest({ ...agency, id: 'Bad Id' }, keys))).toBe('INVALID_INPUT');
  });
});

describe('proposeRegistration against the policy stream', () => {
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
      origin: 'request-test',
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

  it('proposes a verified request (four eyes) and writes nothing for a forged one', async () => {
    const keys = await generateAgencyKeys(agency.id, { notBefore: Date.now() - 1000 });
    const request = await makeRegistrationRequest(agency, keys);
    const before = store.registry.current.revision;
    const forged = await tamper(request, (p) => void Object.assign(p.agency as object, { country: 'SE' }));
    expect(await codeOf(proposeRegistration(store, admins[0]!, { request: forged }))).toBe(
      'BAD_REQUEST_SIGNATURE',
    );
    expect(store.registry.current.revision).toBe(before);
    const r = await proposeRegistration(store, admins[0]!, { request });
    expect(r).toMatchObject({
      pending: true,
      signing: keys.signing.record.kid,
      encryption: keys.encryption.record.kid,
    });
    expect(store.registry.current.agencies.has(agency.id)).toBe(false);
    expect(await codeOf(approveChange(store, admins[0]!, { proposalId: r.proposalId }))).toBe(
      'FOUR_EYES_REQUIRED',
    );
    await approveChange(store, admins[1]!, { proposalId: r.proposalId });
    expect(store.registry.current.agencies.get(agency.id)).toEqual(agency);
    expect(
      store.registry.current.keys
        .get(agency.id)
        ?.map((k) => k.kid)
        .sort(),
    ).toEqual([keys.signing.record.kid, keys.encryption.record.kid].sort());
  });
});
