import { conversationFromHeader, markingsFromHeader } from '@liaison/envelope';
import type { LayerName, NoticeKind } from '@liaison/notice';
import { AmendmentAction, type Audience, type NoticeHeader } from '@liaison/wire';
import { type NoticeFacts, noticeFacts } from './facts.js';
import type { OriginFacts, PermissionFacts } from './provenance.js';

/**
 * The policy's view of a signed header and its audience (no content): what the gate
 * decides on, and what an auditor re-derives the gate's decisions from — one
 * function, so that both read a header the same way.
 */
export function factsFromHeader(header: NoticeHeader, audience: Audience | undefined): NoticeFacts {
  const facts = noticeFacts({
    sender: header.sender,
    kind: header.kind as NoticeKind,
    createdAt: Number(header.createdAtMs),
    markings: markingsFromHeader(header)!,
    layers: header.layers.map((l) => l.name as LayerName),
    // The sender's review date is set exactly when the notice holds personal data.
    personalData: header.reviewAtMs > 0n,
    audience: {
      recipients: audience?.recipients ?? [],
      allow: audience?.allow ?? [],
      deny: audience?.deny ?? [],
      pnrTransfers: (audience?.pnrTransfers ?? []).map((t) => ({
        recipient: t.recipient,
        ground: t.ground,
        originPiu: t.originPiu,
        consentReference: t.consentReference,
        dpoNotifiedAt: Number(t.dpoNotifiedAtMs),
        dpoReference: t.dpoReference,
      })),
    },
  });
  const a = header.amendment?.action;
  if (a === AmendmentAction.RECTIFICATION) facts.amendment = 'rectification';
  if (a === AmendmentAction.ERASURE_REQUEST) facts.amendment = 'erasure-request';
  return facts;
}

/** What a reply or forward names, read from the stores the gate (ledger) or an auditor (entry) holds. */
export interface OriginRecord {
  /** The answered / forwarded notice's signed header and its audience. */
  header: NoticeHeader;
  audience: Audience | undefined;
  /** Whom the gate delivered it to. */
  recipients: readonly string[];
  /** The header of the onward-permission notice the forward cites, if any. */
  permission?: NoticeHeader;
}

export type PermissionCode = 'PERMISSION_INVALID';

/**
 * The provider's grant a forward cites, checked: an onward-permission notice of the
 * notice's own provider, decision granted, for this notice (id and header digest) and
 * this grantee. PERMISSION_INVALID otherwise (a request, a refusal, someone else's).
 */
export function permissionOf(
  permission: NoticeHeader,
  origin: NoticeHeader,
  originSha256: string,
  grantee: string,
): PermissionFacts | PermissionCode {
  const t = conversationFromHeader(permission)?.permission;
  if (
    permission.kind !== 'onward-permission' ||
    !t ||
    t.decision !== 'granted' ||
    permission.sender !== origin.sender ||
    t.noticeId !== origin.noticeId ||
    t.noticeHeaderSha256 !== originSha256 ||
    t.grantee !== grantee
  )
    return 'PERMISSION_INVALID';
  const p: PermissionFacts = {
    noticeId: permission.noticeId,
    provider: permission.sender,
    grantee: t.grantee,
    recipients: t.recipients,
  };
  if (t.validUntil) p.validUntil = Date.parse(t.validUntil);
  return p;
}

/**
 * The facts of a reply or forward with what it answers or forwards. The caller has
 * checked that `origin.header` is the one the reply's provenance names (id and digest).
 */
export function factsWithOrigin(
  header: NoticeHeader,
  audience: Audience | undefined,
  origin: OriginRecord,
): NoticeFacts | PermissionCode {
  const facts = factsFromHeader(header, audience);
  const terms = conversationFromHeader(header)?.provenance;
  if (!terms) return facts;
  const o: OriginFacts = {
    noticeId: origin.header.noticeId,
    relation: terms.relation,
    facts: factsFromHeader(origin.header, origin.audience),
    recipients: origin.recipients,
  };
  if (origin.permission) {
    const p = permissionOf(origin.permission, origin.header, terms.headerSha256, header.sender);
    if (typeof p === 'string') return p;
    o.permission = p;
  }
  facts.origin = o;
  return facts;
}
