import type { FastifyInstance } from 'fastify';
import type { InboxFilter } from '../inbox.js';
import { can, type Purpose } from '../roles.js';
import { authenticate, type ConsoleContext, errorReply, field, sendPage } from './context.js';
import { html } from './html.js';
import { conversationActions } from './pages-conversation.js';
import { type FilterForm, inboxPage } from './pages-inbox.js';
import { noticeView, openForm } from './pages-notice.js';

const ID = /^[0-9a-f-]{36}$/;

function toFilter(q: FilterForm): InboxFilter {
  const f: InboxFilter = {};
  if (q.kind) f.kind = q.kind;
  if (q.caseReference) f.caseReference = q.caseReference;
  if (q.sender) f.sender = q.sender;
  if (q.crimeArea) f.crimeArea = q.crimeArea;
  if (q.priority === 'urgent' || q.priority === 'non-urgent') f.priority = q.priority;
  if (q.from) f.from = q.from;
  if (q.to) f.to = q.to;
  if (q.unread === 'unread') f.unread = true;
  if (q.unread === 'read') f.unread = false;
  return f;
}

const justification = (body: unknown) => {
  const note = field(body, 'note');
  return { purpose: field(body, 'purpose') as Purpose, ...(note ? { note } : {}) };
};

/** The officer's pages: the inbox with its filters, opening a notice, exporting it. */
export function inboxRoutes(app: FastifyInstance, c: ConsoleContext): void {
  app.get('/', (_req, reply) => reply.redirect('/inbox', 303));

  app.get('/inbox', (req, reply) => {
    const a = authenticate(c, req, reply, 'inbox.list');
    if (!a) return reply;
    const q = (req.query ?? {}) as FilterForm;
    try {
      const lines = c.station.search(a.officer, toFilter(q), {
        purpose: (q.purpose ?? 'routine-review') as Purpose,
      });
      return sendPage(c, reply, a, 'Inbox', inboxPage(lines, q, c.station.inbox.count()));
    } catch (err) {
      return errorReply(c, req, reply, err);
    }
  });

  app.get<{ Params: { id: string } }>('/notices/:id', (req, reply) => {
    const a = authenticate(c, req, reply, 'inbox.list');
    if (!a) return reply;
    if (!ID.test(req.params.id))
      return reply.code(404).type('text/plain; charset=utf-8').send('no such notice');
    try {
      const line = c.station.inbox.entry(req.params.id);
      if (!can(a.officer.role, 'notice.open'))
        return sendPage(c, reply, a, 'Notice', html`<p>Your role does not open notice content.</p>`, 403);
      return sendPage(c, reply, a, 'Open a notice', openForm(line, a.session.csrf));
    } catch (err) {
      return errorReply(c, req, reply, err);
    }
  });

  app.post<{ Params: { id: string } }>('/notices/:id/open', async (req, reply) => {
    const a = authenticate(c, req, reply, 'notice.open');
    if (!a) return reply;
    try {
      const { notice, entry } = await c.station.openNotice(a.officer, req.params.id, justification(req.body));
      const view = noticeView(notice, {
        csrf: a.session.csrf,
        canExport: can(a.officer.role, 'notice.export'),
        accessSeq: entry.entry.seq,
      });
      const body = can(a.officer.role, 'notice.publish')
        ? html`${view}${conversationActions(notice, a.session.csrf)}`
        : view;
      return sendPage(c, reply, a, `${notice.kind} from ${notice.sender}`, body);
    } catch (err) {
      return errorReply(c, req, reply, err);
    }
  });

  app.post<{ Params: { id: string } }>('/notices/:id/export', (req, reply) => {
    const a = authenticate(c, req, reply, 'notice.export');
    if (!a) return reply;
    try {
      const recipients = (field(req.body, 'recipients') ?? '').split(',');
      const { notice, entry } = c.station.exportNotice(a.officer, req.params.id, {
        ...justification(req.body),
        recipients,
      });
      return reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="notice-${notice.noticeId}.json"`)
        .send(JSON.stringify({ disclosure: entry.entry, notice }, null, 2));
    } catch (err) {
      return errorReply(c, req, reply, err);
    }
  });
}
