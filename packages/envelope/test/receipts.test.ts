import { CompactSign, compactVerify, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { type ReadReceipt, signReceipt, verifyReceipt } from '../src/index.js';
import { makeWorld, NOW } from './world.js';

const world = await makeWorld(['de-bka']);
const read: ReadReceipt = {
  type: 'read',
  noticeId: '01936f6e-0000-7000-8000-000000000001',
  sender: 'at-bmi',
  recipient: 'de-bka',
  headerSha256: 'ab'.repeat(32),
  readAt: NOW.getTime(),
};

describe('receipts (compact JWS, EdDSA)', () => {
  it('are standard JWS that jose verifies with the signer’s public key', async () => {
    const signer = world.keys['de-bka']!;
    const jws = await signReceipt(read, signer);
    const { payload, protectedHeader } = await compactVerify(jws, signer.signing.publicKey, {
      algorithms: ['EdDSA'],
    });
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual(read);
    expect(protectedHeader).toEqual({
      alg: 'EdDSA',
      kid: signer.signing.record.kid,
      typ: 'liaison-receipt+jws',
      iss: 'de-bka',
    });
    expect(await verifyReceipt(jws, world.resolve)).toEqual({ receipt: read, signer: 'de-bka' });
  });

  it('accepts a receipt jose signed, and refuses a changed payload, a swapped key and a wrong signer', async () => {
    const signer = world.keys['de-bka']!;
    const byJose = await new CompactSign(new TextEncoder().encode(JSON.stringify(read)))
      .setProtectedHeader({
        alg: 'EdDSA',
        kid: signer.signing.record.kid,
        typ: 'liaison-receipt+jws',
        iss: 'de-bka',
      })
      .sign(signer.signing.privateKey);
    expect((await verifyReceipt(byJose, world.resolve)).signer).toBe('de-bka');

    const jws = await signReceipt(read, signer);
    const [h, , s] = jws.split('.');
    const changed = Buffer.from(JSON.stringify({ ...read, readAt: read.readAt + 1 })).toString('base64url');
    await expect(verifyReceipt(`${h}.${changed}.${s}`, world.resolve)).rejects.toMatchObject({
      code: 'BAD_SIGNATURE',
    });
    // Signed by the gate but claiming to be de-bka's: the kid does not resolve for de-bka.
    const forged = await signReceipt(read, { ...world.gate, agency: 'de-bka' });
    expect(decodeProtectedHeader(forged).iss).toBe('de-bka');
    await expect(verifyReceipt(forged, world.resolve)).rejects.toMatchObject({ code: 'UNKNOWN_KEY' });
    // A read receipt signed (validly) by someone other than the recipient it names.
    const wrongSigner = await signReceipt(read, world.gate);
    await expect(verifyReceipt(wrongSigner, world.resolve)).rejects.toMatchObject({ code: 'BAD_SIGNATURE' });
  });
});

describe('read receipts naming a reader (an access-log entry, not a person)', () => {
  const reader = { log: 'liaison-station/de-bka', seq: 7, leafHash: 'cd'.repeat(32) };

  it('verify with the reader reference, which comes back as signed', async () => {
    const jws = await signReceipt({ ...read, reader }, world.keys['de-bka']!);
    expect((await verifyReceipt(jws, world.resolve)).receipt).toEqual({ ...read, reader });
  });

  it('refuse a reader reference that is not one (extra members, a bad hash, a negative position)', async () => {
    for (const bad of [
      { ...reader, officer: 'anna.schmidt' },
      { ...reader, leafHash: 'xyz' },
      { ...reader, seq: -1 },
    ]) {
      const jws = await signReceipt({ ...read, reader: bad } as ReadReceipt, world.keys['de-bka']!);
      await expect(verifyReceipt(jws, world.resolve)).rejects.toMatchObject({ code: 'MALFORMED' });
    }
  });
});
