// Seal and open throughput at 1, 5 and 50 recipients, next to the cost of the
// primitive operations they need, measured in the same run.

import {
  createCipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  getRandomValues,
  hkdfSync,
  sign,
  verify,
} from 'node:crypto';
import {
  type AgencyKeys,
  countersign,
  generateAgencyKeys,
  type KeyResolver,
  open,
  restrictTo,
  seal,
  verifyHeader,
} from '@liaison/envelope';
import { exampleNotices } from '@liaison/fixtures';
import { validateNotice } from '@liaison/notice';
import sodium from 'libsodium-wrappers';
import { compare, measure, verdict } from './harness.js';

export async function envelopeBench(): Promise<void> {
  await sodium.ready;
  const NOW = new Date();
  const notice = validateNotice(exampleNotices(NOW).borderAlert, NOW);
  const sender = await generateAgencyKeys('at-bmi', { notBefore: 0 });
  const gate = await generateAgencyKeys('liaison-gate', { notBefore: 0 });
  const recipients: AgencyKeys[] = [];
  for (let i = 0; i < 50; i++) recipients.push(await generateAgencyKeys(`r-${i}`, { notBefore: 0 }));
  const all = [sender, gate, ...recipients];
  // A directory lookup, as the client's is (a map by agency and key id).
  const directory = new Map(
    all.flatMap((k) => [k.signing.record, k.encryption.record]).map((r) => [`${r.agency}/${r.kid}`, r]),
  );
  const resolve = (a: string, kid: string) => directory.get(`${a}/${kid}`);

  // Inputs of the primitives, sized like the real ones.
  const strategicPt = new TextEncoder().encode(JSON.stringify(notice.layers.strategic));
  const operationalPt = new TextEncoder().encode(JSON.stringify(notice.layers.operational));
  const key32 = new Uint8Array(32).fill(7);
  const nonce24 = new Uint8Array(24).fill(9);
  const headerLike = new Uint8Array(450).fill(1);
  // Keys for the baseline come in the same form as the real ones: public keys
  // imported from JWK (the directory), private keys from PKCS#8 (the key file).
  // OpenSSL is ~20% slower with imported keys than with freshly generated ones.
  // The encodings are made by the key generation itself: exporting a generated
  // KeyObject afterwards can deadlock Node 20 (see x25519Ephemeral in the envelope).
  const generated = (type: 'ed25519' | 'x25519') => {
    const k = generateKeyPairSync(
      type as 'ed25519',
      {
        publicKeyEncoding: { format: 'jwk' },
        privateKeyEncoding: { format: 'der', type: 'pkcs8' },
      } as never,
    ) as unknown as { privateKey: Buffer; publicKey: { x: string } };
    return {
      privateKey: createPrivateKey({ key: k.privateKey, format: 'der', type: 'pkcs8' }),
      publicKey: createPublicKey({
        key: { kty: 'OKP', crv: type === 'ed25519' ? 'Ed25519' : 'X25519', x: k.publicKey.x },
        format: 'jwk',
      }),
      x: k.publicKey.x,
    };
  };
  const { privateKey: edPriv, publicKey: edPub } = generated('ed25519');
  const sig = sign(null, headerLike, edPriv);
  const grantLike = new Uint8Array(160).fill(2);
  const grantSig = sign(null, grantLike, edPriv);
  const recipientX = generated('x25519');
  const ephX = generated('x25519').x;
  const aead = (pt: Uint8Array) =>
    sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(pt, nonce24, null, nonce24, key32);
  const ctS = aead(strategicPt);
  const ctO = aead(operationalPt);
  const wrap = () => {
    const c = createCipheriv('chacha20-poly1305', key32, new Uint8Array(12), { authTagLength: 16 });
    c.update(key32);
    c.final();
    return c.getAuthTag();
  };

  // Warm-up: the first row must not pay for the JIT compiling seal, open and the
  // primitives (with two cores, the compiler threads compete with the measurement).
  await warmUp(NOW, notice, sender, gate, recipients[0]!, resolve);

  const rows = [];
  for (const n of [1, 5, 50]) {
    const rcpts = recipients.slice(0, n).map((r) => ({
      agency: r.agency,
      encryptionKey: r.encryption.record,
      layers: ['strategic', 'operational'] as const,
    }));
    const sealPrims = () => {
      getRandomValues(new Uint8Array(16 + 2 * (32 + 24))); // salt, layer keys and nonces
      aead(strategicPt);
      aead(operationalPt);
      createHash('sha256').update(ctS).digest();
      createHash('sha256').update(ctO).digest();
      createHash('sha256').update(headerLike.subarray(0, 40)).digest(); // audience digest
      // As seal makes its ephemeral key: the public key encoded by the generation.
      const eph = generateKeyPairSync('x25519', { publicKeyEncoding: { format: 'jwk' } });
      for (let i = 0; i < n; i++) {
        diffieHellman({ privateKey: eph.privateKey, publicKey: recipientX.publicKey });
        for (let l = 0; l < 2; l++) {
          hkdfSync('sha256', key32, headerLike.subarray(0, 64), headerLike.subarray(0, 80), 32);
          wrap();
        }
      }
      sign(null, headerLike, edPriv);
    };
    const sealCmp = await compare(
      () => seal({ notice, sender, recipients: rcpts, createdAt: NOW }),
      sealPrims,
    );
    const sealed = await seal({ notice, sender, recipients: rcpts, createdAt: NOW });
    const delivery = countersign(
      restrictTo(verifyHeader(sealed.bytes, resolve), recipients[0]!.agency, ['strategic', 'operational'])
        .envelope,
      {
        recipient: recipients[0]!.agency,
        level: 'operational',
        layers: ['strategic', 'operational'],
        policyRevision: 1n,
        grantedAt: Date.now(),
      },
      gate,
    );
    const openPrims = () => {
      verify(null, headerLike, edPub, sig);
      verify(null, grantLike, edPub, grantSig);
      createHash('sha256').update(ctS).digest();
      createHash('sha256').update(ctO).digest();
      createHash('sha256').update(headerLike).digest(); // header digest the grant binds
      createHash('sha256').update(grantLike).digest(); // the grant's leaf in the signed batch
      // X25519 with the sender's ephemeral public key, which arrives as 32 raw bytes.
      const eph = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: ephX }, format: 'jwk' });
      diffieHellman({ privateKey: recipientX.privateKey, publicKey: eph });
      for (let l = 0; l < 2; l++) {
        hkdfSync('sha256', key32, headerLike.subarray(0, 64), headerLike.subarray(0, 80), 32);
        wrap();
      }
      sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ctS, nonce24, nonce24, key32);
      sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ctO, nonce24, nonce24, key32);
    };
    const opener = { recipient: recipients[0]!, resolveKey: resolve, resolveGateKey: resolve };
    const openCmp = await compare(() => open(delivery, opener), openPrims);
    rows.push({
      recipients: n,
      'seal/s': Math.round(sealCmp.a.opsPerSec),
      'seal primitives/s': Math.round(sealCmp.b.opsPerSec),
      'seal cost ratio': verdict(sealCmp.ratio, 1.25, true),
      'open/s': Math.round(openCmp.a.opsPerSec),
      'open primitives/s': Math.round(openCmp.b.opsPerSec),
      'open cost ratio': verdict(openCmp.ratio, 1.25, true),
    });
  }
  const validate = await measure('validateNotice', () =>
    validateNotice(exampleNotices(NOW).borderAlert, NOW),
  );
  console.log('\n## Envelope: seal and open vs the primitives they need (border alert, 2 layers)');
  console.table(rows);
  console.log(
    `(notice validation + screening, done once before seal: ${Math.round(validate.opsPerSec)}/s, not in the ratio)`,
  );
}

/** Runs seal, restrict, countersign and open for about a second before anything is measured. */
async function warmUp(
  now: Date,
  notice: ReturnType<typeof validateNotice>,
  sender: AgencyKeys,
  gate: AgencyKeys,
  recipient: AgencyKeys,
  resolve: KeyResolver,
): Promise<void> {
  const until = performance.now() + 1000;
  const rcpt = [
    {
      agency: recipient.agency,
      encryptionKey: recipient.encryption.record,
      layers: ['strategic', 'operational'] as const,
    },
  ];
  while (performance.now() < until) {
    const sealed = await seal({
      notice,
      sender,
      recipients: rcpt.map((r) => ({ ...r, layers: [...r.layers] })),
      createdAt: now,
    });
    const delivery = countersign(
      restrictTo(verifyHeader(sealed.bytes, resolve), recipient.agency, ['strategic', 'operational'])
        .envelope,
      {
        recipient: recipient.agency,
        level: 'operational',
        layers: ['strategic', 'operational'],
        policyRevision: 1n,
        grantedAt: Date.now(),
      },
      gate,
    );
    await open(delivery, { recipient, resolveKey: resolve, resolveGateKey: resolve });
  }
}
