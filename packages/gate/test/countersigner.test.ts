import { generateAgencyKeys, open, restrictTo, seal, verifyHeader } from '@liaison/envelope';
import { exampleNotices } from '@liaison/fixtures';
import { describe, expect, it } from 'vitest';
import { Countersigner } from '../src/countersigner.js';

const NOW = new Date();
const sender = await generateAgencyKeys('at-bmi', { notBefore: 0 });
const gate = await generateAgencyKeys('liaison-gate', { notBefore: 0 });
const bka = await generateAgencyKeys('de-bka', { notBefore: 0 });
const all = [sender, gate, bka].flatMap((k) => [k.signing.record, k.encryption.record]);
const resolve = (agency: string, kid: string) => all.find((r) => r.agency === agency && r.kid === kid);

async function group() {
  const sealed = await seal({
    notice: exampleNotices(NOW).borderAlert,
    sender,
    recipients: [
      { agency: 'de-bka', encryptionKey: bka.encryption.record, layers: ['strategic', 'operational'] },
    ],
    createdAt: NOW,
  });
  const restricted = restrictTo(verifyHeader(sealed.bytes, resolve), 'de-bka', ['strategic', 'operational']);
  const grant = {
    recipient: 'de-bka',
    level: 'operational' as const,
    layers: restricted.layers,
    policyRevision: 1n,
    grantedAt: NOW.getTime(),
  };
  return [{ envelope: restricted.envelope, grant }];
}

describe('the gate’s countersigner', () => {
  it('signs the submissions that reach it in one turn under one signature, and later ones under another', async () => {
    const signer = new Countersigner(gate);
    const [g1, g2, g3] = await Promise.all([group(), group(), group()]);
    const [a, b] = await Promise.all([signer.sign(g1), signer.sign(g2)]);
    const [a0, b0] = [a.deliveries[0]!, b.deliveries[0]!];
    expect(b0.signature).toEqual(a0.signature);
    expect(b0.batch).toEqual(a0.batch);
    expect(b.block.offset).not.toBe(a.block.offset);
    const later = await signer.sign(g3);
    expect(later.deliveries[0]!.signature).not.toEqual(a0.signature);
    for (const d of [a0, b0, later.deliveries[0]!]) {
      const opened = await open(d.bytes, { recipient: bka, resolveKey: resolve, resolveGateKey: resolve });
      expect(opened.grant.recipient).toBe('de-bka');
    }
  });

  it('signs at most maxGroups submissions together', async () => {
    const signer = new Countersigner(gate, 2);
    const groups = await Promise.all([group(), group(), group()]);
    const signed = await Promise.all(groups.map((g) => signer.sign(g)));
    const signatures = new Set(signed.map((s) => Buffer.from(s.deliveries[0]!.signature).toString('hex')));
    expect(signatures.size).toBe(2);
  });

  it('signs the others when one group cannot be signed', async () => {
    const signer = new Countersigner(gate);
    const good = await group();
    const bad = [{ ...good[0]!, envelope: { ...good[0]!.envelope, header: new Uint8Array([0xff, 0xff]) } }];
    const [b, g] = await Promise.allSettled([signer.sign(bad), signer.sign(good)]);
    expect(b.status).toBe('rejected');
    expect(g.status).toBe('fulfilled');
  });
});
