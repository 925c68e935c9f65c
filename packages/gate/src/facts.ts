import { markingsFromHeader } from '@liaison/envelope';
import type { LayerName, NoticeKind } from '@liaison/notice';
import { type NoticeFacts, noticeFacts } from '@liaison/policy';
import type { Audience, NoticeHeader } from '@liaison/wire';

/** The policy's view of a verified header and audience (no content). */
export function factsFromHeader(header: NoticeHeader, audience: Audience | undefined): NoticeFacts {
  return noticeFacts({
    sender: header.sender,
    kind: header.kind as NoticeKind,
    createdAt: Number(header.createdAtMs),
    markings: markingsFromHeader(header)!,
    layers: header.layers.map((l) => l.name as LayerName),
    audience: {
      recipients: audience?.recipients ?? [],
      allow: audience?.allow ?? [],
      deny: audience?.deny ?? [],
    },
  });
}
