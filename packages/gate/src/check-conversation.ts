import { conversationFromHeader, decodeHeader, UUID_PATTERN, type VerifiedEnvelope } from '@liaison/envelope';
import { EUROPOL_AGENCY } from '@liaison/notice';
import {
  factsFromHeader,
  inheritanceViolation,
  type NoticeFacts,
  type OriginFacts,
  type OriginRecord,
  permissionOf,
  twoStepViolation,
} from '@liaison/policy';
import { AudienceSchema, fromBinary, type NoticeHeader } from '@liaison/wire';
import type { EntryInit } from './audit.js';
import type { DeliveryLedger, LedgerRecord } from './delivery-ledger.js';
import { GateError } from './errors.js';

/** What the gate decides a conversation notice on, and what its audit entry records of the origin. */
export interface ConversationContext {
  facts: NoticeFacts;
  audit: Pick<
    EntryInit,
    | 'originHeader'
    | 'originHeaderSignature'
    | 'originAudience'
    | 'originRecipients'
    | 'permissionHeader'
    | 'permissionHeaderSignature'
  >;
}

const b64 = (s: string | undefined) => (s ? new Uint8Array(Buffer.from(s, 'base64')) : new Uint8Array());

/** The ledger record of a notice a conversation names, with its header, or undefined. */
async function named(ledger: DeliveryLedger, noticeId: string, sha256: string) {
  if (!UUID_PATTERN.test(noticeId)) return undefined;
  const record = await ledger.lookup(noticeId);
  if (!record?.header || record.headerSha256 !== sha256) return undefined;
  return { record, header: decodeHeader(b64(record.header)) };
}

function originRecord(
  o: { record: LedgerRecord; header: NoticeHeader },
  permission?: NoticeHeader,
): OriginRecord {
  const audience = o.record.audience ? fromBinary(AudienceSchema, b64(o.record.audience)) : undefined;
  const r: OriginRecord = { header: o.header, audience, recipients: o.record.recipients };
  if (permission) r.permission = permission;
  return r;
}

/**
 * The conversation rules of one verified submission (docs/conversations.md), after the
 * checklist and before the policy: a claimed reply names what it answers
 * (PROVENANCE_MISSING); what it names is a notice this gate delivered, with that very
 * header (PROVENANCE_UNKNOWN); its sender was given it or provided it, and its markings
 * are at least as strict (policy `inheritanceViolation`); a cited grant is the
 * provider's for this notice and sender (PERMISSION_INVALID); an answer answers a
 * request (ANSWER_WITHOUT_REQUEST); a request names whom it asks (REQUEST_NOT_ADDRESSED);
 * a copy to Europol names Europol (EUROPOL_COPY_MISSING); a permission is decided only
 * by the provider (PERMISSION_NOT_PROVIDER). Throws a GateError; a ledger failure is
 * transient and thrown as it is.
 */
export async function checkConversation(
  v: VerifiedEnvelope,
  ledger: DeliveryLedger,
): Promise<ConversationContext | undefined> {
  const h = v.header;
  const terms = conversationFromHeader(h)!;
  const audience = v.audience;
  if ((terms.request || h.kind === 'hit-query') && (audience?.recipients.length ?? 0) === 0)
    throw new GateError('REQUEST_NOT_ADDRESSED', 'a request names the agencies it asks');
  if (terms.europolCopy?.copied && !audience?.recipients.includes(EUROPOL_AGENCY))
    throw new GateError('EUROPOL_COPY_MISSING', 'a copy to Europol names Europol as a recipient');
  const p = terms.provenance;
  if (!p) {
    if (h.inReplyTo !== '' || ['answer', 'onward-permission', 'hit-answer'].includes(h.kind))
      throw new GateError(
        'PROVENANCE_MISSING',
        'a reply names the notice it answers, by id and header digest',
      );
    const twoStep = twoStepViolation(h, undefined);
    if (twoStep) throw new GateError(twoStep, 'a match confirmation belongs to the follow-up of a hit');
    return undefined;
  }
  if (h.inReplyTo !== '' && h.inReplyTo !== p.noticeId)
    throw new GateError('PROVENANCE_MISSING', 'in reply to one notice, with the provenance of another');
  const loaded = await loadOrigin(ledger, p, h.sender);
  const facts = factsFromHeader(h, audience);
  facts.origin = loaded.origin;
  const violation = inheritanceViolation(facts, loaded.origin);
  if (violation) throw new GateError(violation, 'a reply or forward keeps the markings of what it answers');
  await kindRules(h, terms, loaded.header, ledger);
  return { facts, audit: loaded.audit };
}

/** A conversation's provenance as the header (or a plan request) states it. */
export interface ProvenanceTerms {
  relation: 'reply' | 'forward';
  noticeId: string;
  headerSha256: string;
  permission?: { noticeId: string; headerSha256: string };
}

/**
 * The notice a reply or forward names, from the ledger, as the policy sees it (its facts,
 * whom it went to, the provider's grant when one is cited). PROVENANCE_UNKNOWN,
 * PERMISSION_INVALID.
 */
export async function loadOrigin(
  ledger: DeliveryLedger,
  p: ProvenanceTerms,
  sender: string,
): Promise<{ origin: OriginFacts; header: NoticeHeader; audit: ConversationContext['audit'] }> {
  const origin = await named(ledger, p.noticeId, p.headerSha256);
  if (!origin) throw new GateError('PROVENANCE_UNKNOWN', 'the notice answered or forwarded is not known');
  const record = originRecord(origin, undefined);
  const facts: OriginFacts = {
    noticeId: p.noticeId,
    relation: p.relation,
    facts: factsFromHeader(record.header, record.audience),
    recipients: record.recipients,
  };
  let audit: ConversationContext['audit'] = {
    originHeader: b64(origin.record.header),
    originHeaderSignature: b64(origin.record.headerSignature),
    originAudience: b64(origin.record.audience),
    originRecipients: [...origin.record.recipients],
  };
  if (p.permission) {
    const permission = await named(ledger, p.permission.noticeId, p.permission.headerSha256);
    if (!permission) throw new GateError('PERMISSION_INVALID', 'the permission cited is not known');
    const grant = permissionOf(permission.header, origin.header, p.headerSha256, sender);
    if (typeof grant === 'string') throw new GateError(grant, 'the permission cited does not cover this');
    facts.permission = grant;
    audit = {
      ...audit,
      permissionHeader: b64(permission.record.header),
      permissionHeaderSignature: b64(permission.record.headerSignature),
    };
  }
  return { origin: facts, header: origin.header, audit };
}

async function kindRules(
  h: NoticeHeader,
  terms: NonNullable<ReturnType<typeof conversationFromHeader>>,
  origin: NoticeHeader,
  ledger: DeliveryLedger,
): Promise<void> {
  const relation = terms.provenance!.relation;
  const twoStep = twoStepViolation(h, origin);
  if (twoStep) throw new GateError(twoStep, 'two steps: a hit answers a query; data follows a confirmed hit');
  if (h.kind === 'answer' && (origin.kind !== 'information-request' || relation !== 'reply'))
    throw new GateError('ANSWER_WITHOUT_REQUEST', 'an answer is a reply to an information request');
  const t = terms.permission;
  if (!t) return;
  if (t.decision === 'requested') {
    // Asked of the provider, about the notice it answers, by the agency that wants to forward it.
    if (t.noticeId !== origin.noticeId || t.grantee !== h.sender || relation !== 'reply')
      throw new GateError('PERMISSION_INVALID', 'a permission request replies to the notice it is about');
    return;
  }
  // A grant or refusal: by the provider of the notice it concerns, in reply to the request.
  const request = conversationFromHeader(origin)?.permission;
  const concerned = await ledger.lookup(t.noticeId);
  if (
    origin.kind !== 'onward-permission' ||
    request?.decision !== 'requested' ||
    request.noticeId !== t.noticeId ||
    request.grantee !== t.grantee ||
    concerned?.sender !== h.sender
  )
    throw new GateError('PERMISSION_NOT_PROVIDER', 'only the provider decides, in reply to a request');
}

/** The facts of a submission: with its origin for a reply or forward, from its header otherwise. */
export function submissionFacts(v: VerifiedEnvelope, context: ConversationContext | undefined): NoticeFacts {
  return context?.facts ?? factsFromHeader(v.header, v.audience);
}
