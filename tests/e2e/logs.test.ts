import { sealRecipientsOf } from '@liaison/client';
import { createLogger } from '@liaison/core';
import { decodeEnvelope, seal } from '@liaison/envelope';
import { exampleNotices } from '@liaison/fixtures';
import { Sandbox } from '@liaison/sandbox';
import { EnvelopeSchema, toBinary } from '@liaison/wire';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memorySink, readFeed } from './helpers.js';

const { lines, sink } = memorySink();
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await Sandbox.start({ logger: createLogger('e2e', { level: 'debug', destination: sink }) });
});
afterAll(async () => {
  await sandbox?.dispose();
});

describe('logs', () => {
  it('never contain personal data or private keys, whatever happens', async () => {
    const bmi = await sandbox.client('at-bmi');
    const ex = exampleNotices();
    await bmi.publish(ex.borderAlert);
    await bmi.publish(ex.passengerDataHit);
    // A notice the gate refuses (tampered layer) and one a recipient refuses (bad countersignature is not possible
    // from outside, so: an envelope whose operational layer was altered after signing).
    const plan = await bmi.plan(ex.borderAlert);
    const s = await seal({
      notice: ex.borderAlert,
      sender: sandbox.keys.get('at-bmi')!,
      recipients: sealRecipientsOf(plan),
    });
    const env = decodeEnvelope(s.bytes);
    env.layers[1]!.ciphertext[3]! ^= 1;
    await bmi.publishRaw(toBinary(EnvelopeSchema, env));
    await bmi.publishRaw(new TextEncoder().encode('Petrova 382914756'));
    // de-bka gets both (a third country gets no PNR data without an Art. 11 justification).
    await readFeed(await sandbox.client('de-bka'), 2);
    await sandbox.auditSettled();
    await new Promise((r) => setTimeout(r, 300));

    const all = lines.join('');
    expect(all.length).toBeGreaterThan(0);
    const secrets = [
      'Petrova',
      'PETROVA',
      '382914756',
      '1988-04-17',
      'de Vries',
      'QX7T2M',
      '+31 6 1234 5678',
      'NXR4KD7P2',
      ...[...sandbox.keys.values()].flatMap((k) => [
        String(k.signing.privateJwk.d),
        String(k.encryption.privateJwk.d),
      ]),
    ];
    for (const secret of secrets) expect(all, secret).not.toContain(secret);
    expect(all).toMatch(/submission rejected/);
  });
});
