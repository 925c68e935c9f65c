// Fuzzing verifyReceipt (docs/wire-format.md §11): read receipts come from recipients
// and submission receipts from the gate, so a receipt is checked as hostile input:
// random text, mutated JWS, segments swapped between receipts, and receipts validly
// signed by a registered key over any header and payload. Each is refused with an
// EnvelopeError code, or accepted only as the very receipt its signer made.
import { sign as nodeSign } from 'node:crypto';
import { byteMutations, fuzzParams, isCrash, mutateText, outcomeOf } from '@liaison/testkit';
import fc from 'fast-check';
import { compactVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { type ReadReceipt, type SubmissionReceipt, signReceipt, verifyReceipt } from '../src/index.js';
import { makeWorld, NOW } from './world.js';

const world = await makeWorld(['de-bka', 'at-bmi']);
const reader = world.keys['de-bka']!;
const read: ReadReceipt = {
  type: 'read',
  noticeId: '01936f6e-0000-7000-8000-000000000001',
  sender: 'at-bmi',
  recipient: 'de-bka',
  headerSha256: 'ab'.repeat(32),
  readAt: NOW.getTime(),
};
const submission: SubmissionReceipt = {
  type: 'submission',
  noticeId: read.noticeId,
  sender: 'at-bmi',
  status: 'accepted',
  recipients: [{ recipient: 'de-bka', level: 'operational', layers: ['strategic', 'operational'] }],
  policyRevision: 7,
  intakeSeq: 12,
  at: NOW.getTime(),
  gateId: world.gate.agency,
};
const readJws = await signReceipt(read, reader);
const submissionJws = await signReceipt(submission, world.gate);
const b64u = (x: string | Uint8Array) => Buffer.from(x).toString('base64url');

/** Accepted only as one of the receipts that were signed, by the party that signed it. */
async function acceptedAsSigned(jws: string): Promise<void> {
  const outcome = await outcomeOf(() => verifyReceipt(jws, world.resolve));
  expect(isCrash(outcome)).toBe(false);
  if (outcome !== 'ACCEPTED') return;
  const { receipt, signer } = await verifyReceipt(jws, world.resolve);
  const expected = signer === reader.agency ? read : submission;
  expect(receipt).toEqual(expected);
  // And the signature holds, checked outside the decoder (jose, the signer's key).
  const key = (signer === reader.agency ? reader : world.gate).signing.publicKey;
  await expect(compactVerify(jws, key, { algorithms: ['EdDSA'] })).resolves.toBeDefined();
}

describe('verifyReceipt', () => {
  it('accepts the valid receipts', async () => {
    expect(await verifyReceipt(readJws, world.resolve)).toEqual({ receipt: read, signer: 'de-bka' });
    expect(await verifyReceipt(submissionJws, world.resolve)).toEqual({
      receipt: submission,
      signer: world.gate.agency,
    });
  });

  it('random text, and random dotted base64url segments, are refused with a code', async () => {
    const segment = fc.uint8Array({ maxLength: 96 }).map(b64u);
    const text = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.tuple(segment, segment, segment).map((s) => s.join('.')),
      fc
        .tuple(fc.jsonValue(), fc.jsonValue(), segment)
        .map(([h, p, s]) => `${b64u(JSON.stringify(h) ?? '')}.${b64u(JSON.stringify(p) ?? '')}.${s}`),
    );
    await fc.assert(
      fc.asyncProperty(text, async (jws) => {
        const outcome = await outcomeOf(() => verifyReceipt(jws, world.resolve));
        expect(isCrash(outcome)).toBe(false);
        expect(outcome).not.toBe('ACCEPTED');
      }),
      fuzzParams(1000),
    );
  });

  it('mutated receipts are refused, or are the receipt that was signed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(readJws, submissionJws), byteMutations, async (jws, ms) => {
        await acceptedAsSigned(mutateText(jws, ms));
      }),
      fuzzParams(1000),
    );
  });

  it('segments swapped between receipts are refused unless they make up one signed receipt', async () => {
    const parts = [readJws.split('.'), submissionJws.split('.')];
    const pick = fc.nat({ max: 1 });
    await fc.assert(
      fc.asyncProperty(pick, pick, pick, async (h, p, s) => {
        const jws = `${parts[h]![0]}.${parts[p]![1]}.${parts[s]![2]}`;
        const outcome = await outcomeOf(() => verifyReceipt(jws, world.resolve));
        expect(isCrash(outcome)).toBe(false);
        if (h !== p || p !== s) expect(outcome).not.toBe('ACCEPTED');
        else await acceptedAsSigned(jws);
      }),
      fuzzParams(50),
    );
  });

  it('anything a registered key signs: refused with a code unless it is a well-formed receipt of its signer', async () => {
    // Mostly the header a signer would write, so that the payload is what is tested.
    const honest = fc.constant(undefined);
    const forged = fc.record({
      alg: fc.constantFrom('EdDSA', 'none', 'HS256'),
      kid: fc.constantFrom(reader.signing.record.kid, world.gate.signing.record.kid, 'x'),
      typ: fc.constantFrom('liaison-receipt+jws', 'JWT'),
      iss: fc.oneof(fc.constantFrom('de-bka', world.gate.agency), fc.jsonValue()),
      b64: fc.option(fc.boolean(), { nil: undefined }),
      crit: fc.option(fc.constant(['b64']), { nil: undefined }),
    });
    const header = fc.oneof({ arbitrary: honest, weight: 3 }, { arbitrary: forged, weight: 1 });
    const party = fc.oneof(fc.constantFrom('de-bka', world.gate.agency), fc.string({ maxLength: 8 }));
    const time = fc.oneof(fc.constant(read.readAt), fc.integer(), fc.double());
    const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v) ?? '');
    const payload = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.jsonValue().map(json),
      fc.record({ readAt: time, recipient: party }).map((o) => json({ ...read, ...o })),
      fc.record({ at: time, gateId: party }).map((o) => json({ ...submission, ...o })),
    );
    await fc.assert(
      fc.asyncProperty(header, payload, fc.boolean(), async (h, body, byGate) => {
        const signer = byGate ? world.gate : reader;
        const protectedHeader = h ?? {
          alg: 'EdDSA',
          kid: signer.signing.record.kid,
          typ: 'liaison-receipt+jws',
          iss: signer.agency,
        };
        const input = `${b64u(JSON.stringify(protectedHeader))}.${b64u(body)}`;
        const jws = `${input}.${b64u(nodeSign(null, Buffer.from(input), signer.signing.privateKey))}`;
        const outcome = await outcomeOf(() => verifyReceipt(jws, world.resolve));
        expect(isCrash(outcome)).toBe(false);
        if (outcome === 'ACCEPTED') {
          const { receipt, signer: by } = await verifyReceipt(jws, world.resolve);
          expect(by).toBe(signer.agency);
          expect(receipt.type === 'read' ? receipt.recipient : receipt.gateId).toBe(by);
        }
      }),
      fuzzParams(600),
    );
  });
});
