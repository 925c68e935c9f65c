import { inheritMarkings, type LiaisonClient, type NoticeRef, type PublishOptions } from '@liaison/client';
import type { AudienceRequest, ProvenanceRequest, SubmissionReceipt } from '@liaison/envelope';
import type { NoticeInput } from '@liaison/notice';
import { StationError } from './errors.js';
import type { StoredNotice } from './stored-notice.js';

/**
 * What an officer does with a delivered notice (docs/conversations.md): reply to it,
 * forward it onward, answer an information request, send a request; ask its provider for
 * onward permission, or (as the provider) grant or refuse one. Each goes through the
 * SDK's conversation operations (`client.conversation`), which set the provenance and
 * inherit the strictest markings; the gate refuses anything weaker.
 */
export const RELATIONS = ['reply', 'forward', 'answer', 'request'] as const;
export type Relation = (typeof RELATIONS)[number];

/** A conversation notice being written: its relation and the notices it names. */
export interface ConversationIntent {
  relation: Relation;
  /** The delivered notice answered or forwarded (absent for a request). */
  original?: StoredNotice;
  /** A forward's cited grant: the provider's onward-permission notice, as this agency received it. */
  permission?: StoredNotice;
}

/** What the SDK's conversation operations take of a stored delivery. */
export function refOf(n: StoredNotice): NoticeRef {
  return {
    noticeId: n.noticeId,
    sender: n.sender,
    kind: n.kind,
    markings: n.markings,
    headerSha256: new Uint8Array(Buffer.from(n.provenance.headerSha256, 'hex')),
    conversation: n.conversation ?? {},
  };
}

/** The notice a relation needs, or INVALID_INPUT (an answer only to a request). */
export function checkIntent(i: ConversationIntent): void {
  if (i.relation !== 'request' && !i.original) throw new StationError('INVALID_INPUT', 'name the notice');
  if (i.relation === 'answer' && i.original?.kind !== 'information-request')
    throw new StationError('INVALID_INPUT', 'only an information request is answered');
  if (i.permission && i.permission.kind !== 'onward-permission')
    throw new StationError('INVALID_INPUT', 'not a permission notice');
}

/** The form's starting markings: the original's strictest markings carried over (what the SDK will send at least). */
export function inheritedMarkings(original: StoredNotice, kind: string): Record<string, unknown> {
  const base = { priority: original.markings.priority, evaluation: original.markings.evaluation };
  const m = inheritMarkings(original.markings, { kind, markings: base, body: {} }).markings;
  return { ...m, crimeAreas: original.markings.crimeAreas };
}

/** The provenance the plan is asked with, so the gate applies the same ceiling before sealing. */
export function provenanceFor(i: ConversationIntent): ProvenanceRequest | undefined {
  if (!i.original || i.relation === 'request') return undefined;
  const ref = refOf(i.original);
  return {
    relation: i.relation === 'forward' ? 'forward' : 'reply',
    noticeId: ref.noticeId,
    headerSha256: ref.headerSha256,
    ...(i.permission
      ? { permission: { noticeId: i.permission.noticeId, headerSha256: refOf(i.permission).headerSha256 } }
      : {}),
  };
}

/** The audience a relation implies: a reply and an answer go to the original's provider unless the officer named others. */
export function audienceFor(i: ConversationIntent, asked: AudienceRequest): AudienceRequest {
  if ((i.relation === 'reply' || i.relation === 'answer') && !asked.recipients?.length)
    return { ...asked, recipients: [i.original!.sender] };
  return asked;
}

/** Publishes through the SDK's conversation operation for the relation. */
export function sendConversation(
  client: LiaisonClient,
  i: ConversationIntent,
  notice: NoticeInput,
  audience: AudienceRequest,
  options: Omit<PublishOptions, 'provenance'>,
): Promise<SubmissionReceipt> {
  const draft = notice as { kind: string; markings: Record<string, unknown>; body: Record<string, unknown> };
  const c = client.conversation;
  switch (i.relation) {
    case 'reply':
      return c.reply(refOf(i.original!), draft, audience, options);
    case 'forward':
      return c.forward(refOf(i.original!), draft, audience, {
        ...options,
        ...(i.permission ? { permission: refOf(i.permission) } : {}),
      });
    case 'answer':
      return c.answer(refOf(i.original!), draft, options);
    case 'request':
      return c.request(draft, audience.recipients ?? [], options);
  }
}
