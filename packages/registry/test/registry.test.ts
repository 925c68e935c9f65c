import { randomUUID } from 'node:crypto';
import { generateAgencyKeys } from '@liaison/envelope';
import { describe, expect, it } from 'vitest';
import { agreementAt, currentKey, Registry, RegistryError, signEvent } from '../src/index.js';
import { makeAdmins, seededRegistry, T0 } from './fixtures.js';

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof RegistryError) return err.code;
    throw err;
  }
  return 'APPLIED';
}

describe('Registry fold', () => {
  it('builds the demo directory from signed events', async () => {
    const { registry } = await seededRegistry();
    const s = registry.current;
    expect(s.agencies.size).toBe(13);
    expect(s.agencies.get('ru-mvd')?.kind).toBe('third-party');
    expect(currentKey(s, 'at-bmi', 'enc', T0 + 2000)).toBeDefined();
    expect(agreementAt(s, 'US', T0 + 2000)?.level).toBe('operational');
    expect(agreementAt(s, 'RU', T0 + 2000)?.level).toBe('strategic');
    expect(agreementAt(s, 'CN', T0 + 2000)).toBeUndefined();
    expect(s.proposals.size).toBe(0);
  });

  it('needs two different administrators to raise a partner to operational', async () => {
    const { registry, admins } = await seededRegistry({ agreements: false });
    const [a1, a2] = admins;
    const proposalId = randomUUID();
    const agreement = { partner: 'CA', level: 'operational' as const, validFrom: T0, legalBasis: 'test' };
    await registry.apply(
      await registry.prepare('agreement-proposed', { proposalId, agreement }, a1!, T0 + 5000),
    );
    expect(agreementAt(registry.current, 'CA', T0 + 6000)).toBeUndefined();
    expect(registry.current.proposals.has(proposalId)).toBe(true);

    const before = registry.current;
    const selfApproval = await registry.prepare('agreement-approved', { proposalId }, a1!, T0 + 6000);
    expect(await refusal(registry.apply(selfApproval))).toBe('FOUR_EYES_REQUIRED');
    expect(registry.current).toBe(before);

    await registry.apply(await registry.prepare('agreement-approved', { proposalId }, a2!, T0 + 7000));
    expect(agreementAt(registry.current, 'CA', T0 + 8000)?.level).toBe('operational');
  });

  it('lowers an agreement with one administrator, at once', async () => {
    const { registry, admins } = await seededRegistry();
    const agreement = {
      partner: 'US',
      level: 'strategic' as const,
      validFrom: T0 + 10_000,
      legalBasis: 'downgrade',
    };
    await registry.apply(
      await registry.prepare(
        'agreement-proposed',
        { proposalId: randomUUID(), agreement },
        admins[0]!,
        T0 + 9000,
      ),
    );
    expect(agreementAt(registry.current, 'US', T0 + 10_000)?.level).toBe('strategic');
    expect(agreementAt(registry.current, 'US', T0 + 9_999)?.level).toBe('operational');
  });

  it('refuses events with bad or missing signatures and leaves the registry unchanged', async () => {
    const { registry, admins } = await seededRegistry();
    const before = registry.current;
    const agency = {
      id: 'xx-test',
      name: 'X',
      country: 'XX',
      kind: 'third-party' as const,
      roles: ['subscriber' as const],
    };
    const jws = await registry.prepare('agency-added', { agency }, admins[0]!);
    const [h, p, sig] = jws.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    payload.data.agency.name = 'Y';
    const tampered = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${sig}`;
    expect(await refusal(registry.apply(tampered))).toBe('BAD_SIGNATURE');
    expect(await refusal(registry.apply(`${h}.${p}.`))).toBe('BAD_SIGNATURE');
    expect(await refusal(registry.apply('not a jws'))).toBe('INVALID_EVENT');
    const unsignedHeader = Buffer.from(
      JSON.stringify({ alg: 'none', typ: 'liaison-policy-event+jws' }),
    ).toString('base64url');
    expect(await refusal(registry.apply(`${unsignedHeader}.${p}.`))).toBe('INVALID_EVENT');

    const outsider = await generateAgencyKeys('admin-9', { notBefore: T0 });
    const byOutsider = await registry.prepare(
      'agency-added',
      { agency },
      { id: 'admin-9', key: outsider.signing },
    );
    expect(await refusal(registry.apply(byOutsider))).toBe('UNKNOWN_ADMIN');
    const impersonating = await registry.prepare(
      'agency-added',
      { agency },
      { id: 'admin-1', key: outsider.signing },
    );
    expect(await refusal(registry.apply(impersonating))).toBe('UNKNOWN_ADMIN');
    expect(registry.current).toBe(before);
    expect(registry.current.agencies.has('xx-test')).toBe(false);
  });

  it('refuses out-of-order, replayed and duplicate events', async () => {
    const { registry, admins } = await seededRegistry();
    const before = registry.current;
    const agency = {
      id: 'xx-test',
      name: 'X',
      country: 'XX',
      kind: 'third-party' as const,
      roles: ['subscriber' as const],
    };
    const ahead = await signEvent(
      {
        v: 1,
        id: randomUUID(),
        revision: before.revision + 2,
        prev: before.head,
        at: Date.now(),
        by: 'admin-1',
        type: 'change-proposed',
        data: { proposalId: randomUUID(), change: { type: 'agency-added', agency, keys: [] } },
      },
      admins[0]!.key,
    );
    expect(await refusal(registry.apply(ahead))).toBe('OUT_OF_ORDER');
    const old = registry.events[3]!.jws;
    expect(await refusal(registry.apply(old))).toBe('OUT_OF_ORDER');
    const ok = await registry.prepare(
      'change-proposed',
      { proposalId: randomUUID(), change: { type: 'agency-added', agency, keys: [] } },
      admins[0]!,
    );
    await registry.apply(ok);
    expect(await refusal(registry.apply(ok))).toBe('OUT_OF_ORDER');
    expect(registry.current.revision).toBe(before.revision + 1);
  });

  it('refuses a registry created by a key that is not a trust anchor', async () => {
    const admins = await makeAdmins(2);
    const registry = new Registry({ anchors: ['someone-else'] });
    const jws = await registry.prepare(
      'registry-created',
      {
        origin: 'x',
        administrators: admins.map((a) => ({
          id: a.id,
          key: { jwk: a.key.record.jwk as never, notBefore: T0 },
        })),
      },
      admins[0]!,
    );
    expect(await refusal(registry.apply(jws))).toBe('NOT_AN_ANCHOR');
  });

  it('keeps every past revision: a key revoked later was valid before', async () => {
    const { registry, admins, keys } = await seededRegistry();
    const kid = keys.get('at-bmi')!.signing.record.kid;
    const rev = registry.current.revision;
    await registry.apply(
      await registry.prepare(
        'key-revoked',
        { agency: 'at-bmi', kid, revokedAt: T0 + 50_000 },
        admins[1]!,
        T0 + 50_000,
      ),
    );
    expect(
      registry
        .at(rev)
        .keys.get('at-bmi')
        ?.find((k) => k.kid === kid)?.revokedAt,
    ).toBeUndefined();
    expect(registry.current.keys.get('at-bmi')?.find((k) => k.kid === kid)?.revokedAt).toBe(T0 + 50_000);
    expect(registry.atTime(T0 + 49_999).revision).toBe(rev);
    expect(registry.atTime(T0 + 50_000).revision).toBe(rev + 1);
    // Every instant maps to the last revision whose event time is not after it.
    const times = registry.events.map((e) => e.event.at);
    for (const t of [0, times[0]! - 1, ...times, ...times.map((x) => x + 1), Number.MAX_SAFE_INTEGER]) {
      const expected = times.reduce((last, at, i) => (at <= t ? i + 1 : last), 0);
      expect(registry.atTime(t).revision).toBe(expected);
    }
    expect(currentKey(registry.current, 'at-bmi', 'sig', T0 + 50_001)).toBeUndefined();
  });
});
