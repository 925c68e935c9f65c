import { markingsFromHeader } from '@liaison/envelope';
import type { LayerName, NoticeKind } from '@liaison/notice';
import { AmendmentAction, type Audience, type NoticeHeader } from '@liaison/wire';
import { type NoticeFacts, noticeFacts } from './facts.js';

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
