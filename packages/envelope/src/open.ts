import { KINDS, type LayerName, type Markings, markOf, type NoticeKind } from '@liaison/notice';
import type { DeliveryGrant, Envelope } from '@liaison/wire';
import type { z } from 'zod';
import { verifyCountersignature } from './countersign.js';
import { decodeEnvelope } from './decode.js';
import { EnvelopeError } from './errors.js';
import { sharedSecret, unwrapKey, wrappingKey } from './key-wrap.js';
import type { AgencyKeys } from './keys.js';
import { decryptLayer } from './layer-crypto.js';
import { markingsFromHeader } from './markings-codec.js';
import { sodiumReady, x25519PublicKey } from './primitives.js';
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

const FIELD_LAYERS = new WeakMap<z.ZodObject, Map<string, LayerName>>();

/** Which layer each field of a kind's body belongs to, from the marks in its schema (once per kind). */
function fieldLayers(schema: z.ZodObject): Map<string, LayerName> {
  let layers = FIELD_LAYERS.get(schema);
  if (!layers) {
    layers = new Map();
    for (const [field, type] of Object.entries(schema.shape)) {
      const mark = markOf(type as z.ZodType);
      if (mark) layers.set(field, mark.personal ? 'operational' : 'strategic');
    }
    FIELD_LAYERS.set(schema, layers);
  }
  return layers;
}

function readLayer(
  v: VerifiedEnvelope,
  layer: LayerName,
  key: Uint8Array,
  schema: z.ZodObject,
): Record<string, unknown> {
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
  const layerOf = fieldLayers(schema);
  for (const field of Object.keys(content)) {
    if (layerOf.get(field) !== layer) {
      throw new EnvelopeError('SCHEMA_INVALID', 'a layer holds a field that does not belong to it', {
        issues: [{ code: 'SCHEMA_INVALID', path: ['body', field], message: `not a ${layer} field` }],
      });
    }
  }
  return content as Record<string, unknown>;
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
  for (const layer of layers) Object.assign(body, readLayer(verified, layer, keys.get(layer)!, schema));
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new EnvelopeError('SCHEMA_INVALID', 'the notice body does not match its kind');
  const h = verified.header;
  return {
    noticeId: h.noticeId,
    sender: h.sender,
    kind,
    schemaVersion: h.schemaVersion,
    createdAt: new Date(Number(h.createdAtMs)),
    markings: markingsFromHeader(h)!,
    level: grant.level === 'operational' ? 'operational' : 'strategic',
    layers,
    body: parsed.data as Record<string, unknown>,
    screeningOverrides: [...h.screeningOverrides],
    grant,
  };
}
