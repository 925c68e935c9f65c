import {
  decodeEnvelope,
  decodeHeader,
  markingsFromHeader,
  type VerifiedEnvelope,
  verifyHeader,
} from '@liaison/envelope';
import { classificationRank } from '@liaison/notice';
import { type RegistrySnapshot, resolverOf } from '@liaison/registry';
import type { GateSettings } from './config.js';
import { GateError } from './errors.js';
import { checkFreshness, type SubmissionRoute } from './freshness.js';

/**
 * The gate's checklist for one intake message, before any decision:
 * size → not empty, decode → subject matches the signer's agency → sender may publish →
 * signature and key validity (verifyHeader) → freshness → expiry → audience present →
 * no free text in the cleartext header → classification within the accreditation.
 * Each step throws its own code; nothing is decrypted.
 */
export function verifySubmission(
  data: Uint8Array,
  subjectAgency: string,
  snapshot: RegistrySnapshot,
  settings: GateSettings,
  now: number,
  route: SubmissionRoute = { via: 'hub' },
): VerifiedEnvelope {
  if (data.length > settings.maxEnvelopeBytes) {
    throw new GateError('OVERSIZED', `envelope larger than ${settings.maxEnvelopeBytes} bytes`);
  }
  // An empty message decodes as an empty envelope whose header names no sender: it is
  // malformed, not a notice on the wrong subject.
  if (data.length === 0) throw new GateError('MALFORMED', 'the message is empty');
  const envelope = decodeEnvelope(data);
  if (envelope.header.length === 0) throw new GateError('MALFORMED', 'the envelope has no header');
  const header = decodeHeader(envelope.header);
  if (header.sender !== subjectAgency) {
    throw new GateError('WRONG_SUBJECT', 'the notice was published on another agency’s intake subject');
  }
  if (!snapshot.agencies.get(subjectAgency)?.roles.includes('publisher')) {
    throw new GateError('NOT_A_PUBLISHER', 'the sender may not publish');
  }
  const verified = verifyHeader(envelope, resolverOf(snapshot), { now, header });
  checkFreshness(Number(verified.header.createdAtMs), now, route, settings);
  const expires = Number(verified.header.expiresAtMs);
  if (expires > 0 && expires <= now) throw new GateError('EXPIRED', 'the notice has expired');
  if (!verified.audience) throw new GateError('MALFORMED', 'the audience is missing');
  if (verified.header.caseReference !== '' || verified.header.handlingRestriction !== '')
    throw new GateError('CLEARTEXT_FREE_TEXT', 'the case reference and restriction text travel sealed');
  const classification = markingsFromHeader(verified.header)?.classification;
  if (classificationRank(classification) > classificationRank(settings.accreditation))
    throw new GateError('CLASSIFICATION_NOT_ACCREDITED', 'the classification is above the accreditation');
  return verified;
}
