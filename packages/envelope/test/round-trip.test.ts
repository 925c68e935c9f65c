import { exampleNotices } from '@liaison/fixtures';
import { describe, expect, it } from 'vitest';
import { decodeEnvelope, EnvelopeError, open, seal } from '../src/index.js';
import { deliver, makeWorld, NOW, recipientsFor } from './world.js';

const world = await makeWorld(['at-bmi', 'de-bka', 'us-cbp', 'ru-mvd', 'cn-mps']);
const examples = exampleNotices(NOW);
const levels = { 'de-bka': 'operational', 'us-cbp': 'operational', 'ru-mvd': 'strategic' } as const;

async function sealExample(name: keyof typeof examples) {
  return seal({
    notice: examples[name],
    sender: world.keys['at-bmi']!,
    recipients: recipientsFor(world, levels),
    audience: { deny: ['cn-mps'] },
    createdAt: NOW,
  });
}

function opener(agency: string) {
  return {
    recipient: world.keys[agency]!,
    resolveKey: world.resolve,
    resolveGateKey: world.resolve,
    now: NOW.getTime(),
  };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof EnvelopeError) return err.code;
    throw err;
  }
  return 'OPENED';
}

describe.each(['borderAlert', 'passengerDataHit', 'threatNotice'] as const)('%s', (name) => {
  it('opens in full for an operational recipient', async () => {
    const sealed = await sealExample(name);
    const opened = await open(deliver(world, sealed.bytes, 'de-bka', 'operational'), opener('de-bka'));
    expect(opened.body).toEqual(sealed.notice.body);
    expect(opened.level).toBe('operational');
    expect(opened.sender).toBe('at-bmi');
    expect(opened.markings.handlingCode).toBe(
      (examples[name].markings as { handlingCode: string }).handlingCode,
    );
    expect(opened.noticeId).toBe(sealed.noticeId);
  });

  it('opens only the strategic layer for a strategic recipient, with no operational bytes delivered', async () => {
    const sealed = await sealExample(name);
    const delivery = deliver(world, sealed.bytes, 'ru-mvd', 'strategic');
    const opened = await open(delivery, opener('ru-mvd'));
    expect(opened.layers).toEqual(['strategic']);
    expect(opened.body).toEqual(sealed.notice.layers.strategic);
    const decoded = decodeEnvelope(delivery);
    expect(decoded.layers.map((l) => l.name)).toEqual(['strategic']);
    expect(decoded.wraps.every((w) => w.recipient === 'ru-mvd' && w.layer === 'strategic')).toBe(true);
    const operational = decodeEnvelope(sealed.bytes).layers.find((l) => l.name === 'operational');
    if (operational) {
      expect(Buffer.from(delivery).includes(Buffer.from(operational.ciphertext.subarray(0, 16)))).toBe(false);
    }
  });
});

describe('recipients', () => {
  it('cannot open a delivery made for someone else', async () => {
    const sealed = await sealExample('borderAlert');
    const forBka = deliver(world, sealed.bytes, 'de-bka', 'operational');
    expect(await codeOf(open(forBka, opener('us-cbp')))).toBe('BAD_COUNTERSIGNATURE');
  });

  it("cannot open another recipient's wraps even when the gate hands them over", async () => {
    const sealed = await sealExample('borderAlert');
    const forBka = deliver(world, sealed.bytes, 'de-bka', 'operational');
    // A recipient holding BKA's delivery but claiming BKA's name lacks BKA's private key.
    const impostor = { ...world.keys['us-cbp']!, agency: 'de-bka' };
    expect(await codeOf(open(forBka, { ...opener('us-cbp'), recipient: impostor }))).toBe('NOT_A_RECIPIENT');
  });

  it('learn nothing about other recipients: only their own wraps and no audience', async () => {
    const sealed = await sealExample('borderAlert');
    const delivery = deliver(world, sealed.bytes, 'us-cbp', 'operational');
    const text = Buffer.from(delivery).toString('latin1');
    for (const other of ['de-bka', 'ru-mvd', 'cn-mps']) expect(text).not.toContain(other);
    expect(decodeEnvelope(delivery).audience.length).toBe(0);
  });

  it('a state that was given no wraps cannot open anything', async () => {
    const sealed = await sealExample('threatNotice');
    const delivery = deliver(world, sealed.bytes, 'cn-mps', 'strategic');
    expect(decodeEnvelope(delivery).layers).toHaveLength(0);
    // The gate would not deliver it; if it did, the body would be empty and fail the kind's schema.
    expect(await codeOf(open(delivery, opener('cn-mps')))).toBe('SCHEMA_INVALID');
  });
});
