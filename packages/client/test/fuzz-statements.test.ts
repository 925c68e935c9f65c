// Fuzzing the gate's signed answers as the SDK reads them (docs/wire-format.md §11):
// plan and directory statements (compact JWS, EdDSA, pinned gate keys). Random text,
// mutated statements, segments swapped between them, statements signed by a stranger
// under the gate's kid, and anything the gate's key signs: each is refused with a
// ClientError code, or accepted only as the statement the gate signed for this agency.
import { generateAgencyKeys } from '@liaison/envelope';
import { byteMutations, fuzzParams, isCrash, mutateText, outcomeOf } from '@liaison/testkit';
import fc from 'fast-check';
import { CompactSign, compactVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { DIRECTORY_TYP, PLAN_TYP, verifyDirectoryAnswer, verifyPlanAnswer } from '../src/gate-statements.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const gate = await generateAgencyKeys('liaison-gate', { notBefore: T0 });
const stranger = await generateAgencyKeys('liaison-gate', { notBefore: T0 });
const recipient = await generateAgencyKeys('de-bka', { notBefore: T0 });
const gateKeys = [gate.signing.record];
const AGENCY = 'at-bmi';

const sign = (payload: unknown, typ: string, by = gate, kid = gate.signing.record.kid) =>
  new CompactSign(
    typeof payload === 'string'
      ? new TextEncoder().encode(payload)
      : new TextEncoder().encode(JSON.stringify(payload)),
  )
    .setProtectedHeader({ alg: 'EdDSA', kid, typ })
    .sign(by.signing.privateKey);

const planPayload = {
  type: 'plan',
  agency: AGENCY,
  revision: 40,
  at: T0 + 1000,
  recipients: [
    {
      agency: 'de-bka',
      level: 'operational',
      layers: ['strategic', 'operational'],
      encryptionKey: recipient.encryption.record,
    },
  ],
};
const directoryPayload = {
  type: 'directory',
  revision: 40,
  at: T0 + 1000,
  keys: [recipient.signing.record, recipient.encryption.record],
};
const plan = await sign(planPayload, PLAN_TYP);
const directory = await sign(directoryPayload, DIRECTORY_TYP);

/** What each reader makes of `text`: the outcome, and the value if accepted. */
async function read(text: string) {
  let planned: unknown;
  let keys: unknown;
  const p = await outcomeOf(async () => {
    planned = await verifyPlanAnswer(text, gateKeys, AGENCY);
  });
  const d = await outcomeOf(async () => {
    keys = (await verifyDirectoryAnswer(text, gateKeys)).keys;
  });
  expect(isCrash(p) || isCrash(d)).toBe(false);
  return { p, d, planned, keys };
}

describe('the gate’s plan and directory answers', () => {
  it('accepts the valid answers', async () => {
    expect(await verifyPlanAnswer(plan, gateKeys, AGENCY)).toEqual(planPayload.recipients);
    expect((await verifyDirectoryAnswer(directory, gateKeys)).keys).toEqual(directoryPayload.keys);
  });

  it('random text is refused with a code', async () => {
    const segment = fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString('base64url'));
    const text = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.jsonValue().map((v) => JSON.stringify(v) ?? ''),
      fc.tuple(segment, segment, segment).map((s) => s.join('.')),
    );
    await fc.assert(
      fc.asyncProperty(text, async (t) => {
        const { p, d } = await read(t);
        expect(p).not.toBe('ACCEPTED');
        expect(d).not.toBe('ACCEPTED');
      }),
      fuzzParams(1000),
    );
  });

  it('mutated statements are refused, or are the statement the gate signed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), byteMutations, async (isPlan, ms) => {
        const jws = mutateText(isPlan ? plan : directory, ms);
        const { p, d, planned, keys } = await read(jws);
        if (p === 'ACCEPTED') expect(planned).toEqual(planPayload.recipients);
        if (d === 'ACCEPTED') expect(keys).toEqual(directoryPayload.keys);
        // And the gate's signature holds, checked outside the reader (jose, the gate's key).
        if (p === 'ACCEPTED' || d === 'ACCEPTED')
          await expect(
            compactVerify(jws, gate.signing.publicKey, { algorithms: ['EdDSA'] }),
          ).resolves.toBeDefined();
        expect(isPlan ? d : p).not.toBe('ACCEPTED');
      }),
      fuzzParams(1000),
    );
  });

  it('segments swapped between statements, or signed by a stranger under the gate’s kid, are refused', async () => {
    const forged = [
      await sign(planPayload, PLAN_TYP, stranger),
      await sign(directoryPayload, DIRECTORY_TYP, stranger),
    ];
    const parts = [plan, directory, ...forged].map((j) => j.split('.'));
    const pick = fc.nat({ max: parts.length - 1 });
    await fc.assert(
      fc.asyncProperty(pick, pick, pick, async (h, q, s) => {
        const jws = `${parts[h]![0]}.${parts[q]![1]}.${parts[s]![2]}`;
        const { p, d } = await read(jws);
        // A forged statement has the same header and payload segments as the real one.
        const whole = jws === plan || jws === directory;
        if (!whole) expect([p, d]).not.toContain('ACCEPTED');
      }),
      fuzzParams(100),
    );
  });

  it('anything the gate signs: refused with a code unless it is a well-formed answer (a plan for this agency)', async () => {
    const payload = fc.oneof(
      fc.constantFrom(AGENCY, 'de-bka', '').map((agency) => ({ ...planPayload, agency })),
      fc.jsonValue().map((v) => JSON.stringify(v) ?? ''),
      fc.string({ maxLength: 40 }),
      fc
        .record({ agency: fc.constantFrom(AGENCY, 'de-bka'), recipients: fc.jsonValue() })
        .map((o) => ({ ...planPayload, ...o })),
      fc.record({ level: fc.string(), layers: fc.jsonValue(), encryptionKey: fc.jsonValue() }).map((r) => ({
        ...planPayload,
        recipients: [{ ...planPayload.recipients[0], ...r }],
      })),
      fc.record({ keys: fc.jsonValue() }).map((o) => ({ ...directoryPayload, ...o })),
    );
    await fc.assert(
      fc.asyncProperty(payload, fc.constantFrom(PLAN_TYP, DIRECTORY_TYP), async (body, typ) => {
        const { p, d, planned } = await read(await sign(body, typ));
        if (p === 'ACCEPTED') {
          expect(typ).toBe(PLAN_TYP);
          expect((body as { agency?: string }).agency).toBe(AGENCY);
          expect(Array.isArray(planned)).toBe(true);
        }
        if (d === 'ACCEPTED') expect(typ).toBe(DIRECTORY_TYP);
      }),
      fuzzParams(600),
    );
  });
});
