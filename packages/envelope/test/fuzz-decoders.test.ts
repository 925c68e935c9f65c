// Fuzzing the envelope's trust boundaries (docs/wire-format.md §11): the gate's
// verifyHeader on intake and a recipient's open() of a delivery, with random bytes,
// mutated valid inputs, re-encoded field swaps and inputs validly signed by a party
// that may lie (a sender signs any header; the gate signs any batch). Each input is
// either refused with an EnvelopeError code or, only when every signed byte is the
// original's, accepted.
import { sign as nodeSign } from 'node:crypto';
import { exampleNotices } from '@liaison/fixtures';
import { byteMutations, bytesEqual, fuzzParams, isCrash, mutateAll, outcomeOf } from '@liaison/testkit';
import {
  create,
  type Envelope,
  EnvelopeSchema,
  fromBinary,
  GrantBatchSchema,
  NoticeHeaderSchema,
  toBinary,
} from '@liaison/wire';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEnvelope, type OpenedNotice, open, seal, verifyHeader } from '../src/index.js';
import { deliver, makeWorld, NOW, recipientsFor } from './world.js';

const world = await makeWorld(['at-bmi', 'de-bka', 'ru-mvd']);
const examples = exampleNotices(NOW);
const now = NOW.getTime();
const opener = {
  recipient: world.keys['de-bka']!,
  resolveKey: world.resolve,
  resolveGateKey: world.resolve,
  now,
};
const sealFor = (notice: unknown) =>
  seal({
    notice,
    sender: world.keys['at-bmi']!,
    recipients: recipientsFor(world, { 'de-bka': 'operational', 'ru-mvd': 'strategic' }),
    audience: { deny: ['country:XX'] },
    createdAt: NOW,
  });
const intake = (await sealFor(examples.borderAlert)).bytes;
const other = (await sealFor(examples.threatNotice)).bytes;
const delivery = deliver(world, intake, 'de-bka', 'operational');
const strategic = deliver(world, intake, 'ru-mvd', 'strategic');
const otherDelivery = deliver(world, other, 'de-bka', 'operational');
// Another notice of the same kind: its delivery has the same layers, so only the grant's binding tells them apart.
const twin = (await sealFor(examples.borderAlert)).bytes;
const twinDelivery = deliver(world, twin, 'de-bka', 'operational');
const original: OpenedNotice = await open(delivery, opener);
const decoded = (b: Uint8Array) => fromBinary(EnvelopeSchema, b);

/**
 * Every signed byte of `a` is the original's: the header and its signature, the
 * audience (or none: deliveries carry none, and the gate's own checklist requires it on
 * intake), and each layer it carries (by name; the layers' order is not signed, and
 * fewer layers is what a restricted delivery is).
 */
function signedSubset(a: Envelope, original: Envelope): boolean {
  const names = a.layers.map((l) => l.name);
  return (
    bytesEqual(a.header, original.header) &&
    bytesEqual(a.headerSignature, original.headerSignature) &&
    (a.audience.length === 0 || bytesEqual(a.audience, original.audience)) &&
    new Set(names).size === names.length &&
    a.layers.every((x) =>
      original.layers.some((y) => y.name === x.name && bytesEqual(x.ciphertext, y.ciphertext)),
    )
  );
}

/** `a` is the valid delivery `d` in everything signed: the same parts, the same layers, the same countersignature. */
function sameDelivery(a: Envelope, d: Envelope, intakeOfD: Envelope): boolean {
  const names = (e: Envelope) =>
    e.layers
      .map((l) => l.name)
      .sort()
      .join();
  return signedSubset(a, intakeOfD) && names(a) === names(d) && countersignedEqual(a, d);
}

function countersignedEqual(a: Envelope, b: Envelope): boolean {
  const x = a.countersignature;
  const y = b.countersignature;
  return (
    x !== undefined &&
    y !== undefined &&
    bytesEqual(x.grant, y.grant) &&
    bytesEqual(x.batch, y.batch) &&
    bytesEqual(x.signature, y.signature)
  );
}

describe('decodeEnvelope and verifyHeader (the gate, on intake)', () => {
  it('random bytes: decodeEnvelope refuses with MALFORMED or decodes; verifyHeader never accepts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), async (bytes) => {
        const decodedOutcome = await outcomeOf(() => decodeEnvelope(bytes));
        expect(['ACCEPTED', 'MALFORMED']).toContain(decodedOutcome);
        const verified = await outcomeOf(() => verifyHeader(bytes, world.resolve, { now }));
        expect(isCrash(verified)).toBe(false);
        expect(verified).not.toBe('ACCEPTED');
      }),
      fuzzParams(1000),
    );
  });

  it('mutated intake envelopes: refused with a code, or accepted only with every signed byte intact', async () => {
    const base = decoded(intake);
    await fc.assert(
      fc.asyncProperty(byteMutations, async (ms) => {
        const bytes = mutateAll(intake, ms);
        const verified = await outcomeOf(() => verifyHeader(bytes, world.resolve, { now }));
        expect(isCrash(verified)).toBe(false);
        if (verified === 'ACCEPTED') expect(signedSubset(decoded(bytes), base)).toBe(true);
      }),
      fuzzParams(1500),
    );
  });

  it('headers a sender signed with any content: refused with a code or accepted, never a crash', async () => {
    const sender = world.keys['at-bmi']!;
    const valid = fromBinary(NoticeHeaderSchema, decoded(intake).header);
    const anyInt64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    const header = fc.record({
      createdAtMs: fc.oneof(fc.constant(valid.createdAtMs), anyInt64),
      reviewAtMs: fc.oneof(fc.constant(0n), anyInt64),
      expiresAtMs: fc.oneof(fc.constant(0n), anyInt64),
      priority: fc.integer({ min: -2, max: 5 }),
      tlp: fc.integer({ min: -2, max: 8 }),
      schemaVersion: fc.oneof(fc.constant(valid.schemaVersion), fc.nat()),
      crimeAreas: fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
      kind: fc.oneof(fc.constant(valid.kind), fc.string({ maxLength: 20 })),
    });
    await fc.assert(
      fc.asyncProperty(header, fc.uint8Array({ maxLength: 64 }), fc.boolean(), async (fields, junk, raw) => {
        const headerBytes = raw
          ? junk
          : toBinary(NoticeHeaderSchema, create(NoticeHeaderSchema, { ...valid, ...fields }));
        const envelope = create(EnvelopeSchema, {
          ...decoded(intake),
          header: headerBytes,
          headerSignature: nodeSign(null, headerBytes, sender.signing.privateKey),
        });
        const verified = await outcomeOf(() =>
          verifyHeader(toBinary(EnvelopeSchema, envelope), world.resolve, { now }),
        );
        expect(isCrash(verified)).toBe(false);
      }),
      fuzzParams(400),
    );
  });
});

describe('open() (a recipient, a delivery)', () => {
  it('random bytes are refused with a code', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), async (bytes) => {
        const opened = await outcomeOf(() => open(bytes, opener));
        expect(isCrash(opened)).toBe(false);
        expect(opened).not.toBe('ACCEPTED');
      }),
      fuzzParams(1000),
    );
  });

  it('mutated deliveries: refused with a code, or the same notice under the same signatures', async () => {
    const base = decoded(delivery);
    await fc.assert(
      fc.asyncProperty(byteMutations, async (ms) => {
        const bytes = mutateAll(delivery, ms);
        let opened: OpenedNotice | undefined;
        const outcome = await outcomeOf(async () => {
          opened = await open(bytes, opener);
        });
        expect(isCrash(outcome)).toBe(false);
        if (outcome === 'ACCEPTED') {
          const mutated = decoded(bytes);
          expect(sameDelivery(mutated, base, decoded(intake))).toBe(true);
          expect(opened).toEqual(original);
        }
      }),
      fuzzParams(1500),
    );
  });

  it('fields swapped in from other deliveries and notices, re-encoded: refused unless it is one whole valid delivery', async () => {
    const donors = [
      decoded(strategic),
      decoded(otherDelivery),
      decoded(twinDelivery),
      decoded(intake),
      decoded(other),
    ];
    const fields = ['header', 'headerSignature', 'audience', 'layers', 'wraps', 'countersignature'] as const;
    const base = decoded(delivery);
    await fc.assert(
      fc.asyncProperty(
        fc.subarray([...fields], { minLength: 1 }),
        fc.nat({ max: donors.length - 1 }),
        fc.boolean(),
        async (swapped, donor, reverse) => {
          const from = donors[donor]!;
          const envelope = create(EnvelopeSchema, { ...base });
          for (const f of swapped) Object.assign(envelope, { [f]: from[f] });
          if (reverse) envelope.layers = [...envelope.layers].reverse();
          const bytes = toBinary(EnvelopeSchema, envelope);
          const outcome = await outcomeOf(() => open(bytes, opener));
          expect(isCrash(outcome)).toBe(false);
          // Swapping every signed part of another valid delivery in is that delivery.
          const intakeOf = (d: Envelope) =>
            [intake, other, twin].map(decoded).find((i) => bytesEqual(i.header, d.header))!;
          const whole = (d: Envelope) => sameDelivery(envelope, d, intakeOf(d));
          if (outcome === 'ACCEPTED') expect(whole(base) || whole(from)).toBe(true);
        },
      ),
      fuzzParams(300),
    );
  });

  it('countersignatures the gate signed with any batch, index and path: refused with a code, never a crash', async () => {
    const base = decoded(delivery);
    const cs = base.countersignature!;
    const batch = fromBinary(GrantBatchSchema, cs.batch);
    const uint64 = fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.bigInt({ min: 0n, max: 8n }));
    await fc.assert(
      fc.asyncProperty(
        uint64,
        uint64,
        fc.array(fc.uint8Array({ minLength: 0, maxLength: 40 }), { maxLength: 70 }),
        fc.oneof(fc.constant(batch.signedAtMs), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })),
        async (size, index, path, signedAtMs) => {
          const batchBytes = toBinary(
            GrantBatchSchema,
            create(GrantBatchSchema, { ...batch, size, signedAtMs }),
          );
          const envelope = create(EnvelopeSchema, {
            ...base,
            countersignature: {
              ...cs,
              batch: batchBytes,
              signature: nodeSign(null, batchBytes, world.gate.signing.privateKey),
              index,
              path,
            },
          });
          const outcome = await outcomeOf(() => open(toBinary(EnvelopeSchema, envelope), opener));
          expect(isCrash(outcome)).toBe(false);
          if (size !== 1n || index !== 0n || path.length > 0) expect(outcome).not.toBe('ACCEPTED');
        },
      ),
      fuzzParams(300),
    );
  });
});
