import type { FastifyInstance } from 'fastify';
import { authenticate, type ConsoleContext, errorReply, sendPage } from './context.js';
import { dpoPage, noticeAccessPage } from './pages-dpo.js';

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The DPO's and auditor's figures, pictures and a notice's access history with proofs. */
export function dpoRoutes(app: FastifyInstance, c: ConsoleContext): void {
  app.get('/dpo', (req, reply) => {
    const a = authenticate(c, req, reply, 'accesslog.figures');
    if (!a) return reply;
    try {
      return sendPage(c, reply, a, 'Figures and proofs', dpoPage(c.station.dpoOverview(a.officer)));
    } catch (err) {
      return errorReply(c, req, reply, err);
    }
  });

  app.get('/dpo/notice', (req, reply) => {
    const a = authenticate(c, req, reply, 'accesslog.figures');
    if (!a) return reply;
    const id = (req.query as Record<string, unknown> | undefined)?.id;
    if (typeof id !== 'string' || !ID.test(id))
      return reply.code(400).type('text/plain; charset=utf-8').send('give a notice id');
    try {
      const entries = c.station.accessLog(a.officer, { noticeId: id, limit: 10_000 }).reverse();
      const rows = entries.map((entry) => ({
        entry,
        proof: c.station.accessProof(a.officer, entry.entry.seq).proof,
      }));
      const body = noticeAccessPage(id, rows, c.station.log.signedCheckpoint());
      return sendPage(c, reply, a, 'Access history and proofs', body);
    } catch (err) {
      return errorReply(c, req, reply, err);
    }
  });
}
