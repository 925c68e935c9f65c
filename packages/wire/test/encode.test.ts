// The wire package's encoder must write exactly what protobuf-es's `toBinary`
// writes, for every message of the contracts: signatures, digests, Merkle leaves and
// the canonical-form check all depend on these bytes. Differential tests on random
// messages built from the descriptors, plus the edges the encoder handles itself.
import {
  create,
  type DescField,
  type DescMessage,
  fromBinary,
  toBinary as protobufToBinary,
  ScalarType,
} from '@bufbuild/protobuf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodesNatively } from '../src/encode.js';
import { file_liaison_v1_audit } from '../src/gen/liaison/v1/audit_pb.js';
import { file_liaison_v1_envelope } from '../src/gen/liaison/v1/envelope_pb.js';
import { EnvelopeSchema, KeyWrapSchema, LogBlockSchema, NoticeHeaderSchema, toBinary } from '../src/index.js';

const MESSAGES = [...file_liaison_v1_envelope.messages, ...file_liaison_v1_audit.messages];

// Zero values often (they must be omitted), and every size class of varint and length.
const text = fc.oneof(
  fc.constant(''),
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }), // lone surrogates included
  fc.integer({ min: 120, max: 300 }).map((n) => 'x'.repeat(n)),
);
const bytes = fc.oneof(
  fc.constant(new Uint8Array(0)),
  fc.uint8Array({ maxLength: 40 }),
  // Long values (two- and three-byte lengths) built from a length, which shrinks quickly.
  fc.integer({ min: 120, max: 200 }).map((n) => new Uint8Array(n).fill(n)),
  fc.integer({ min: 16_380, max: 16_400 }).map((n) => new Uint8Array(n).fill(n)),
);
const u64 = fc.oneof(
  fc.constant(0n),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  fc.bigInt({ min: 0n, max: 300n }),
);
const i64 = fc.oneof(fc.constant(0n), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }));
const i32 = fc.oneof(fc.constant(0), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.nat(200));

function scalar(f: DescField & { scalar: ScalarType }): fc.Arbitrary<unknown> {
  switch (f.scalar) {
    case ScalarType.STRING:
      return text;
    case ScalarType.BYTES:
      return bytes;
    case ScalarType.UINT32:
      return fc.oneof(fc.constant(0), fc.nat(200), fc.integer({ min: 0, max: 2 ** 32 - 1 }));
    case ScalarType.INT32:
      return i32;
    case ScalarType.UINT64:
      return u64;
    case ScalarType.INT64:
      return i64;
    case ScalarType.BOOL:
      return fc.boolean();
    default:
      throw new Error(`no arbitrary for scalar type ${f.scalar}`);
  }
}

/** Random initialisers for a message type, from its descriptor. */
function arbitrary(desc: DescMessage): fc.Arbitrary<Record<string, unknown>> {
  const fields: Record<string, fc.Arbitrary<unknown>> = {};
  for (const f of desc.fields) {
    if (f.fieldKind === 'scalar') fields[f.localName] = scalar(f);
    else if (f.fieldKind === 'enum') fields[f.localName] = i32;
    else if (f.fieldKind === 'message')
      fields[f.localName] = fc.option(arbitrary(f.message), { nil: undefined });
    else if (f.fieldKind === 'list' && f.listKind === 'message')
      fields[f.localName] = fc.array(arbitrary(f.message), { maxLength: 3 });
    else if (f.fieldKind === 'list' && f.listKind === 'scalar')
      fields[f.localName] = fc.array(scalar(f as DescField & { scalar: ScalarType }), { maxLength: 4 });
    else throw new Error(`no arbitrary for ${f.fieldKind} ${f.name}`);
  }
  return fc.record(fields, { requiredKeys: [] });
}

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

describe('toBinary', () => {
  it('encodes every message of the contracts itself (no silent hand-over to protobuf-es)', () => {
    expect(MESSAGES.filter((d) => !encodesNatively(d)).map((d) => d.name)).toEqual([]);
  });

  for (const desc of MESSAGES) {
    it(`writes what protobuf-es writes: ${desc.name}`, () => {
      fc.assert(
        fc.property(arbitrary(desc), (init) => {
          const message = create(desc, init);
          const ours = toBinary(desc, message);
          expect(same(ours, protobufToBinary(desc, message))).toBe(true);
        }),
        { numRuns: 150 },
      );
    });
  }

  it('keeps unknown fields as protobuf-es does', () => {
    const wrap = toBinary(KeyWrapSchema, create(KeyWrapSchema, { recipient: 'de-bka', layer: 'strategic' }));
    const withUnknown = new Uint8Array([...wrap, 0x78, 0x01, 0x82, 0x01, 0x02, 0xaa, 0xbb]); // fields 15 and 16
    const decoded = fromBinary(KeyWrapSchema, withUnknown);
    expect(same(toBinary(KeyWrapSchema, decoded), withUnknown)).toBe(true);
    // Nested: an envelope holding that wrap.
    const env = create(EnvelopeSchema, { header: new Uint8Array([1, 2]), wraps: [decoded] });
    expect(same(toBinary(EnvelopeSchema, env), protobufToBinary(EnvelopeSchema, env))).toBe(true);
  });

  it('refuses out-of-range numbers as protobuf-es does (never writes them wrong)', () => {
    const header = (init: Parameters<typeof create<typeof NoticeHeaderSchema>>[1]) =>
      [NoticeHeaderSchema, create(NoticeHeaderSchema, init)] as const;
    const noRecords = create(LogBlockSchema, {});
    (noRecords as { records: unknown }).records = undefined;
    const cases = [
      header({ schemaVersion: -1 }),
      header({ schemaVersion: 2 ** 32 }),
      header({ schemaVersion: 1.5 }),
      header({ createdAtMs: 2n ** 63n }),
      header({ priority: 2 ** 31 }),
      [LogBlockSchema, noRecords] as const,
    ];
    for (const [schema, message] of cases) {
      expect(() => protobufToBinary(schema as never, message as never)).toThrow();
      expect(() => toBinary(schema as never, message as never)).toThrow();
    }
  });

  it('refuses a message of another type, as protobuf-es does', () => {
    const wrap = create(KeyWrapSchema, { recipient: 'de-bka' });
    expect(() => toBinary(NoticeHeaderSchema, wrap as never)).toThrow();
  });

  it('returns bytes of their own, which later encodings do not overwrite', () => {
    const a = toBinary(LogBlockSchema, create(LogBlockSchema, { records: [new Uint8Array(100).fill(1)] }));
    const copy = Uint8Array.from(a);
    toBinary(LogBlockSchema, create(LogBlockSchema, { records: [new Uint8Array(300_000).fill(2)] }));
    expect(a.byteOffset).toBe(0);
    expect(a.buffer.byteLength).toBe(a.length);
    expect(same(a, copy)).toBe(true);
  });

  it('writes nested messages longer than its scratch buffer', () => {
    const layer = (n: number) => ({ name: 'operational', ciphertext: new Uint8Array(n).fill(n) });
    const env = create(EnvelopeSchema, {
      header: new Uint8Array(10),
      layers: [layer(200_000), layer(70_000), layer(127), layer(16_383)],
    });
    const ours = toBinary(EnvelopeSchema, env);
    expect(same(ours, protobufToBinary(EnvelopeSchema, env))).toBe(true);
    expect(fromBinary(EnvelopeSchema, ours).layers.map((l) => l.ciphertext.length)).toEqual([
      200_000, 70_000, 127, 16_383,
    ]);
  });
});
