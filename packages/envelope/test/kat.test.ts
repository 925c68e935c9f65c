// Known-answer tests of the primitives the envelope is built from, named after
// the section of the document that publishes each vector.
import { describe, expect, it } from 'vitest';
import {
  chachaSeal,
  ed25519PrivateKey,
  ed25519PublicKey,
  ed25519Sign,
  ed25519Verify,
  rawPublic,
  sodiumReady,
  x25519,
  x25519PrivateKey,
  x25519PublicKey,
  xchachaOpen,
  xchachaSeal,
} from '../src/primitives.js';

const hex = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s/g, ''), 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const SUNSCREEN = new TextEncoder().encode(
  "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
);

describe('RFC 8032 §7.1 Ed25519', () => {
  const vectors = [
    {
      name: 'TEST 1',
      secret: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
      public: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
      message: '',
      signature:
        'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    },
    {
      name: 'TEST 2',
      secret: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
      public: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
      message: '72',
      signature:
        '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
    },
    {
      name: 'TEST 3',
      secret: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
      public: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
      message: 'af82',
      signature:
        '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
    },
  ];

  it.each(vectors)('$name: public key, signature, verification', (v) => {
    const priv = ed25519PrivateKey(hex(v.secret));
    expect(toHex(rawPublic(priv))).toBe(v.public);
    expect(toHex(ed25519Sign(priv, hex(v.message)))).toBe(v.signature);
    const pub = ed25519PublicKey(hex(v.public));
    expect(ed25519Verify(pub, hex(v.message), hex(v.signature))).toBe(true);
    const bad = hex(v.signature);
    bad[0] = (bad[0] ?? 0) ^ 1;
    expect(ed25519Verify(pub, hex(v.message), bad)).toBe(false);
  });
});

describe('RFC 7748 §6.1 X25519', () => {
  it('derives the same shared secret on both sides', () => {
    const alice = x25519PrivateKey(hex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a'));
    const bob = x25519PrivateKey(hex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb'));
    expect(toHex(rawPublic(alice))).toBe('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
    expect(toHex(rawPublic(bob))).toBe('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
    const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';
    expect(toHex(x25519(alice, x25519PublicKey(rawPublic(bob))))).toBe(shared);
    expect(toHex(x25519(bob, x25519PublicKey(rawPublic(alice))))).toBe(shared);
  });
});

describe('RFC 8439 §2.8.2 ChaCha20-Poly1305 AEAD', () => {
  it('encrypts the sunscreen vector', () => {
    const out = chachaSeal(
      hex('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f'),
      hex('070000004041424344454647'),
      SUNSCREEN,
      hex('50515253c0c1c2c3c4c5c6c7'),
    );
    expect(toHex(out)).toBe(
      'd31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b' +
        '1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc' +
        '3ff4def08e4b7a9de576d26586cec64b6116' +
        '1ae10b594f09e26a7e902ecbd0600691',
    );
  });
});

describe('draft-irtf-cfrg-xchacha-03 §A.3.1 XChaCha20-Poly1305-IETF (libsodium)', () => {
  it('encrypts and decrypts the sunscreen vector', async () => {
    await sodiumReady;
    const key = hex('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f');
    const nonce = hex('404142434445464748494a4b4c4d4e4f5051525354555657');
    const aad = hex('50515253c0c1c2c3c4c5c6c7');
    const expected =
      'bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39' +
      'ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9' +
      '21f9664c97637da9768812f615c68b13b52e' +
      'c0875924c1c7987947deafd8780acf49';
    const out = xchachaSeal(key, nonce, SUNSCREEN, aad);
    expect(toHex(out)).toBe(expected);
    expect(xchachaOpen(key, nonce, out, aad)).toEqual(SUNSCREEN);
    out[3] = (out[3] ?? 0) ^ 0x40;
    expect(() => xchachaOpen(key, nonce, out, aad)).toThrow();
  });
});
