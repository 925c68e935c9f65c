import { findCause } from '@liaison/core';
import type { LogSource } from '@liaison/log-reader';
import { PolicyStore, type RegistrySnapshot } from '@liaison/registry';
import { errors, type NatsConnection } from '@nats-io/transport-node';
import { AuditError } from '../errors.js';

/** The identities that may audit: those with the `auditor` role in the registry. */
export function auditorsOf(snapshot: RegistrySnapshot): string[] {
  return [...snapshot.agencies.values()].filter((a) => a.roles.includes('auditor')).map((a) => a.id);
}

/** Throws NOT_AN_AUDITOR unless `id` has the `auditor` role; the message names who may audit. */
export function requireAuditor(snapshot: RegistrySnapshot, id: string): void {
  if (snapshot.agencies.get(id)?.roles.includes('auditor')) return;
  const auditors = auditorsOf(snapshot);
  throw new AuditError(
    'NOT_AN_AUDITOR',
    `${id} is not an auditor; identities with the auditor role in the registry may audit: ${auditors.join(', ') || '(none)'}`,
  );
}

/**
 * The registry as an auditor reads it (the policy stream), after checking that
 * `auditor` has the auditor role. On a secure broker an identity without that
 * role may not read the policy stream at all: the broker's refusal is reported
 * as NOT_AN_AUDITOR too (it cannot name the auditors, having read nothing).
 */
export async function openAuditorRegistry(
  nc: NatsConnection,
  o: { auditor: string; anchors: readonly string[]; source?: LogSource },
): Promise<PolicyStore> {
  let store: PolicyStore;
  try {
    store = await PolicyStore.open(nc, {
      anchors: [...o.anchors],
      ...(o.source ? { source: o.source } : {}),
    });
  } catch (err) {
    if (findCause(err, errors.PermissionViolationError))
      throw new AuditError(
        'NOT_AN_AUDITOR',
        `${o.auditor} may not read the registry: only identities with the auditor role in the registry may audit`,
        { cause: err },
      );
    throw err;
  }
  requireAuditor(store.registry.current, o.auditor);
  return store;
}
