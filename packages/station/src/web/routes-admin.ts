import type { FastifyInstance } from 'fastify';
import type { AccessAction } from '../access-log.js';
import type { Role } from '../roles.js';
import { authenticate, type ConsoleContext, errorReply, field, sendPage } from './context.js';
import { accessLogPage, officersPage } from './pages-admin.js';

/** The data protection officer's access log and the administrator's accounts. */
export function adminRoutes(app: FastifyInstance, c: ConsoleContext): void {
  app.get('/access-log', (req, reply) => {
    const a = authenticate(c, req, reply, 'accesslog.read');
    if (!a) return reply;
    const q = (req.query ?? {}) as { action?: string; notice?: string; officer?: string };
    try {
      const entries = c.station.accessLog(a.officer, {
        ...(q.action ? { action: q.action as AccessAction } : {}),
        ...(q.notice ? { noticeId: q.notice } : {}),
        ...(q.officer ? { officerId: q.officer } : {}),
      });
      const officers = new Map(c.station.officers.list().map((o) => [o.id, o]));
      const body = accessLogPage(entries, {
        checkpoint: c.station.log.signedCheckpoint(),
        verified: c.station.verifyAccessLog(a.officer),
        officers,
      });
      return sendPage(c, reply, a, 'Access log', body);
    } catch (err) {
      return errorReply(c, req, reply, err);
    }
  });

  app.get<{ Params: { seq: string } }>('/access-log/:seq/proof', (req, reply) => {
    const a = authenticate(c, req, reply, 'accesslog.read');
    if (!a) return reply;
    try {
      const seq = Number(req.params.seq);
      const entry = c.station.accessLog(a.officer, { limit: 1_000_000 }).find((e) => e.entry.seq === seq);
      const proof = c.station.accessProof(a.officer, seq);
      return reply.type('application/json; charset=utf-8').send(JSON.stringify({ entry, ...proof }, null, 2));
    } catch (err) {
      return errorReply(c, req, reply, err);
    }
  });

  app.get('/officers', (req, reply) => {
    const a = authenticate(c, req, reply, 'officers.manage');
    if (!a) return reply;
    return sendPage(c, reply, a, 'Officers', officersPage(c.station.listOfficers(a.officer), a.session.csrf));
  });

  app.post('/officers', async (req, reply) => {
    const a = authenticate(c, req, reply, 'officers.manage');
    if (!a) return reply;
    try {
      const created = await c.station.createOfficer(a.officer, {
        username: field(req.body, 'username') ?? '',
        displayName: field(req.body, 'displayName') ?? '',
        role: (field(req.body, 'role') ?? '') as Role,
        password: field(req.body, 'password') ?? '',
      });
      const body = officersPage(
        c.station.listOfficers(a.officer),
        a.session.csrf,
        `Created ${created.username}.`,
      );
      return sendPage(c, reply, a, 'Officers', body);
    } catch (err) {
      return errorReply(c, req, reply, err);
    }
  });

  app.post<{ Params: { id: string } }>('/officers/:id/unlock', (req, reply) => {
    const a = authenticate(c, req, reply, 'officers.manage');
    if (!a) return reply;
    c.station.unlockOfficer(a.officer, req.params.id);
    return reply.redirect('/officers', 303);
  });
}
