import { conversationTerms, KINDS, type LayerName, type ValidNotice, validateNotice } from '@liaison/notice';
import {
  AmendmentAction,
  AudienceSchema,
  create,
  EncryptedLayerSchema,
  EnvelopeSchema,
  KeyWrapSchema,
  LayerDescriptorSchema,
  NoticeAmendmentSchema,
  type NoticeHeader,
  NoticeHeaderSchema,
  toBinary,
} from '@liaison/wire';
import { z } from 'zod';
import { conversationToHeader, type ProvenanceRequest } from './conversation-codec.js';
import { EnvelopeError } from './errors.js';
import { sharedSecret, wrapKey, wrappingKey } from './key-wrap.js';
import { type AgencyKeys, type PublicKeyRecord, publicKeyObject, publicKeyRaw } from './keys.js';
import { encryptLayer } from './layer-crypto.js';
import { markingsToHeader, SEALED_MARKINGS_KEY, sealedMarkingsOf } from './markings-codec.js';
import { ed25519Sign, randomBytes, sha256, sodiumReady, x25519Ephemeral } from './primitives.js';
import { uuidv7 } from './uuid7.js';

export const HEADER_DOMAIN = 'liaison.v1.NoticeHeader';

export interface SealRecipient {
  agency: string;
  /** The recipient's X25519 key (from the gate's signed plan or the registry). */
  encryptionKey: PublicKeyRecord;
  /** Layers to wrap for it; layers the notice lacks are skipped. */
  layers: readonly LayerName[];
}

const token = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/:-]{0,79}$/, 'a reference: letters, digits, . _ / : -');

/**
 * A PNR transfer justification for one third-country recipient (Directive 2016/681
 * Art. 11): tokens and times only, signed through the audience digest, recorded in the
 * audit entry and never delivered.
 */
export const PnrTransferSchema = z
  .object({
    recipient: z.string().min(1).max(40),
    ground: z.enum(['terrorism', 'serious-crime']),
    /** The PIU that collected the data, when it is not the sender (its consent is then required). */
    originPiu: z.string().min(1).max(40).optional(),
    consentReference: token.optional(),
    /** When the sending PIU's data protection officer was informed (ms). */
    dpoNotifiedAt: z.number().int().positive(),
    dpoReference: token,
  })
  .strict();
export type PnrTransferRequest = z.infer<typeof PnrTransferSchema>;

/** Whom the sender asks for: named recipients, and allow / deny selectors (docs/policy.md). */
export const AudienceRequestSchema = z.object({
  recipients: z.array(z.string()).optional(),
  allow: z.array(z.string()).optional(),
  deny: z.array(z.string()).optional(),
  pnrTransfers: z.array(PnrTransferSchema).max(50).optional(),
});

export interface AudienceRequest {
  recipients?: readonly string[];
  allow?: readonly string[];
  deny?: readonly string[];
  pnrTransfers?: readonly PnrTransferRequest[];
}

export interface SealOptions {
  /** The notice as written (validated here) or already validated. */
  notice: unknown;
  sender: AgencyKeys;
  recipients: readonly SealRecipient[];
  audience?: AudienceRequest;
  createdAt?: Date;
  noticeId?: string;
  /** Wire 1.2: the notice this one answers or forwards (signed into the header). */
  provenance?: ProvenanceRequest;
  /** Randomness source (layer keys, nonces, salt, ephemeral key). Fixed only in test vectors. */
  random?: (n: number) => Uint8Array;
  /** Wire 1.2: this notice rectifies, or asks for the erasure of, an earlier notice of the sender. */
  amendment?: AmendmentRequest;
}

/** What a rectification or erasure request amends (signed in the header). */
export interface AmendmentRequest {
  action: 'rectification' | 'erasure-request';
  noticeId: string;
  /** SHA-256 of the amended notice's signed header (hex, from its submission receipt). */
  headerSha256: string;
  reason: AmendmentReason;
}

/** Why a notice is rectified or its erasure requested (LED Art. 16): tokens, never free text. */
export const AMENDMENT_REASONS = [
  'inaccurate',
  'incomplete',
  'wrongly-identified',
  'unlawfully-processed',
  'no-longer-necessary',
  'court-order',
] as const;
export type AmendmentReason = (typeof AMENDMENT_REASONS)[number];

function amendmentOf(a: AmendmentRequest) {
  if (
    !UUID.test(a.noticeId) ||
    !/^[0-9a-f]{64}$/.test(a.headerSha256) ||
    !AMENDMENT_REASONS.includes(a.reason)
  )
    throw new EnvelopeError('MALFORMED', 'an amendment names a notice id, its header digest and a reason');
  return create(NoticeAmendmentSchema, {
    action: a.action === 'rectification' ? AmendmentAction.RECTIFICATION : AmendmentAction.ERASURE_REQUEST,
    noticeId: a.noticeId,
    headerSha256: new Uint8Array(Buffer.from(a.headerSha256, 'hex')),
    reason: a.reason,
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface Sealed {
  noticeId: string;
  bytes: Uint8Array;
  header: NoticeHeader;
  notice: ValidNotice;
}

function isValidNotice(x: unknown): x is ValidNotice {
  return typeof x === 'object' && x !== null && 'layers' in x && 'schemaVersion' in x;
}

/**
 * Seals a notice for its recipients: validates it, encrypts each layer under a
 * fresh key, wraps the layer keys per recipient and signs the header.
 *
 * @example
 * const sealed = await seal({ notice, sender: keys, recipients: plan.recipients, audience: { deny: ['ru-mvd'] } });
 * await js.publish(`liaison.intake.${keys.agency}`, sealed.bytes, { msgID: sealed.noticeId });
 */
export async function seal(options: SealOptions): Promise<Sealed> {
  await sodiumReady;
  const random = options.random ?? randomBytes;
  const createdAt = options.createdAt ?? new Date();
  const notice = isValidNotice(options.notice) ? options.notice : validateNotice(options.notice, createdAt);
  if (
    options.amendment?.action === 'erasure-request' &&
    (notice.layers.strategic || notice.layers.operational)
  )
    throw new EnvelopeError('MALFORMED', 'an erasure request carries no content');
  const noticeId = options.noticeId ?? uuidv7(createdAt.getTime(), random);
  const signing = options.sender.signing;
  if (signing.record.use !== 'sig') throw new EnvelopeError('BAD_KEY', 'the sender key is not a signing key');

  const audience = create(AudienceSchema, {
    salt: random(16),
    recipients: [...(options.audience?.recipients ?? [])],
    allow: [...(options.audience?.allow ?? [])],
    deny: [...(options.audience?.deny ?? [])],
    pnrTransfers: (options.audience?.pnrTransfers ?? []).map((t) => ({
      recipient: t.recipient,
      ground: t.ground,
      originPiu: t.originPiu ?? '',
      consentReference: t.consentReference ?? '',
      dpoNotifiedAtMs: BigInt(t.dpoNotifiedAt),
      dpoReference: t.dpoReference,
    })),
  });
  const audienceBytes = toBinary(AudienceSchema, audience);

  const layerNames = (['strategic', 'operational'] as const).filter((l) => notice.layers[l] !== undefined);
  // Free-text markings go sealed into every layer, so every recipient can read them and
  // the cleartext header (kept on FEED and for ever on AUDIT) never holds them.
  const sealedMarkings = sealedMarkingsOf(notice.markings);
  const layerKeys = new Map<LayerName, Uint8Array>();
  const descriptors = [];
  const layers = [];
  for (const name of layerNames) {
    const key = random(32);
    const nonce = random(24);
    const content = sealedMarkings
      ? { ...notice.layers[name], [SEALED_MARKINGS_KEY]: sealedMarkings }
      : notice.layers[name];
    const ciphertext = encryptLayer(key, nonce, noticeId, name, content);
    layerKeys.set(name, key);
    descriptors.push(
      create(LayerDescriptorSchema, {
        name,
        nonce,
        ciphertextSha256: sha256(ciphertext),
        ciphertextLength: ciphertext.length,
      }),
    );
    layers.push(create(EncryptedLayerSchema, { name, ciphertext }));
  }

  const { privateKey: ephemeral, publicRaw: ephemeralPublic } = x25519Ephemeral(options.random);
  const wraps = [];
  for (const r of options.recipients) {
    if (r.encryptionKey.use !== 'enc' || r.encryptionKey.agency !== r.agency) {
      throw new EnvelopeError('BAD_KEY', `the key given for ${r.agency} is not its encryption key`);
    }
    const wanted = r.layers.filter((l) => layerKeys.has(l));
    if (wanted.length === 0) continue;
    const recipientPublic = publicKeyRaw(r.encryptionKey);
    const shared = sharedSecret(ephemeral, publicKeyObject(r.encryptionKey));
    for (const layer of wanted) {
      const ctx = { noticeId, recipientKeyId: r.encryptionKey.kid, layer };
      const wrapped = wrapKey(
        wrappingKey(shared, ephemeralPublic, recipientPublic, ctx),
        layerKeys.get(layer)!,
      );
      wraps.push(
        create(KeyWrapSchema, {
          recipient: r.agency,
          recipientKeyId: r.encryptionKey.kid,
          layer,
          wrappedKey: wrapped,
        }),
      );
    }
  }

  const header = create(NoticeHeaderSchema, {
    domain: HEADER_DOMAIN,
    noticeId,
    sender: options.sender.agency,
    senderKeyId: signing.record.kid,
    kind: notice.kind,
    schemaVersion: notice.schemaVersion,
    createdAtMs: BigInt(createdAt.getTime()),
    ...markingsToHeader(notice.markings),
    ...conversationToHeader(
      conversationTerms(notice.kind, notice.body),
      notice.markings.priority,
      createdAt.getTime(),
      options.provenance,
    ),
    audienceDigest: sha256(audienceBytes),
    reviewAtMs: notice.reviewAt ? BigInt(Date.parse(notice.reviewAt)) : 0n,
    layers: descriptors,
    wrapEphemeralPublicKey: ephemeralPublic,
    screeningOverrides: [...notice.screeningOverrides],
    ...(options.amendment ? { amendment: amendmentOf(options.amendment) } : {}),
  });
  const headerBytes = toBinary(NoticeHeaderSchema, header);
  const envelope = create(EnvelopeSchema, {
    header: headerBytes,
    headerSignature: ed25519Sign(signing.privateKey, headerBytes),
    audience: audienceBytes,
    layers,
    wraps,
  });
  return { noticeId, bytes: toBinary(EnvelopeSchema, envelope), header, notice };
}

/**
 * An erasure request for one of the sender's notices (LED Art. 16): a signed header
 * naming the notice (id and header digest) and the reason, with no layers and no
 * wraps — it carries no data, only the instruction. `kind` and `crimeAreas` are the
 * amended notice's (so recipients file it beside it).
 */
export function erasureRequestNotice(kind: ValidNotice['kind'], crimeAreas: readonly string[]): ValidNotice {
  return {
    kind,
    schemaVersion: KINDS[kind].schemaVersion,
    markings: {
      priority: 'urgent',
      handlingCode: 'H0',
      evaluation: { source: 'A', information: '1' },
      crimeAreas: [...crimeAreas] as ValidNotice['markings']['crimeAreas'],
    },
    body: {},
    layers: {},
    screeningOverrides: [],
    personalData: false,
  };
}
