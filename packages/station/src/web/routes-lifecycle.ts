import type { FastifyInstance } from 'fastify';
import { StationError } from '../errors.js';
import { can, type Purpose } from '../roles.js';
import { authenticate, type ConsoleContext, errorReply, field, sendPage } from './context.js';
import { amendmentsPage, redisclosureForm, reviewsPage } from './pages-lifecycle.js';
import { noticeView } from './pages-notice.js';

const ID = /^[0-9a-f-]{36}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** A form's date (YYYY-MM-DD) as an ISO time at midnight UTC, or undefined. */
const isoDay = (v: string | undefined) => (v && DATE.test(v) ? `${v}T00:00:00.000Z` : undefined);

/** The review list and decisions, PNR re-disclosure, and amendments received and sent. */
export function lifecycleRoutes(app: FastifyInstance, c: ConsoleContext): void {
  const lifecycle = c.station.lifecycle;
  const defaultBefore = () => new Date(Date.now() + 30 * DAY_MS).toISOString().slice(0, 10);

  app.get('/reviews', (req, reply) => {
    const a = authenticate(c, req, reply, 'review.list');
    if (!a) return reply;
    const q = (req.query ?? {}) as Record<string, string | undefined>;
    const before = q.before && DATE.test(q.before) ? q.before : defaultBefore();
    try {
      const lines = lifecycle.reviewsDue(a.officer, { before: Date.parse(`${before}T23:59:59.999Z`) });
      const masked = can(a.officer.role, 'pnr.redisclose') ? lifecycle.maskedNotices(a.officer) : undefined;
      const recorded = q.recorded && ID.test(q.recorded) ? q.recorded : undefined;
      const body = reviewsPage(lines, {
        before,
        csrf: a.session.csrf,
        canDecide: can(a.officer.role, 'review.decide'),
        masked,
        ...(recorded ? { recorded } : {}),
      });
      return sendPage(c, reply, a, 'Reviews', body);
    } catch (err) {
      return errorReply(c, req, reply, err);
    }
  });

  app.post<{ Params: { id: string } }>('/reviews/:id', (req, reply) => {
    const a = authenticate(c, req, reply, 'review.decide');
    if (!a) return reply;
    try {
      if (!ID.test(req.params.id)) throw new StationError('NOT_FOUND', 'no such notice to review');
      const decision = field(req.body, 'decision');
      const reason = field(req.body, 'reason') ?? '';
      const until = isoDay(field(req.body, 'until'));
      lifecycle.recordReview(
        a.officer,
        req.params.id,
        decision === 'keep'
          ? { decision: 'keep', reason, until: until ?? '' }
          : { decision: 'expire', reason },
      );
      const before = field(req.body, 'before');
      const back = `/reviews?${new URLSearchParams({ ...(before && DATE.test(before) ? { before } : {}), recorded: req.params.id })}`;
      return reply.redirect(back, 303);
    } catch (err) {
      return errorReply(c, req, reply, err);
    }
  });

  app.get<{ Params: { id: string } }>('/notices/:id/redisclose', (req, reply) => {
    const a = authenticate(c, req, reply, 'pnr.redisclose');
    if (!a) return reply;
    try {
      const line = lifecycle.maskedNotices(a.officer).find((l) => l.entry.noticeId === req.params.id);
      if (!line) throw new StationError('NOT_FOUND', 'no masked notice with this id');
      return sendPage(c, reply, a, 'Re-disclose masked PNR data', redisclosureForm(line, a.session.csrf));
    } catch (err) {
      return errorReply(c, req, reply, err);
    }
  });

  app.post<{ Params: { id: string } }>('/notices/:id/redisclose', (req, reply) => {
    const a = authenticate(c, req, reply, 'pnr.redisclose');
    if (!a) return reply;
    try {
      const note = field(req.body, 'note');
      const { notice, entry } = lifecycle.redisclose(a.officer, req.params.id, {
        authorisation: {
          authority: field(req.body, 'authority') ?? '',
          reference: field(req.body, 'reference') ?? '',
          decidedAt: isoDay(field(req.body, 'decidedAt')) ?? '',
        },
        purpose: field(req.body, 'purpose') as Purpose,
        ...(note ? { note } : {}),
      });
      const body = noticeView(notice, { csrf: a.session.csrf, canExport: false, accessSeq: entry.entry.seq });
      return sendPage(c, reply, a, `${notice.kind} from ${notice.sender} (re-disclosed)`, body);
    } catch (err) {
      return errorReply(c, req, reply, err);
    }
  });

  app.get('/amendments', async (req, reply) => {
    const a = authenticate(c, req, reply, 'review.list');
    if (!a) return reply;
    const q = (req.query ?? {}) as Record<string, string | undefined>;
    try {
      const received = lifecycle.amendmentsReceived(a.officer);
      const canSeeSent = can(a.officer.role, 'outbox.read');
      const sent = canSeeSent && q.sent && ID.test(q.sent) ? q.sent : undefined;
      const status = sent ? await c.station.amendmentStatus(a.officer, sent) : undefined;
      const body = amendmentsPage(received, {
        canSeeSent,
        ...(sent ? { sent } : {}),
        ...(status ? { status } : {}),
      });
      return sendPage(c, reply, a, 'Amendments', body);
    } catch (err) {
      return errorReply(c, req, reply, err);
    }
  });
}
