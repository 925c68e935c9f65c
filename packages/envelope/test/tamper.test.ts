import { exampleNotices } from '@liaison/fixtures';
import { validateNotice } from '@liaison/notice';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EnvelopeError, generateAgencyKeys, open, seal, verifyHeader } from '../src/index.js';
import { deliver, makeWorld, NOW, recipientsFor, T0 } from './world.js';

const world = await makeWorld(['at-bmi', 'de-bka', 'ru-mvd']);
const examples = exampleNotices(NOW);
const opener = (agency: string) => ({
  recipient: world.keys[agency]!,
  resolveKey: world.resolve,
  resolveGateKey: world.resolve,
  now: NOW.getTime(),
});

async function sealed(notice: unknown = examples.borderAlert) {
  return seal({
    notice,
    sender: world.keys['at-bmi']!,
    recipients: recipientsFor(world, { 'de-bka': 'operational', 'ru-mvd': 'strategic' }),
    createdAt: NOW,
  });
}

async function outcome(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === 'function' ? p() : p);
    return 'ACCEPTED';
  } catch (err) {
    if (err instanceof EnvelopeError) return err.code;
    return `CRASH ${String(err)}`;
  }
}

describe('every single-byte change is detected', () => {
  it('in a delivery, at every position (exhaustive), by the recipient', async () => {
    const { bytes } = await sealed();
    const delivery = deliver(world, bytes, 'de-bka', 'operational');
    const outcomes = new Map<string, number>();
    for (let i = 0; i < delivery.length; i++) {
      const mutated = delivery.slice();
      mutated[i] = (mutated[i] ?? 0) ^ 0x01;
      const code = await outcome(open(mutated, opener('de-bka')));
      outcomes.set(code, (outcomes.get(code) ?? 0) + 1);
      if (code === 'ACCEPTED' || code.startsWith('CRASH')) throw new Error(`byte ${i}: ${code}`);
    }
    expect(outcomes.get('ACCEPTED')).toBeUndefined();
    expect([...outcomes.keys()]).toEqual(expect.arrayContaining(['BAD_SIGNATURE', 'BAD_COUNTERSIGNATURE']));
  });

  it('for random notices, recipients, positions and bit patterns (property)', async () => {
    const kinds = [examples.borderAlert, examples.passengerDataHit, examples.threatNotice];
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 }),
        fc.constantFrom('de-bka', 'ru-mvd'),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        fc.string({ minLength: 1, maxLength: 80 }).filter((s) => s.trim().length > 0),
        async (k, recipient, pos, xor, crossingPoint) => {
          const base = kinds[k]!;
          const notice =
            k === 0 ? { ...base, body: { ...base.body, crossingPoint: crossingPoint.trim() } } : base;
          const { bytes } = await sealed(notice);
          const level = recipient === 'de-bka' ? 'operational' : 'strategic';
          const delivery = deliver(world, bytes, recipient, level);
          expect(await outcome(open(delivery, opener(recipient)))).toBe('ACCEPTED');
          const mutated = delivery.slice();
          const i = pos % mutated.length;
          mutated[i] = (mutated[i] ?? 0) ^ xor;
          const code = await outcome(open(mutated, opener(recipient)));
          expect(code === 'ACCEPTED' || code.startsWith('CRASH')).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('in the signed header or a layer on intake, by the gate', async () => {
    const { bytes } = await sealed();
    let detected = 0;
    let total = 0;
    for (let i = 0; i < bytes.length; i++) {
      const mutated = bytes.slice();
      mutated[i] = (mutated[i] ?? 0) ^ 0x80;
      const code = await outcome(() => verifyHeader(mutated, world.resolve, { now: NOW.getTime() }));
      expect(code.startsWith('CRASH')).toBe(false);
      total++;
      if (code !== 'ACCEPTED') detected++;
    }
    // Only the key wraps are not the gate's to check (the recipient's AEAD does that).
    expect(detected / total).toBeGreaterThan(0.9);
  });
});

describe('gate-side verification codes', () => {
  it('BAD_SIGNATURE for a header signed by another key', async () => {
    const { bytes } = await sealed();
    const forger = await generateAgencyKeys('at-bmi', { notBefore: T0 });
    const forged = await seal({
      notice: examples.borderAlert,
      sender: { ...forger, signing: { ...forger.signing, record: world.keys['at-bmi']!.signing.record } },
      recipients: [],
      createdAt: NOW,
    });
    expect(await outcome(() => verifyHeader(forged.bytes, world.resolve))).toBe('BAD_SIGNATURE');
    expect(await outcome(() => verifyHeader(bytes, world.resolve, { now: NOW.getTime() }))).toBe('ACCEPTED');
  });

  it('UNKNOWN_KEY for a key the registry does not know', async () => {
    const stranger = await generateAgencyKeys('at-bmi', { notBefore: T0 });
    const s = await seal({ notice: examples.threatNotice, sender: stranger, recipients: [], createdAt: NOW });
    expect(await outcome(() => verifyHeader(s.bytes, world.resolve))).toBe('UNKNOWN_KEY');
  });

  it('KEY_NOT_VALID for a notice created outside the key validity, at the exact boundary', async () => {
    const until = NOW.getTime();
    const keys = await generateAgencyKeys('at-bmi', { notBefore: T0, notAfter: until });
    const resolve = (a: string, kid: string) =>
      kid === keys.signing.record.kid ? keys.signing.record : world.resolve(a, kid);
    const before = await seal({
      notice: examples.threatNotice,
      sender: keys,
      recipients: [],
      createdAt: new Date(until - 1),
    });
    const at = await seal({
      notice: examples.threatNotice,
      sender: keys,
      recipients: [],
      createdAt: new Date(until),
    });
    expect(await outcome(() => verifyHeader(before.bytes, resolve, { now: until - 1 }))).toBe('ACCEPTED');
    expect(await outcome(() => verifyHeader(at.bytes, resolve, { now: until }))).toBe('KEY_NOT_VALID');
  });

  it('KEY_REVOKED once the key is revoked, for new and old notices alike at the gate', async () => {
    const s = await sealed();
    const revoked = { ...world.keys['at-bmi']!.signing.record, revokedAt: NOW.getTime() + 1000 };
    const resolve = (a: string, kid: string) => (kid === revoked.kid ? revoked : world.resolve(a, kid));
    expect(await outcome(() => verifyHeader(s.bytes, resolve, { now: NOW.getTime() }))).toBe('ACCEPTED');
    expect(await outcome(() => verifyHeader(s.bytes, resolve, { now: NOW.getTime() + 1000 }))).toBe(
      'KEY_REVOKED',
    );
  });

  it('MALFORMED for garbage and truncated envelopes', async () => {
    const { bytes } = await sealed();
    expect(await outcome(() => verifyHeader(new Uint8Array([0xff, 0xff, 0xff]), world.resolve))).toBe(
      'MALFORMED',
    );
    expect(await outcome(() => verifyHeader(bytes.subarray(0, bytes.length - 7), world.resolve))).toBe(
      'MALFORMED',
    );
    expect(await outcome(() => verifyHeader(new Uint8Array(0), world.resolve))).toBe('MALFORMED');
  });

  it('the sender signature survives restriction (header bytes untouched)', async () => {
    const { bytes } = await sealed();
    const delivery = deliver(world, bytes, 'ru-mvd', 'strategic');
    expect(await outcome(() => verifyHeader(delivery, world.resolve, { now: NOW.getTime() }))).toBe(
      'ACCEPTED',
    );
  });

  it('a sender client that puts a personal field in the strategic layer is refused by the recipient', async () => {
    const valid = validateNotice(examples.borderAlert, NOW);
    const smuggled = {
      ...valid,
      layers: { strategic: { ...valid.layers.strategic, documentNumber: '382914756' } },
    };
    const s = await seal({
      notice: smuggled,
      sender: world.keys['at-bmi']!,
      recipients: recipientsFor(world, { 'ru-mvd': 'strategic' }),
      createdAt: NOW,
    });
    expect(await outcome(open(deliver(world, s.bytes, 'ru-mvd', 'strategic'), opener('ru-mvd')))).toBe(
      'SCHEMA_INVALID',
    );
  });
});
