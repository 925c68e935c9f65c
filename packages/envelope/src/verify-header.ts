import { isNoticeKind, KINDS, requestDueAt } from '@liaison/notice';
import { type Audience, AudienceSchema, type Envelope, fromBinary, type NoticeHeader } from '@liaison/wire';
import { conversationFromHeader, priorityOf } from './conversation-codec.js';
import { decodeEnvelope, decodeHeader } from './decode.js';
import { EnvelopeError } from './errors.js';
import { keyState, type PublicKeyRecord, publicKeyObject } from './keys.js';
import { markingsFromHeader } from './markings-codec.js';
import { bytesEqual, ed25519Verify, sha256 } from './primitives.js';
import { HEADER_DOMAIN } from './seal.js';
import { UUID_PATTERN } from './uuid7.js';

/** Finds a published key by agency and kid (the registry, a JWKS, the gate's plan...). */
export type KeyResolver = (agency: string, kid: string) => PublicKeyRecord | undefined;

export interface VerifiedEnvelope {
  envelope: Envelope;
  header: NoticeHeader;
  senderKey: PublicKeyRecord;
  /** The requested audience; only on intake (the gate strips it from deliveries). */
  audience?: Audience;
}

export interface VerifyOptions {
  /** Revocations known at this instant count (the gate: now; an auditor: the recorded time). */
  now?: number;
  /** The envelope's header, when the caller already decoded it (it must be of this envelope). */
  header?: NoticeHeader;
}

const KID_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const LAYER_NAMES = new Set(['strategic', 'operational']);

// The checklist, one short step each: decode → header shape → key → signature →
// layer integrity → audience.

function checkShape(header: NoticeHeader): void {
  const problems: string[] = [];
  if (header.domain !== HEADER_DOMAIN) problems.push('domain');
  if (!UUID_PATTERN.test(header.noticeId)) problems.push('notice_id');
  if (!KID_PATTERN.test(header.senderKeyId)) problems.push('sender_key_id');
  if (header.wrapEphemeralPublicKey.length !== 32) problems.push('wrap_ephemeral_public_key');
  const names = header.layers.map((l) => l.name);
  if (new Set(names).size !== names.length || names.some((n) => !LAYER_NAMES.has(n))) problems.push('layers');
  if (header.layers.some((l) => l.nonce.length !== 24 || l.ciphertextSha256.length !== 32))
    problems.push('layers');
  if (problems.length > 0) {
    throw new EnvelopeError('MALFORMED', 'malformed notice header', {
      issues: problems.map((p) => ({ code: 'MALFORMED', path: ['header', p], message: 'invalid' })),
    });
  }
  if (!isNoticeKind(header.kind))
    throw new EnvelopeError('UNKNOWN_KIND', `unknown notice kind "${header.kind}"`);
  if (
    header.schemaVersion !== KINDS[header.kind].schemaVersion ||
    !markingsFromHeader(header) ||
    !conversationFromHeader(header)
  ) {
    throw new EnvelopeError('SCHEMA_INVALID', 'unsupported schema version or markings');
  }
  // Directive 2023/977 Art. 5: the deadline follows from urgency and accessibility; no other is signed.
  const request = header.request;
  if (
    request &&
    Number(request.dueAtMs) !==
      requestDueAt(Number(header.createdAtMs), priorityOf(header), request.directlyAccessible)
  )
    throw new EnvelopeError('DEADLINE_MISMATCH', 'the signed deadline is not the one the Directive sets');
}

function resolveSenderKey(header: NoticeHeader, resolve: KeyResolver, now: number): PublicKeyRecord {
  const key = resolve(header.sender, header.senderKeyId);
  if (!key || key.agency !== header.sender || key.use !== 'sig') {
    throw new EnvelopeError('UNKNOWN_KEY', 'unknown signing key');
  }
  const state = keyState(key, Number(header.createdAtMs), now);
  if (state === 'revoked') throw new EnvelopeError('KEY_REVOKED', 'the signing key has been revoked');
  if (state === 'not-valid')
    throw new EnvelopeError('KEY_NOT_VALID', 'the signing key was not valid at creation time');
  return key;
}

function checkSignature(envelope: Envelope, key: PublicKeyRecord): void {
  if (!ed25519Verify(publicKeyObject(key), envelope.header, envelope.headerSignature)) {
    throw new EnvelopeError('BAD_SIGNATURE', 'signature verification failed');
  }
}

function checkLayers(envelope: Envelope, header: NoticeHeader): void {
  const seen = new Set<string>();
  for (const layer of envelope.layers) {
    const d = header.layers.find((x) => x.name === layer.name);
    const ok =
      d !== undefined &&
      !seen.has(layer.name) &&
      d.ciphertextLength === layer.ciphertext.length &&
      bytesEqual(sha256(layer.ciphertext), d.ciphertextSha256);
    if (!ok) throw new EnvelopeError('LAYER_TAMPERED', 'a layer does not match the signed header');
    seen.add(layer.name);
  }
}

function checkAudience(envelope: Envelope, header: NoticeHeader): Audience | undefined {
  if (envelope.audience.length === 0) return undefined;
  if (!bytesEqual(sha256(envelope.audience), header.audienceDigest)) {
    throw new EnvelopeError('AUDIENCE_MISMATCH', 'the audience does not match the signed header');
  }
  try {
    return fromBinary(AudienceSchema, envelope.audience);
  } catch (cause) {
    throw new EnvelopeError('MALFORMED', 'malformed audience', { cause });
  }
}

/**
 * What the gate (and an auditor) checks without decrypting anything: the header
 * is well formed, signed by a key of its sender that was valid when the notice
 * was created and is not revoked, and every layer and the audience match it.
 */
export function verifyHeader(
  input: Uint8Array | Envelope,
  resolve: KeyResolver,
  options: VerifyOptions = {},
): VerifiedEnvelope {
  const envelope = input instanceof Uint8Array ? decodeEnvelope(input) : input;
  const header = options.header ?? decodeHeader(envelope.header);
  checkShape(header);
  const senderKey = resolveSenderKey(header, resolve, options.now ?? Date.now());
  checkSignature(envelope, senderKey);
  checkLayers(envelope, header);
  const audience = checkAudience(envelope, header);
  return audience ? { envelope, header, senderKey, audience } : { envelope, header, senderKey };
}
