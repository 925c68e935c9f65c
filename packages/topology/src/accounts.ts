/**
 * NATS accounts. The exchange's account holds every stream and runs the services;
 * each agency has an account of its own, which sees only what the exchange exports to
 * it (docs/threat-model.md, "Accounts").
 */
export const EXCHANGE_ACCOUNT = 'LIAISON';

/** The account of an agency: its identity (account names are the registry's ids). */
export function accountOf(agency: string): string {
  return agency;
}

/**
 * The account of an administrator (administrators are not agencies: their ids live in
 * another namespace of the registry, so their accounts carry a prefix no agency id can
 * have — agency ids have no underscore).
 */
export function adminAccountOf(admin: string): string {
  return `admin_${admin}`;
}

/**
 * Where nats-server sends the answers to requests that came through a service
 * import: `_R_.<random>.<random>`, mapped back into the requester's own account.
 * Services answer only here (or to a requester's own inbox in their account).
 */
export const SERVICE_RESPONSES = '_R_.>';

/** True for a reply subject a service may answer on: a service import's response or an inbox. */
export function isReplySpace(subject: string | undefined): subject is string {
  return (
    !!subject &&
    (subject.startsWith('_R_.') || subject.startsWith('_INBOX.') || subject.startsWith('_INBOX_'))
  );
}
