// Builds the wire-format test vectors in proto/vectors/envelope-v1.json from fixed
// keys, randomness and notices. `pnpm vectors:gen` writes them; a test checks the
// checked-in file against a fresh build and opens it with plain libsodium.
import { writeFileSync } from 'node:fs';
import { exampleNotices } from '@liaison/fixtures';
import { hitProbe, validateNotice } from '@liaison/notice';
import {
  agencyKeysFromSecrets,
  countersignBatch,
  decodeEnvelope,
  erasureRequestNotice,
  restrictTo,
  SEALED_MARKINGS_KEY,
  seal,
  sha256,
  verifyHeader,
} from '../src/index.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const seq = (start: number, n: number) =>
  new Uint8Array(Array.from({ length: n }, (_, i) => (start + i) & 0xff));

export const VECTOR_TIME = new Date('2026-03-01T09:30:00.000Z');
const VALID_FROM = Date.parse('2026-01-01T00:00:00Z');

export async function buildVectors() {
  const sender = await agencyKeysFromSecrets(
    'at-bmi',
    { signing: seq(0x01, 32), encryption: seq(0x21, 32) },
    { notBefore: VALID_FROM },
  );
  const operational = await agencyKeysFromSecrets(
    'de-bka',
    { signing: seq(0x41, 32), encryption: seq(0x61, 32) },
    { notBefore: VALID_FROM },
  );
  const strategic = await agencyKeysFromSecrets(
    'ru-mvd',
    { signing: seq(0x81, 32), encryption: seq(0xa1, 32) },
    { notBefore: VALID_FROM },
  );
  const gate = await agencyKeysFromSecrets(
    'liaison-gate',
    { signing: seq(0xc1, 32), encryption: seq(0xe1, 32) },
    { notBefore: VALID_FROM },
  );
  const agencies = [sender, operational, strategic, gate];
  const resolve = (agency: string, kid: string) =>
    agencies
      .flatMap((k) => [k.signing.record, k.encryption.record])
      .find((r) => r.agency === agency && r.kid === kid);

  const cases = [];
  // Wire 1.2: an information request and the answer to it (provenance: a reply naming the
  // request by id and header digest; request terms, answer terms and the Europol copy).
  const all: [string, { markings: object }][] = [
    ...(Object.entries(exampleNotices(VECTOR_TIME)) as [string, { markings: object }][]),
    ...(Object.entries(conversationExamples()) as [string, { markings: object }][]),
  ];
  const headers = new Map<string, { noticeId: string; sha256: Uint8Array }>();
  for (const [name, example] of all) {
    // Wire 1.1: the person-centred kinds go to the strategic recipient only with the
    // sender's opt-in, signed in the header (the threat notice needs none).
    const notice =
      name === 'threatNotice'
        ? example
        : { ...example, markings: { ...example.markings, strategicOptIn: true } };
    // seal() draws randomness in this order: audience salt (16), then per layer
    // (strategic, operational) the layer key (32) and nonce (24), then the
    // ephemeral X25519 secret (32). The vector lists each value by name.
    const layerNames = Object.keys(validateNotice(notice, VECTOR_TIME).layers);
    const names = [
      'audience.salt',
      ...layerNames.flatMap((l) => [`${l}.key`, `${l}.nonce`]),
      'ephemeral.secret',
    ];
    const drawn: { name: string; hex: string }[] = [];
    const random = (n: number) => {
      const b = seq(0x10 * (drawn.length + 1), n);
      drawn.push({ name: names[drawn.length] ?? `random.${drawn.length}`, hex: hex(b) });
      return b;
    };
    const sealed = await seal({
      notice,
      sender,
      recipients: [
        {
          agency: 'de-bka',
          encryptionKey: operational.encryption.record,
          layers: ['strategic', 'operational'],
        },
        { agency: 'ru-mvd', encryptionKey: strategic.encryption.record, layers: ['strategic'] },
      ],
      audience: { allow: ['country:DE', 'country:RU'], deny: ['cn-mps'] },
      createdAt: VECTOR_TIME,
      noticeId: `0195503a-3c70-7000-8000-00000000000${cases.length + 1}`,
      random,
      ...(REPLIES[name]
        ? {
            provenance: {
              relation: 'reply' as const,
              noticeId: headers.get(REPLIES[name])!.noticeId,
              headerSha256: headers.get(REPLIES[name])!.sha256,
            },
          }
        : {}),
    });
    const verified = verifyHeader(sealed.bytes, resolve, { now: VECTOR_TIME.getTime() });
    headers.set(name, { noticeId: sealed.noticeId, sha256: sha256(verified.envelope.header) });
    // Both deliveries are countersigned together: one gate signature over a batch of two grants.
    const plan = [
      ['de-bka', 'operational'],
      ['ru-mvd', 'strategic'],
    ] as const;
    const restricted = plan.map(([recipient, level]) =>
      restrictTo(verified, recipient, level === 'operational' ? ['strategic', 'operational'] : ['strategic']),
    );
    const signed = countersignBatch(
      plan.map(([recipient, level], i) => ({
        envelope: restricted[i]!.envelope,
        grant: {
          recipient,
          level,
          layers: restricted[i]!.layers,
          policyRevision: 42n,
          grantedAt: VECTOR_TIME.getTime() + 250,
        },
      })),
      gate,
      VECTOR_TIME.getTime() + 250,
    );
    const deliveries = plan.map(([recipient, level], i) => ({
      recipient,
      level,
      layers: restricted[i]!.layers,
      delivery: hex(signed[i]!.bytes),
    }));
    cases.push({
      name,
      kind: sealed.notice.kind,
      noticeId: sealed.noticeId,
      createdAtMs: VECTOR_TIME.getTime(),
      notice,
      random: drawn,
      expected: {
        header: hex(verified.envelope.header),
        headerSignature: hex(verified.envelope.headerSignature),
        intakeEnvelope: hex(sealed.bytes),
        // Each layer's plaintext as sealed: its fields and, in every layer, the sealed markings.
        layers: Object.fromEntries(
          Object.entries(sealed.notice.layers).map(([l, fields]) => {
            const m = sealed.notice.markings;
            const sealedMarkings = {
              ...(m.caseReference ? { caseReference: m.caseReference } : {}),
              ...(m.handlingRestriction ? { handlingRestriction: m.handlingRestriction } : {}),
            };
            return [
              l,
              Object.keys(sealedMarkings).length
                ? { ...fields, [SEALED_MARKINGS_KEY]: sealedMarkings }
                : fields,
            ];
          }),
        ),
        deliveries,
      },
    });
  }
  // Wire 1.2: an erasure request for the first case's notice — a signed header naming it
  // (notice id, header digest, reason) with no layers and no wraps.
  const first = cases[0]!;
  const erasure = await seal({
    notice: erasureRequestNotice('border-alert', ['document-fraud', 'migrant-smuggling']),
    sender,
    recipients: [],
    audience: { recipients: ['de-bka', 'ru-mvd'] },
    createdAt: new Date(VECTOR_TIME.getTime() + 60_000),
    noticeId: '0195503a-3c70-7000-8000-0000000000e1',
    random: (n: number) => seq(0xe0, n),
    amendment: {
      action: 'erasure-request',
      noticeId: first.noticeId,
      headerSha256: hex(sha256(Buffer.from(first.expected.header, 'hex'))),
      reason: 'wrongly-identified',
    },
  });
  const amendments = [
    {
      name: 'erasureRequest',
      amends: first.noticeId,
      noticeId: erasure.noticeId,
      expected: {
        header: hex(decodeEnvelope(erasure.bytes).header),
        intakeEnvelope: hex(erasure.bytes),
      },
    },
  ];
  const keyInfo = (k: (typeof agencies)[number]) => ({
    agency: k.agency,
    signing: {
      secret: hex(k.signing.privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(16)),
      publicJwk: k.signing.record.jwk,
    },
    encryption: {
      secret: hex(k.encryption.privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(16)),
      publicJwk: k.encryption.record.jwk,
    },
  });
  return {
    description:
      'Liaison wire format v1 test vectors. See docs/wire-format.md. Secrets are Ed25519 seeds / X25519 scalars (hex); ' +
      'public keys are JWKs with RFC 7638 thumbprints as kid. Layer plaintext = UTF-8 JSON of `expected.layers[name]`.',
    keys: agencies.map(keyInfo),
    cases,
    amendments,
  };
}

/** Which vector case replies to which (its provenance names that case's header). */
const REPLIES: Record<string, string> = {
  answer: 'informationRequest',
  hitAnswer: 'hitQuery',
  hitFollowUp: 'hitAnswer',
};

/** The conversation kinds' vector notices (wire 1.2; the two-step kinds and the follow-up, wire 1.3). */
function conversationExamples(): Record<
  'informationRequest' | 'answer' | 'hitQuery' | 'hitAnswer' | 'hitFollowUp',
  unknown
> {
  const markings = {
    priority: 'urgent',
    handlingCode: 'H1',
    evaluation: { source: 'A', information: '2' },
    crimeAreas: ['drug-trafficking'],
    legalBasis: 'directive-2023-977',
    caseReference: 'DE-BKA-2026-7731',
  };
  return {
    informationRequest: {
      kind: 'information-request',
      markings,
      body: {
        purpose: 'Identify the keeper of a vehicle used to move a cocaine consignment',
        offences: ['drug-trafficking'],
        directlyAccessible: true,
        requestedData: ['vehicle-registration', 'identity'],
        legalBasis: 'Directive (EU) 2023/977 Art. 4',
        europolCopy: { copied: true },
        subject: { vehicleRegistration: 'W 12345 X' },
      },
    },
    answer: {
      kind: 'answer',
      markings: { ...markings, inReplyTo: '0195503a-3c70-7000-8000-000000000004' },
      body: {
        outcome: 'information',
        europolCopy: { copied: true },
        summary: 'The vehicle is registered to a private person since 2024.',
        information: { persons: [{ surname: 'Huber', givenNames: 'Markus', dateOfBirth: '1981-03-09' }] },
      },
    },
    // Wire 1.3 (docs/decisions/0015): the probe under a fixed salt (HMAC-SHA256, hit-probe vectors).
    hitQuery: {
      kind: 'hit-query',
      markings,
      body: {
        identifierType: 'vehicle',
        offences: ['drug-trafficking'],
        purpose: 'A vehicle seen at a cocaine handover near the border',
        probe: hitProbe(
          { type: 'vehicle', registrationCountry: 'AT', plate: 'W 12345 X' },
          hex(seq(0x51, 32)),
        ),
      },
    },
    hitAnswer: {
      kind: 'hit-answer',
      markings: { ...markings, inReplyTo: '0195503a-3c70-7000-8000-000000000006' },
      body: { result: 'hit', reference: 'AT-HIT-2026-0042' },
    },
    hitFollowUp: {
      kind: 'information-request',
      markings: { ...markings, inReplyTo: '0195503a-3c70-7000-8000-000000000007' },
      body: {
        purpose: 'Identify the keeper of the vehicle the hit refers to',
        offences: ['drug-trafficking'],
        directlyAccessible: true,
        requestedData: ['vehicle-registration', 'identity'],
        legalBasis: 'Directive (EU) 2023/977 Art. 4',
        europolCopy: { copied: false, reasonNotCopied: 'would-harm-investigation' },
        matchConfirmation: { confirmedBy: 'bka-officer-0815', confirmedAt: '2026-03-01T09:30:00.000Z' },
        subject: { vehicleRegistration: 'W 12345 X' },
      },
    },
  };
}

if (process.argv[1]?.endsWith('wire-vectors.ts') && process.argv.includes('--write')) {
  const out = new URL('../../../proto/vectors/envelope-v1.json', import.meta.url);
  writeFileSync(out, `${JSON.stringify(await buildVectors(), null, 2)}\n`);
}
