import { toIssues } from '@liaison/core';
import { thumbprint } from '@liaison/envelope';
import { compactVerify, importJWK, type JWK } from 'jose';
import { RegistryError } from './errors.js';
import { EventDataSchemas, type PolicyEvent, PolicyEventSchema } from './events.js';
import { type Draft, HANDLERS } from './handlers.js';
import { EVENT_JWS_TYPE, eventHash, peekEvent } from './sign-event.js';
import { activeAdmin, type RegistrySnapshot } from './snapshot.js';

export interface ApplyOptions {
  /** Key ids (RFC 7638) of the administrators trusted to create the registry. */
  anchors: readonly string[];
}

// The checklist: decode → shape → order → signer → signature → effect. Each step
// throws its own code and leaves the snapshot untouched.

function decode(jws: string): { kid: string; event: PolicyEvent } {
  let peeked: ReturnType<typeof peekEvent>;
  try {
    peeked = peekEvent(jws);
  } catch (cause) {
    throw new RegistryError('INVALID_EVENT', 'not a signed policy event', { cause });
  }
  if (!peeked.kid || peeked.typ !== EVENT_JWS_TYPE)
    throw new RegistryError('INVALID_EVENT', 'not a signed policy event');
  const parsed = PolicyEventSchema.safeParse(peeked.payload);
  if (!parsed.success) {
    throw new RegistryError('INVALID_EVENT', 'malformed policy event', {
      issues: toIssues(parsed.error.issues),
    });
  }
  const data = EventDataSchemas[parsed.data.type].safeParse(parsed.data.data);
  if (!data.success) {
    throw new RegistryError('INVALID_EVENT', `malformed ${parsed.data.type} event`, {
      issues: toIssues(data.error.issues).map((i) => ({ ...i, path: ['data', ...i.path] })),
    });
  }
  return { kid: peeked.kid, event: { ...parsed.data, data: data.data } };
}

function checkOrder(s: RegistrySnapshot, e: PolicyEvent): void {
  if (e.revision !== s.revision + 1 || e.prev !== s.head) {
    throw new RegistryError(
      'OUT_OF_ORDER',
      `event for revision ${e.revision} does not follow revision ${s.revision}`,
    );
  }
  if (e.at < s.at) throw new RegistryError('OUT_OF_ORDER', 'event is older than the previous event');
}

async function signerKey(s: RegistrySnapshot, e: PolicyEvent, kid: string, options: ApplyOptions) {
  if (e.type === 'registry-created') {
    const data = e.data as { administrators: { id: string; key: { jwk: Record<string, unknown> } }[] };
    const admin = data.administrators.find((a) => a.id === e.by);
    if (!admin)
      throw new RegistryError('UNKNOWN_ADMIN', 'the creator must be one of the first administrators');
    const actual = await thumbprint(admin.key.jwk as JWK);
    if (actual !== kid || !options.anchors.includes(actual)) {
      throw new RegistryError('NOT_AN_ANCHOR', 'the registry must be created by a trusted key');
    }
    return admin.key.jwk;
  }
  const admin = activeAdmin(s, e.by);
  if (!admin || admin.key.kid !== kid)
    throw new RegistryError('UNKNOWN_ADMIN', `${e.by} is not an administrator with that key`);
  return admin.key.jwk;
}

async function checkSignature(jws: string, jwk: Record<string, unknown>, kid: string): Promise<void> {
  try {
    const key = await importJWK({ kty: 'OKP', crv: 'Ed25519', x: jwk.x as string }, 'EdDSA');
    await compactVerify(jws, key, { algorithms: ['EdDSA'] });
  } catch (cause) {
    throw new RegistryError('BAD_SIGNATURE', 'signature verification failed', { cause });
  }
  if (kid.length === 0) throw new RegistryError('BAD_SIGNATURE', 'signature verification failed');
}

/** Applies one signed event to a snapshot, returning the next snapshot. */
export async function applyEvent(
  s: RegistrySnapshot,
  jws: string,
  options: ApplyOptions,
): Promise<{ snapshot: RegistrySnapshot; event: PolicyEvent }> {
  const { kid, event } = decode(jws);
  checkOrder(s, event);
  await checkSignature(jws, await signerKey(s, event, kid, options), kid);
  const draft: Draft = { ...s, revision: event.revision, head: eventHash(jws), at: event.at };
  await (HANDLERS[event.type] as (d: Draft, data: unknown, e: PolicyEvent) => Promise<void> | void)(
    draft,
    event.data,
    event,
  );
  return { snapshot: draft, event };
}
