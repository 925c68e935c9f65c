import type { VerifiedEnvelope } from '@liaison/envelope';
import { AmendmentAction } from '@liaison/wire';
import type { DeliveryLedger } from './delivery-ledger.js';
import { GateError } from './errors.js';

/**
 * A rectification or erasure request (wire 1.2, `header.amendment`) is checked against
 * the delivery ledger before anything is decided: it must name a notice of the same
 * sender with the same header digest, and name as its recipients exactly those the
 * original was delivered to — so the provider can neither amend someone else's
 * notice nor use an amendment to reach anyone new, and no recipient of the original is
 * left out. Rule violations are GateErrors (the submission is rejected with the code);
 * a ledger that cannot be read throws as it is (the submission is retried).
 */
export async function checkAmendment(ledger: DeliveryLedger, v: VerifiedEnvelope): Promise<void> {
  const a = v.header.amendment;
  if (!a || a.action === AmendmentAction.UNSPECIFIED) return;
  const unknown = () =>
    new GateError(
      'AMENDMENT_TARGET_UNKNOWN',
      'the amended notice is not one of yours, or is no longer known',
    );
  if (a.noticeId === v.header.noticeId) throw unknown();
  const original = await ledger.lookup(a.noticeId);
  if (
    !original ||
    original.sender !== v.header.sender ||
    original.headerSha256 !== Buffer.from(a.headerSha256).toString('hex')
  )
    throw unknown();
  const named = new Set(v.audience?.recipients ?? []);
  const delivered = new Set(original.recipients);
  if (named.size !== delivered.size || [...delivered].some((r) => !named.has(r)))
    throw new GateError(
      'AMENDMENT_RECIPIENTS_MISMATCH',
      'name exactly the recipients the original was delivered to (its submission receipt lists them)',
    );
}

/** An erasure request has no layers: it is delivered header-only to each recipient the policy gives it to. */
export function isErasureRequest(v: VerifiedEnvelope): boolean {
  return v.header.amendment?.action === AmendmentAction.ERASURE_REQUEST;
}
