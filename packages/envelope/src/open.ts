import {
  conversationTerms,
  fieldLayers,
  KINDS,
  type LayerName,
  type Markings,
  type NoticeKind,
  SealedMarkingsSchema,
  strategicView,
} from '@liaison/notice';
import { AmendmentAction, type DeliveryGrant, type Envelope } from '@liaison/wire';
import type { z } from 'zod';
import { conversationFromHeader, type HeaderTerms, sameTerms } from './conversation-codec.js';
import { verifyCountersignature } from './countersign.js';
import { decodeEnvelope } from './decode.js';
import { EnvelopeError } from './errors.js';
import { sharedSecret, unwrapKey, wrappingKey } from './key-wrap.js';
import type { AgencyKeys } from './keys.js';
import { decryptLayer } from './layer-crypto.js';
import { markingsFromHeader, SEALED_MARKINGS_KEY, type SealedMarkings } from './markings-codec.js';
import { sha256, sodiumReady, x25519PublicKey } from './primitives.js';
import { type KeyResolver, type VerifiedEnvelope, verifyHeader } from './verify-header.js';

export interface OpenOptions {
  /** The recipient's own keys (its X25519 private key opens the wraps). */
  recipient: AgencyKeys;
  /** Resolves senders' signing keys. */
  resolveKey: KeyResolver;
  /** Resolves the gate's signing keys. */
  resolveGateKey: KeyResolver;
  now?: number;
}

export interface OpenedNotice {
  noticeId: string;
  sender: string;
  kind: NoticeKind;
  schemaVersion: number;
  createdAt: Date;
  markings: Markings;
  level: 'operational' | 'strategic';
  /** The layers this recipient could read. */
  layers: LayerName[];
  /** The fields of those layers. */
  body: Record<string, unknown>;
  screeningOverrides: string[];
  grant: DeliveryGrant;
  /** Wire 1.2: what the signed header says of the conversation (provenance, request terms, answer, permission). */
  conversation: HeaderTerms;
  /** SHA-256 of the signed header bytes (what a reply or forward names). */
  headerSha256: Uint8Array;
  /** Wire 1.2: set when this notice rectifies, or asks for the erasure of, an earlier one of its sender. */
  amendment?: OpenedAmendment;
}

export interface OpenedAmendment {
  action: 'rectification' | 'erasure-request';
  noticeId: string;
  /** Hex SHA-256 of the amended notice's signed header. */
  headerSha256: string;
  reason: string;
}

function amendmentOf(h: VerifiedEnvelope['header']): OpenedAmendment | undefined {
  const a = h.amendment;
  if (!a || a.action === AmendmentAction.UNSPECIFIED) return undefined;
  return {
    action: a.action === AmendmentAction.RECTIFICATION ? 'rectification' : 'erasure-request',
    noticeId: a.noticeId,
    headerSha256: Buffer.from(a.headerSha256).toString('hex'),
    reason: a.reason,
  };
}

/** Unwraps the recipient's layer keys; the X25519 shared secret is computed once. */
function unwrapLayerKeys(
  v: VerifiedEnvelope,
  layers: readonly string[],
  recipient: AgencyKeys,
): Map<string, Uint8Array> {
  const kid = recipient.encryption.record.kid;
  const wraps = layers.map((layer) => {
    const wrap = v.envelope.wraps.find(
      (w) => w.recipient === recipient.agency && w.recipientKeyId === kid && w.layer === layer,
    );
    if (!wrap) throw new EnvelopeError('NOT_A_RECIPIENT', 'no key for this recipient');
    return wrap;
  });
  try {
    const eph = v.header.wrapEphemeralPublicKey;
    const shared = sharedSecret(recipient.encryption.privateKey, x25519PublicKey(eph));
    const keys = new Map<string, Uint8Array>();
    for (const wrap of wraps) {
      const ctx = { noticeId: v.header.noticeId, recipientKeyId: kid, layer: wrap.layer };
      keys.set(
        wrap.layer,
        unwrapKey(wrappingKey(shared, eph, recipient.encryption.publicRaw, ctx), wrap.wrappedKey),
      );
    }
    return keys;
  } catch (cause) {
    throw new EnvelopeError('DECRYPTION_FAILED', 'decryption failed', { cause });
  }
}

const FIELD_LAYERS = new WeakMap<z.ZodObject, Map<string, readonly LayerName[]>>();

/** Which layers each field of a kind's body may be in, from the marks in its schema (once per kind). */
function layersOfFields(schema: z.ZodObject): Map<string, readonly LayerName[]> {
  let layers = FIELD_LAYERS.get(schema);
  if (!layers) {
    layers = fieldLayers(schema);
    FIELD_LAYERS.set(schema, layers);
  }
  return layers;
}

function readLayer(
  v: VerifiedEnvelope,
  layer: LayerName,
  key: Uint8Array,
  schema: z.ZodObject,
): { fields: Record<string, unknown>; sealed?: SealedMarkings } {
  const d = v.header.layers.find((x) => x.name === layer)!;
  const ciphertext = v.envelope.layers.find((x) => x.name === layer)!.ciphertext;
  let content: unknown;
  try {
    content = decryptLayer(key, d.nonce, v.header.noticeId, layer, ciphertext);
  } catch (cause) {
    throw new EnvelopeError('DECRYPTION_FAILED', 'decryption failed', { cause });
  }
  if (typeof content !== 'object' || content === null || Array.isArray(content)) {
    throw new EnvelopeError('SCHEMA_INVALID', 'a layer is not an object');
  }
  // A layer may only hold fields its schema marks for it: a sender's client that
  // put a personal field in the strategic layer is refused, not trusted.
  const { [SEALED_MARKINGS_KEY]: sealedRaw, ...fields } = content as Record<string, unknown>;
  const layerOf = layersOfFields(schema);
  for (const field of Object.keys(fields)) {
    if (!layerOf.get(field)?.includes(layer)) {
      throw new EnvelopeError('SCHEMA_INVALID', 'a layer holds a field that does not belong to it', {
        issues: [{ code: 'SCHEMA_INVALID', path: ['body', field], message: `not a ${layer} field` }],
      });
    }
  }
  if (sealedRaw === undefined) return { fields };
  const sealed = SealedMarkingsSchema.safeParse(sealedRaw);
  if (!sealed.success) throw new EnvelopeError('SCHEMA_INVALID', 'the sealed markings are malformed');
  return { fields, sealed: sealed.data as SealedMarkings };
}

/** The header's markings with the sealed ones; every layer must carry the same, and H3 its text. */
function withSealedMarkings(header: Markings, sealed: (SealedMarkings | undefined)[]): Markings {
  const [first] = sealed;
  if (sealed.some((x) => JSON.stringify(x) !== JSON.stringify(first)))
    throw new EnvelopeError('SCHEMA_INVALID', 'the layers disagree on the sealed markings');
  const m = { ...header, ...first };
  if ((m.handlingCode === 'H3') !== (m.handlingRestriction !== undefined))
    throw new EnvelopeError('SCHEMA_INVALID', 'H3 needs its restriction text, and only H3 has one');
  return m;
}

/**
 * Opens a delivery as its recipient: verifies the sender's signature and the
 * gate's countersignature, unwraps the granted layer keys, decrypts, checks the
 * body against its kind and returns the notice with its markings.
 */
export async function open(delivery: Uint8Array | Envelope, options: OpenOptions): Promise<OpenedNotice> {
  await sodiumReady;
  const envelope = delivery instanceof Uint8Array ? decodeEnvelope(delivery) : delivery;
  const verified = verifyHeader(
    envelope,
    options.resolveKey,
    options.now === undefined ? {} : { now: options.now },
  );
  const { grant } = verifyCountersignature(envelope, options.resolveGateKey, {
    recipient: options.recipient.agency,
    header: verified.header,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const kind = verified.header.kind as NoticeKind;
  const schema = KINDS[kind].body;
  const layers = grant.grantedLayers as LayerName[];
  const keys = unwrapLayerKeys(verified, layers, options.recipient);
  const body: Record<string, unknown> = {};
  const sealed: (SealedMarkings | undefined)[] = [];
  // Strategic first, operational last: an exact quasi-identifier replaces its coarse form.
  for (const layer of layers) {
    const read = readLayer(verified, layer, keys.get(layer)!, schema);
    Object.assign(body, read.fields);
    sealed.push(read.sealed);
  }
  const operational = layers.includes('operational');
  const h = verified.header;
  const amendment = amendmentOf(h);
  // An erasure request has no layers: there is no body to check, only the instruction.
  const erasureOnly = amendment?.action === 'erasure-request' && layers.length === 0 && h.layers.length === 0;
  const parsed = erasureOnly
    ? { success: true as const, data: {} }
    : (operational ? schema : strategicView(schema)).safeParse(body);
  if (!parsed.success) throw new EnvelopeError('SCHEMA_INVALID', 'the notice body does not match its kind');
  // The conversation terms are signed in the header and derived from the body: both must say the same.
  const conversation = conversationFromHeader(h)!;
  if (!sameTerms(conversationTerms(kind, parsed.data as Record<string, unknown>), conversation))
    throw new EnvelopeError('SCHEMA_INVALID', 'the header and the body disagree on the conversation terms');
  const opened: OpenedNotice = {
    noticeId: h.noticeId,
    sender: h.sender,
    kind,
    schemaVersion: h.schemaVersion,
    createdAt: new Date(Number(h.createdAtMs)),
    markings: erasureOnly ? markingsFromHeader(h)! : withSealedMarkings(markingsFromHeader(h)!, sealed),
    level: grant.level === 'operational' ? 'operational' : 'strategic',
    layers,
    body: parsed.data as Record<string, unknown>,
    screeningOverrides: [...h.screeningOverrides],
    grant,
    conversation,
    headerSha256: sha256(envelope.header),
  };
  if (amendment) opened.amendment = amendment;
  return opened;
}
