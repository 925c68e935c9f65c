// The canonical-form scanner (`isCanonical`) must agree with decode + re-encode +
// compare on every input protobuf-es can decode: tried on real envelopes, on
// hand-made non-canonical encodings, and differentially on random mutations.
import { exampleNotices } from '@liaison/fixtures';
import {
  CountersignatureSchema,
  create,
  EnvelopeSchema,
  fromBinary,
  isCanonical,
  toBinary,
} from '@liaison/wire';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seal } from '../src/index.js';
import { deliver, makeWorld, NOW, recipientsFor } from './world.js';

const world = await makeWorld(['at-bmi', 'de-bka', 'ru-mvd']);
const sealed = await seal({
  notice: exampleNotices(NOW).borderAlert,
  sender: world.keys['at-bmi']!,
  recipients: recipientsFor(world, { 'de-bka': 'operational', 'ru-mvd': 'strategic' }),
  audience: { recipients: ['de-bka', 'ru-mvd'] },
  createdAt: NOW,
});
const delivery = deliver(world, sealed.bytes, 'de-bka', 'operational');

/** The reference: decodes, and re-encodes to the same bytes. */
function reencodes(bytes: Uint8Array): boolean | undefined {
  let decoded: ReturnType<typeof fromBinary<typeof EnvelopeSchema>>;
  try {
    decoded = fromBinary(EnvelopeSchema, bytes, { readUnknownFields: false });
  } catch {
    return undefined; // not decodable: the scanner is never asked
  }
  return Buffer.from(toBinary(EnvelopeSchema, decoded)).equals(Buffer.from(bytes));
}

/** A delivery whose countersignature spells out `index = 0` (field 4), which encoders omit. */
function zeroIndex(env: ReturnType<typeof fromBinary<typeof EnvelopeSchema>>): Uint8Array {
  const c = env.countersignature!;
  const cs = cat(
    toBinary(
      CountersignatureSchema,
      create(CountersignatureSchema, { grant: c.grant, signature: c.signature, batch: c.batch }),
    ),
    [0x20, 0x00],
    toBinary(CountersignatureSchema, create(CountersignatureSchema, { path: c.path })),
  );
  const rest = toBinary(EnvelopeSchema, create(EnvelopeSchema, { ...env, countersignature: undefined }));
  const length: number[] = [];
  for (let n = cs.length; ; n >>= 7) {
    if (n < 0x80) {
      length.push(n);
      break;
    }
    length.push((n & 0x7f) | 0x80);
  }
  return cat(rest, [0x32, ...length], cs);
}

const cat = (...parts: (Uint8Array | number[])[]) =>
  new Uint8Array(Buffer.concat(parts.map((p) => Buffer.from(p))));

describe('canonical form', () => {
  it('accepts what the encoder writes: intake envelopes and deliveries', () => {
    for (const bytes of [sealed.bytes, delivery]) {
      expect(reencodes(bytes)).toBe(true);
      expect(isCanonical(EnvelopeSchema, bytes)).toBe(true);
    }
  });

  it('refuses each kind of non-canonical encoding', () => {
    const env = fromBinary(EnvelopeSchema, delivery);
    const cases: Record<string, Uint8Array> = {
      'an unknown field': cat(delivery, [0x78, 0x01]), // field 15, varint 1
      'a duplicated singular field': cat(delivery, [0x12, 0x01, 0x00]), // header_signature again
      'fields out of order': cat(
        [0x12, 0x01, 0x07],
        toBinary(EnvelopeSchema, { ...env, headerSignature: new Uint8Array(0) }),
      ),
      'a non-minimal length': cat([0x0a, 0x81, 0x00], [7]), // header, length 1 written in two bytes
      'an empty singular bytes field': cat([0x0a, 0x00], delivery),
      'a zero written for the countersignature index': zeroIndex(env),
      'invalid UTF-8 in a wrap’s recipient': cat(
        toBinary(EnvelopeSchema, { ...env, wraps: [], countersignature: undefined }),
        [0x2a, 0x03, 0x0a, 0x01, 0xff], // wraps { recipient: "\xff" }
      ),
    };
    for (const [what, bytes] of Object.entries(cases)) {
      const reference = reencodes(bytes);
      if (reference !== undefined) expect(reference, what).toBe(false);
      expect(isCanonical(EnvelopeSchema, bytes), what).toBe(false);
    }
  });

  it('agrees with decode + re-encode on random mutations (differential)', () => {
    const base = [sealed.bytes, delivery];
    const mutation = fc.oneof(
      fc.record({ op: fc.constant('flip'), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
      fc.record({
        op: fc.constant('insert'),
        at: fc.nat(),
        bytes: fc.uint8Array({ minLength: 1, maxLength: 4 }),
      }),
      fc.record({ op: fc.constant('delete'), at: fc.nat(), n: fc.integer({ min: 1, max: 4 }) }),
      fc.record({ op: fc.constant('duplicate'), at: fc.nat(), n: fc.integer({ min: 1, max: 64 }) }),
    );
    let decodable = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        (which, ops) => {
          let b = Buffer.from(base[which]!);
          for (const m of ops) {
            const at = m.at % (b.length + 1);
            if (m.op === 'flip' && at < b.length) b[at] = b[at]! ^ (1 << (m as { bit: number }).bit);
            if (m.op === 'insert')
              b = Buffer.concat([
                b.subarray(0, at),
                Buffer.from((m as { bytes: Uint8Array }).bytes),
                b.subarray(at),
              ]);
            if (m.op === 'delete')
              b = Buffer.concat([b.subarray(0, at), b.subarray(at + (m as { n: number }).n)]);
            if (m.op === 'duplicate')
              b = Buffer.concat([b.subarray(0, at + (m as { n: number }).n), b.subarray(at)]);
          }
          const bytes = new Uint8Array(b);
          const reference = reencodes(bytes);
          if (reference === undefined) return;
          decodable++;
          expect(isCanonical(EnvelopeSchema, bytes)).toBe(reference);
        },
      ),
      { numRuns: 10_000, seed: 20261125 },
    );
    expect(decodable).toBeGreaterThan(1000);
  });
});
