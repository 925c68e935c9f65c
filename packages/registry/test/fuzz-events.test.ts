// Fuzzing the fold of signed policy events (docs/wire-format.md §11): Registry.apply
// (decode → shape → order → signer → signature → effect) and PolicyEventSchema, with
// random text and JSON, mutated valid events, payloads swapped under another event's
// signature, and events an administrator signed over any data. Each is refused with a
// RegistryError code and leaves the registry as it was, or is accepted only as the
// event that was signed.
import { generateAgencyKeys, uuidv7 } from '@liaison/envelope';
import { byteMutations, fuzzParams, isCrash, mutateText, outcomeOf } from '@liaison/testkit';
import fc from 'fast-check';
import { compactVerify } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { type Agency, EVENT_TYPES, PolicyEventSchema, Registry, signEvent } from '../src/index.js';
import { seededRegistry, T0 } from './fixtures.js';

const { registry: seeded, admins, keys } = await seededRegistry();
const log = seeded.events.map((e) => e.jws);
const fresh = async () => {
  const r = new Registry(seeded.options);
  for (const jws of log) await r.apply(jws);
  return r;
};
let registry = await fresh();
const at = T0 + 10_000;
const agency: Agency = {
  id: 'xx-new',
  name: 'New',
  country: 'XX',
  kind: 'third-party',
  roles: ['subscriber'],
};
// An event one administrator may sign alone (it narrows: a key retired).
const next = await registry.prepare(
  'key-retired',
  { agency: 'at-bmi', kid: keys.get('at-bmi')!.signing.record.kid, notAfter: at + 1 },
  admins[0]!,
  at,
);
const second = await registry.prepare('administrator-removed', { id: 'admin-3' }, admins[1]!, at);
const b64u = (x: string) => Buffer.from(x).toString('base64url');
const payloadOf = (jws: string) => JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString());

/** Applies `jws`; a refusal must leave the registry exactly where it was. */
async function applyOutcome(jws: string): Promise<string> {
  const before = { revision: registry.current.revision, head: registry.current.head };
  const outcome = await outcomeOf(() => registry.apply(jws));
  expect(isCrash(outcome)).toBe(false);
  if (outcome !== 'ACCEPTED')
    expect({ revision: registry.current.revision, head: registry.current.head }).toEqual(before);
  return outcome;
}

describe('the valid events apply', () => {
  it('the next event, then a second one, on a fresh registry', async () => {
    const r = await fresh();
    await r.apply(next);
    await expect(r.apply(second)).rejects.toMatchObject({ code: 'OUT_OF_ORDER' }); // both follow the same revision
    await expect((await fresh()).apply(second)).resolves.toBeDefined();
  });
});

describe('PolicyEventSchema', () => {
  it('any JSON value parses or is refused as data, never throws', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(typeof PolicyEventSchema.safeParse(v).success).toBe('boolean');
      }),
      fuzzParams(2000),
    );
  });
});

describe('Registry.apply', () => {
  // Each property starts from the seeded registry, whatever an earlier one applied.
  beforeEach(async () => {
    registry = await fresh();
  });

  it('random text, and random JWS-shaped text, is refused with a code', async () => {
    const jwsLike = fc
      .tuple(fc.jsonValue(), fc.jsonValue(), fc.uint8Array({ maxLength: 64 }))
      .map(
        ([h, p, s]) =>
          `${b64u(JSON.stringify(h) ?? '')}.${b64u(JSON.stringify(p) ?? '')}.${Buffer.from(s).toString('base64url')}`,
      );
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 200 }), jwsLike), async (jws) => {
        expect(await applyOutcome(jws)).not.toBe('ACCEPTED');
      }),
      fuzzParams(1000),
    );
  });

  it('mutated valid events are refused, or are the event that was signed', async () => {
    const original = payloadOf(next);
    await fc.assert(
      fc.asyncProperty(byteMutations, async (ms) => {
        const jws = mutateText(next, ms);
        if ((await applyOutcome(jws)) !== 'ACCEPTED') return;
        expect(registry.events.at(-1)!.event).toEqual(original);
        // And the signature holds, checked outside the fold (jose, the administrator's key).
        await expect(
          compactVerify(jws, admins[0]!.key.publicKey, { algorithms: ['EdDSA'] }),
        ).resolves.toBeDefined();
        registry = await fresh();
      }),
      fuzzParams(600),
    );
  });

  it('a payload under another event’s signature, or a re-signed payload by a non-administrator, is refused', async () => {
    const [h, , s] = next.split('.');
    const strangerKey = (await generateAgencyKeys('admin-1', { notBefore: T0 })).signing;
    const field = fc.constantFrom('id', 'revision', 'prev', 'at', 'by', 'type', 'data');
    // Values that would pass the schema, so that only the signature stands in the way.
    const plausible = fc.constantFrom(uuidv7(at + 5), at + 5, 'admin-2', {
      agency: 'at-bmi',
      kid: keys.get('at-bmi')!.encryption.record.kid,
      notAfter: at + 2,
    });
    await fc.assert(
      fc.asyncProperty(field, fc.oneof(fc.jsonValue(), plausible), fc.boolean(), async (f, value, resign) => {
        const payload = { ...payloadOf(next), [f]: value };
        const jws = resign
          ? await signEvent(payload, strangerKey)
          : `${h}.${b64u(JSON.stringify(payload))}.${s}`;
        expect(await applyOutcome(jws)).not.toBe('ACCEPTED');
      }),
      fuzzParams(400),
    );
  });

  it('an event an administrator signed over any data is refused with a code or applied, never a crash', async () => {
    const valid = payloadOf(second).data;
    const data = fc.oneof(
      fc.jsonValue(),
      fc.record({ id: fc.oneof(fc.constantFrom('admin-1', 'admin-2', 'admin-3', 'nobody'), fc.string()) }),
      fc.record({ agency: fc.string({ maxLength: 12 }).map((id) => ({ ...agency, id })) }),
      fc.record({
        agency: fc.constantFrom('at-bmi', 'xx'),
        kid: fc.string(),
        revokedAt: fc.integer(),
        notAfter: fc.integer(),
      }),
      fc.constant(valid),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...EVENT_TYPES), data, fc.nat({ max: 1 }), async (type, d, by) => {
        const s = registry.current;
        const event = {
          v: 1 as const,
          id: uuidv7(at),
          revision: s.revision + 1,
          prev: s.head,
          at,
          by: admins[by]!.id,
          type,
          data: d,
        };
        await applyOutcome(await signEvent(event, admins[by]!.key));
      }),
      fuzzParams(600),
    );
  });
});
