// Fuzzing what the auditor reads from the log (docs/wire-format.md §11): blocks and
// records (decodeBlock, decodeRecord) and what the entry checks make of them
// (checkChunk → EntryChecker), with random bytes, mutated valid records and fields
// swapped between valid entries. Nothing throws out of the replay's per-record work:
// an input is reported (MALFORMED_RECORD or another discrepancy) or checks out, and an
// entry whose signed parts are not those of one valid entry never checks out.
import { byteMutations, bytesEqual, fuzzParams, isCrash, mutateAll, outcomeOf } from '@liaison/testkit';
import {
  type AuditEntry,
  AuditEntryKind,
  AuditEntrySchema,
  create,
  DeliverySchema,
  fromBinary,
  toBinary,
} from '@liaison/wire';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeBlock,
  decodeRecord,
  EntryChecker,
  encodeBlock,
  encodeRecord,
  ZERO_HASH,
} from '../src/index.js';
import { checkChunk } from '../src/replay-chunk.js';
import { auditWorld } from './audit-world.js';

const world = await auditWorld();
const checker = new EntryChecker(world.registry);
const submissions = [
  await world.submission(world.examples.borderAlert),
  await world.submission(world.examples.threatNotice),
];
const reads = [await world.read(submissions[0]!, 'de-bka'), await world.read(submissions[1]!, 'de-bpol')];
const entries = [...submissions, ...reads];
const entryBytes = entries.map((e) => toBinary(AuditEntrySchema, e));
const records = entryBytes.map((e, i) => encodeRecord(i, ZERO_HASH, e, 'fuzz'));
const all = { from: 0, to: Number.MAX_SAFE_INTEGER, fromMs: 0, toMs: Number.MAX_SAFE_INTEGER };
const check = (recordBytes: Uint8Array[]) => checkChunk(checker, { first: 0, records: recordBytes, ...all });

/** The fields a signature (the sender's, the gate's, a reader's) or a digest binds, as bytes to compare. */
function signedParts(e: AuditEntry): unknown[] {
  const common = [e.kind, e.noticeId, e.sender, e.headerSha256];
  if (e.kind === AuditEntryKind.READ) return [...common, e.recipient, e.readReceipt];
  return [
    ...common,
    e.header,
    e.headerSignature,
    e.audience,
    e.gateId,
    e.grantBatch,
    e.grantSignature,
    e.grantBlockOffset,
    e.grantBlockPath,
    e.deliveries.map((d) => [d.recipient, d.grant]),
  ];
}
const same = (a: unknown[], b: unknown[]) => {
  const norm = (x: unknown): unknown =>
    x instanceof Uint8Array ? Buffer.from(x).toString('hex') : Array.isArray(x) ? x.map(norm) : x;
  return (
    JSON.stringify(a.map(norm), (_, v) => (typeof v === 'bigint' ? v.toString() : v)) ===
    JSON.stringify(b.map(norm), (_, v) => (typeof v === 'bigint' ? v.toString() : v))
  );
};

describe('the valid entries check out', () => {
  it('no discrepancy for valid submissions and reads', async () => {
    expect((await check(records)).discrepancies).toEqual([]);
  });
});

describe('decodeBlock and decodeRecord', () => {
  it('random bytes: a block decodes or is undefined; a record decodes or is refused with a code', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), async (bytes) => {
        expect(await outcomeOf(() => decodeBlock(bytes))).toBe('ACCEPTED');
        const outcome = await outcomeOf(() => decodeRecord(bytes));
        expect(['ACCEPTED', 'MALFORMED_RECORD']).toContain(outcome);
      }),
      fuzzParams(2000),
    );
  });

  it('mutated blocks: decode to records or to undefined, never throw', async () => {
    const block = encodeBlock(records);
    await fc.assert(
      fc.asyncProperty(byteMutations, async (ms) => {
        const decoded = decodeBlock(mutateAll(block, ms));
        expect(decoded === undefined || decoded.every((r) => r instanceof Uint8Array)).toBe(true);
      }),
      fuzzParams(1000),
    );
  });
});

describe('the entry checks (checkChunk → EntryChecker)', () => {
  it('random records and random entries in well-formed records: reported, never thrown', async () => {
    const record = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.uint8Array({ maxLength: 300 }).map((e) => encodeRecord(0, ZERO_HASH, e, 'fuzz')),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 4 }), async (recordBytes) => {
        const outcome = await outcomeOf(() => check(recordBytes));
        expect(isCrash(outcome)).toBe(false);
        expect(outcome).toBe('ACCEPTED');
      }),
      fuzzParams(1500),
    );
  });

  it('mutated records: reported unless every signed part of the entry is intact', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: records.length - 1 }), byteMutations, async (i, ms) => {
        const mutated = mutateAll(records[i]!, ms);
        let result: Awaited<ReturnType<typeof check>> | undefined;
        const outcome = await outcomeOf(async () => {
          result = await check([mutated]);
        });
        expect(outcome).toBe('ACCEPTED');
        if (result!.discrepancies.length > 0) return;
        // It checked out: then the entry's signed parts are the original's (what else
        // changed is the record's leaf hash, which the chain and the checkpoints catch).
        const entry = decodeRecord(mutated).entry;
        expect(same(signedParts(entry), signedParts(entries[i]!))).toBe(true);
        expect(
          bytesEqual(mutated, records[i]!) ||
            !bytesEqual(decodeRecord(mutated).leaf, decodeRecord(records[i]!).leaf),
        ).toBe(true);
      }),
      fuzzParams(1500),
    );
  });

  it('fields swapped between valid entries: reported unless the result is one valid entry in all it signs', async () => {
    const fields = Object.keys(AuditEntrySchema.fields ?? {}).length
      ? AuditEntrySchema.fields.map((f) => f.localName)
      : [];
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: entries.length - 1 }),
        fc.nat({ max: entries.length - 1 }),
        fc.subarray(fields, { minLength: 1, maxLength: 4 }),
        async (a, b, swapped) => {
          const entry = create(AuditEntrySchema, { ...entries[a]! });
          for (const f of swapped)
            Object.assign(entry, { [f]: (entries[b] as unknown as Record<string, unknown>)[f] });
          const bytes = encodeRecord(0, ZERO_HASH, toBinary(AuditEntrySchema, entry), 'fuzz');
          const { discrepancies } = await check([bytes]);
          const decoded = fromBinary(AuditEntrySchema, toBinary(AuditEntrySchema, entry));
          const valid = entries.some((e) => same(signedParts(decoded), signedParts(e)));
          if (!valid) expect(discrepancies.length).toBeGreaterThan(0);
        },
      ),
      fuzzParams(800),
    );
  });

  it('valid entries with fields set to any value: reported, never thrown', async () => {
    const bytes = fc.uint8Array({ maxLength: 80 });
    const uint64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
    const field = fc.oneof(
      fc.record({ header: bytes }),
      fc.record({ audience: bytes }),
      fc.record({ grantBatch: bytes }),
      fc.record({ grantSignature: bytes }),
      fc.record({ grantBlockPath: fc.array(bytes, { maxLength: 70 }) }),
      fc.record({ grantBlockOffset: uint64 }),
      fc.record({ policyRevision: uint64 }),
      fc.record({ atMs: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }) }),
      fc.record({ kind: fc.integer({ min: -1, max: 9 }) }),
      fc.record({ readReceipt: fc.string({ maxLength: 80 }) }),
      fc.record({
        deliveries: fc.array(
          fc
            .record({
              recipient: fc.constantFrom('de-bka', 'x'),
              grant: bytes,
              code: fc.string({ maxLength: 4 }),
            })
            .map((d) => create(DeliverySchema, d)),
          { maxLength: 3 },
        ),
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: entries.length - 1 }),
        fc.array(field, { minLength: 1, maxLength: 3 }),
        async (i, changes) => {
          const entry = create(AuditEntrySchema, { ...entries[i]! });
          for (const c of changes) Object.assign(entry, c);
          const record = encodeRecord(0, ZERO_HASH, toBinary(AuditEntrySchema, entry), 'fuzz');
          const outcome = await outcomeOf(() => check([record]));
          expect(outcome).toBe('ACCEPTED');
        },
      ),
      fuzzParams(800),
    );
  });
});
