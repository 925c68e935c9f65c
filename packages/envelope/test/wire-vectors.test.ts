// The wire-format vectors, opened the way docs/wire-format.md tells an
// implementer in another language to: plain libsodium primitives, a protobuf
// decoder, SHA-256 and HMAC-SHA256 (for HKDF, RFC 5869) — no Liaison code.
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  DeliveryGrantSchema,
  EnvelopeSchema,
  fromBinary,
  GrantBatchSchema,
  NoticeHeaderSchema,
} from '@liaison/wire';
import sodium from 'libsodium-wrappers';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildVectors } from '../scripts/wire-vectors.js';

const file = new URL('../../../proto/vectors/envelope-v1.json', import.meta.url);
interface VectorCase {
  name: string;
  expected: {
    header: string;
    layers: Record<string, unknown>;
    deliveries: { recipient: string; layers: string[]; delivery: string }[];
  };
}
interface AmendmentVector {
  name: string;
  amends: string;
  noticeId: string;
  expected: { header: string; intakeEnvelope: string };
}
const vectors = JSON.parse(readFileSync(file, 'utf8')) as {
  keys: unknown[];
  cases: VectorCase[];
  amendments: AmendmentVector[];
};
const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
const b64u = (s: string) => new Uint8Array(Buffer.from(s, 'base64url'));
const utf8 = (s: string) => new TextEncoder().encode(s);
const sha256 = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());
const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

/** RFC 9162 §2.1.3.2: the root a leaf and its inclusion path lead to (undefined if the path is malformed). */
function rootFromPath(
  index: number,
  size: number,
  leaf: Uint8Array,
  path: Uint8Array[],
): Uint8Array | undefined {
  const node = (l: Uint8Array, r: Uint8Array) => sha256(concat(new Uint8Array([1]), l, r));
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return undefined;
    if (fn % 2 === 1 || fn === sn) {
      r = node(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = node(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : undefined;
}

/** RFC 5869 HKDF-SHA256, from HMAC alone. */
function hkdf(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  const prk = createHmac('sha256', salt).update(ikm).digest();
  let t = Buffer.alloc(0);
  let okm = Buffer.alloc(0);
  for (let i = 1; okm.length < length; i++) {
    t = createHmac('sha256', prk)
      .update(Buffer.concat([t, info, Buffer.from([i])]))
      .digest();
    okm = Buffer.concat([okm, t]);
  }
  return new Uint8Array(okm.subarray(0, length));
}

interface VectorKey {
  agency: string;
  signing: { secret: string; publicJwk: { x: string; kid: string } };
  encryption: { secret: string; publicJwk: { x: string; kid: string } };
}
function key(agency: string): VectorKey {
  return (vectors.keys as VectorKey[]).find((k) => k.agency === agency)!;
}

beforeAll(async () => {
  await sodium.ready;
});

describe('proto/vectors/envelope-v1.json', () => {
  it('is what the implementation produces today (run pnpm vectors:gen after a deliberate change)', async () => {
    expect(JSON.parse(JSON.stringify(await buildVectors()))).toEqual(vectors);
  });

  it.each(vectors.cases)('$name opens with plain libsodium for every recipient', (c) => {
    const sender = key('at-bmi');
    const gate = key('liaison-gate');
    for (const d of c.expected.deliveries) {
      const env = fromBinary(EnvelopeSchema, hex(d.delivery));
      // 1. sender signature over the exact header bytes
      expect(Buffer.from(env.header).toString('hex')).toBe(c.expected.header);
      expect(
        sodium.crypto_sign_verify_detached(env.headerSignature, env.header, b64u(sender.signing.publicJwk.x)),
      ).toBe(true);
      const header = fromBinary(NoticeHeaderSchema, env.header);
      expect(header.domain).toBe('liaison.v1.NoticeHeader');
      expect(header.senderKeyId).toBe(sender.signing.publicJwk.kid);
      // 2. gate countersignature over the exact grant bytes, bound to the header digest
      const cs = env.countersignature!;
      // The gate signed the batch; the grant is a leaf of the batch's Merkle tree.
      expect(sodium.crypto_sign_verify_detached(cs.signature, cs.batch, b64u(gate.signing.publicJwk.x))).toBe(
        true,
      );
      const batch = fromBinary(GrantBatchSchema, cs.batch);
      expect(batch.domain).toBe('liaison.v1.GrantBatch');
      expect(Number(batch.size)).toBe(c.expected.deliveries.length);
      const leaf = sha256(concat(new Uint8Array([0]), cs.grant));
      expect(Buffer.from(rootFromPath(Number(cs.index), Number(batch.size), leaf, cs.path) ?? [])).toEqual(
        Buffer.from(batch.root),
      );
      const grant = fromBinary(DeliveryGrantSchema, cs.grant);
      expect(grant.domain).toBe('liaison.v1.DeliveryGrant');
      expect(Buffer.from(grant.headerSha256)).toEqual(Buffer.from(sha256(env.header)));
      expect(grant.recipient).toBe(d.recipient);
      expect(grant.grantedLayers).toEqual(d.layers);
      // 3. per layer: digest, unwrap, decrypt
      const me = key(d.recipient);
      const myPublic = b64u(me.encryption.publicJwk.x);
      const eph = header.wrapEphemeralPublicKey;
      const shared = sodium.crypto_scalarmult(hex(me.encryption.secret), eph);
      for (const layer of env.layers) {
        const desc = header.layers.find((l) => l.name === layer.name)!;
        expect(Buffer.from(sha256(layer.ciphertext))).toEqual(Buffer.from(desc.ciphertextSha256));
        const wrap = env.wraps.find((w) => w.layer === layer.name)!;
        expect(wrap.recipientKeyId).toBe(me.encryption.publicJwk.kid);
        const info = utf8(`liaison.v1.wrap\0${header.noticeId}\0${wrap.recipientKeyId}\0${layer.name}`);
        const wrappingKey = hkdf(shared, concat(eph, myPublic), info, 32);
        const layerKey = sodium.crypto_aead_chacha20poly1305_ietf_decrypt(
          null,
          wrap.wrappedKey,
          new Uint8Array(0),
          new Uint8Array(12),
          wrappingKey,
        );
        const aad = utf8(`liaison.v1.layer\0${header.noticeId}\0${layer.name}`);
        const plaintext = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
          null,
          layer.ciphertext,
          aad,
          desc.nonce,
          layerKey,
        );
        expect(JSON.parse(new TextDecoder().decode(plaintext))).toEqual(c.expected.layers[layer.name]);
      }
      expect(env.layers.map((l) => l.name)).toEqual(d.layers);
    }
  });

  it.each(vectors.amendments)(
    'wire 1.2 $name: a signed header naming the notice, no layers, no wraps',
    (a) => {
      const env = fromBinary(EnvelopeSchema, hex(a.expected.intakeEnvelope));
      expect(Buffer.from(env.header).toString('hex')).toBe(a.expected.header);
      expect(
        sodium.crypto_sign_verify_detached(
          env.headerSignature,
          env.header,
          b64u(key('at-bmi').signing.publicJwk.x),
        ),
      ).toBe(true);
      expect(env.layers).toEqual([]);
      expect(env.wraps).toEqual([]);
      const h = fromBinary(NoticeHeaderSchema, env.header);
      const target = vectors.cases.find((c) => (c as unknown as { noticeId: string }).noticeId === a.amends)!;
      expect(h.amendment?.action).toBe(2); // AMENDMENT_ACTION_ERASURE_REQUEST
      expect(h.amendment?.noticeId).toBe(a.amends);
      expect(Buffer.from(h.amendment!.headerSha256).toString('hex')).toBe(
        Buffer.from(sha256(hex(target.expected.header))).toString('hex'),
      );
      expect(h.amendment?.reason).toBe('wrongly-identified');
    },
  );
});
