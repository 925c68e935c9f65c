import { isNoticeKind, type NoticeKind } from '@liaison/notice';
import type { FastifyInstance } from 'fastify';
import type { SentDraft } from '../publishing.js';
import type { Purpose } from '../roles.js';
import { authenticate, type ConsoleContext, errorReply, field, sendPage } from './context.js';
import { html } from './html.js';
import { conversationForm, inheritedValues, REPLY_KINDS } from './pages-conversation.js';
import { publishForm } from './pages-publish.js';

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FORMS = ['reply', 'forward', 'answer'] as const;
type FormRelation = (typeof FORMS)[number];

const justification = (body: unknown) => {
  const note = field(body, 'note');
  return { purpose: field(body, 'purpose') as Purpose, ...(note ? { note } : {}) };
};

const sentBody = (r: SentDraft) =>
  html`<p class="ok" role="status">Sent: notice <code>${r.noticeId}</code>, ${
    r.receipt
      ? html`accepted by the gate for ${r.receipt.recipients.length} recipients`
      : html`queued in the site's outbox: it goes to the exchange when the link to it is back`
  }. The disclosure is access log entry #${r.entry.entry.seq}.</p>
    <p><a href="/sent/${r.noticeId}">Receipts per recipient</a></p>`;

/**
 * Replies, forwards, answers and onward permission from a delivered notice: forms built
 * like the publish form (the kind's schema), starting from the inherited markings; the
 * preview and sending are the publish form's (`/publish/preview`, `/publish/send`).
 */
export function conversationRoutes(app: FastifyInstance, c: ConsoleContext): void {
  app.get<{ Params: { id: string; relation: string } }>('/notices/:id/:relation', (req, reply) => {
    const a = authenticate(c, req, reply, 'notice.publish');
    if (!a) return reply;
    const { id, relation } = req.params;
    if (!ID.test(id) || !(FORMS as readonly string[]).includes(relation))
      return reply.code(404).type('text/plain; charset=utf-8').send('no such page');
    const rel = relation as FormRelation;
    const asked = (req.query as { kind?: string } | undefined)?.kind ?? '';
    const kind: NoticeKind =
      rel === 'answer'
        ? 'answer'
        : isNoticeKind(asked) && REPLY_KINDS.includes(asked)
          ? asked
          : 'threat-notice';
    try {
      const original = c.station.inbox.entry(id);
      if (rel === 'answer' && original.kind !== 'information-request')
        return reply
          .code(400)
          .type('text/plain; charset=utf-8')
          .send('only an information request is answered');
      const permission = rel === 'forward' ? c.station.grantFor(id) : undefined;
      const conv = { relation: rel, originalId: id, ...(permission ? { permissionId: permission } : {}) };
      const fc = conversationForm(c, a.officer, conv, kind);
      const values = inheritedValues(c.station.conversationStart(a.officer, id, kind).inherited);
      const title = rel === 'answer' ? 'Answer a request' : rel === 'forward' ? 'Forward a notice' : 'Reply';
      return sendPage(c, reply, a, title, publishForm(kind, a.session.csrf, values, undefined, fc));
    } catch (err) {
      return errorReply(c, req, reply, err);
    }
  });

  app.post<{ Params: { id: string } }>('/notices/:id/permission', async (req, reply) => {
    const a = authenticate(c, req, reply, 'notice.publish');
    if (!a) return reply;
    try {
      const recipients = (field(req.body, 'recipients') ?? '').split(',');
      const sent = await c.station.requestPermission(
        a.officer,
        req.params.id,
        recipients,
        justification(req.body),
      );
      return sendPage(c, reply, a, 'Permission requested', sentBody(sent));
    } catch (err) {
      return errorReply(c, req, reply, err);
    }
  });

  app.post<{ Params: { id: string } }>('/notices/:id/permission-decision', async (req, reply) => {
    const a = authenticate(c, req, reply, 'notice.publish');
    if (!a) return reply;
    const decision = field(req.body, 'decision');
    if (decision !== 'granted' && decision !== 'refused')
      return reply.code(400).type('text/plain; charset=utf-8').send('grant or refuse');
    try {
      const sent = await c.station.decidePermission(
        a.officer,
        req.params.id,
        decision,
        justification(req.body),
      );
      return sendPage(
        c,
        reply,
        a,
        decision === 'granted' ? 'Permission granted' : 'Permission refused',
        sentBody(sent),
      );
    } catch (err) {
      return errorReply(c, req, reply, err);
    }
  });
}
