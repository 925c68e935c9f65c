import type { KeyObject } from 'node:crypto';
import { publicKeyObject } from '@liaison/envelope';
import { currentKey, type RegistrySnapshot } from '@liaison/registry';
import type { NoteKey } from '../checkpoint.js';
import { AuditError } from '../errors.js';

export type LogKey = NoteKey & { publicKey: KeyObject };

/** The identity of the audit-log service in the registry, whose key signs checkpoints. */
export const AUDIT_LOG_IDENTITY = 'liaison-audit-log';

/** The log's checkpoint key from the registry (the audit-log service's current signing key). */
export function logKeyOf(snapshot: RegistrySnapshot, id = AUDIT_LOG_IDENTITY, at = Date.now()): LogKey {
  const rec = currentKey(snapshot, id, 'sig', at);
  if (!rec) throw new AuditError('NO_LOG_KEY', `the registry has no valid signing key for ${id}`);
  return {
    name: id,
    publicRaw: new Uint8Array(Buffer.from(String(rec.jwk.x), 'base64url')),
    publicKey: publicKeyObject(rec),
  };
}
