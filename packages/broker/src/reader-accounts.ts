import { DEFAULT_PREFIX, inboxOf, READABLE_STREAMS, STREAMS, Subjects } from '@liaison/topology';
import type { Crossing } from './agency-account.js';
import type { Permissions } from './permissions.js';

const service = (subject: string): Crossing => ({ kind: 'service', subject, local: subject });

/**
 * Everything an auditor's account sees of the exchange (docs/decisions/0014): the log
 * reader's batches of the audit log, its checkpoints, the policy log and FEED (for
 * `audit verify --content`), and the audit log's latest checkpoint and proofs. All
 * request/reply through service imports, so every answer lands in the auditor's own
 * account, whatever reply subject it picks; nothing of JetStream's API is imported, so an
 * auditor creates, pulls from or inspects no consumer and publishes on no log subject.
 */
export function auditorCrossings(prefix = DEFAULT_PREFIX): Crossing[] {
  const s = new Subjects(prefix);
  return [
    ...READABLE_STREAMS.map((stream) => service(s.read(stream))),
    service(s.auditLatest),
    service(s.auditProofs),
  ];
}

/**
 * Everything an administrator's account sees of the exchange: the policy log through the
 * log reader, and the publish of signed policy events (a JetStream publish whose
 * acknowledgement comes back through the import). Nothing else.
 */
export function administratorCrossings(prefix = DEFAULT_PREFIX): Crossing[] {
  const s = new Subjects(prefix);
  return [service(s.read(STREAMS.policy)), service(s.policyAll)];
}

/** The user in an auditor's or administrator's account: it may publish only to what is imported, and receive only its own inbox. */
export function readerAccountPermissions(id: string, crossings: readonly Crossing[]): Permissions {
  return {
    publish: { allow: crossings.map((c) => c.local) },
    subscribe: { allow: [inboxOf(id)] },
  };
}

/** An auditor, alone in its own account. */
export function auditorPermissions(id: string, prefix = DEFAULT_PREFIX): Permissions {
  return readerAccountPermissions(id, auditorCrossings(prefix));
}

/** An administrator, alone in its own account: appends signed policy events and reads the policy log. */
export function administratorPermissions(id: string, prefix = DEFAULT_PREFIX): Permissions {
  return readerAccountPermissions(id, administratorCrossings(prefix));
}
