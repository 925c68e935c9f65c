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

  // For an auditor checking this log against the checkpoints the exchange recorded
  // (`checkStationLog`): the signed checkpoint now and the RFC 9162 consistency proof from
  // a recorded size to it.
  app.get('/dpo/consistency', (req, reply) => {
    const a = authenticate(c, req, reply, 'accesslog.figures');
    if (!a) return reply;
    const from = Number((req.query as Record<string, unknown> | undefined)?.from);
    try {
      const view = c.station.logView(a.officer);
      if (!Number.isInteger(from) || from < 1 || from > view.size)
        return reply.code(400).type('text/plain; charset=utf-8').send('from: a recorded log size');
      const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
      return reply.type('application/json; charset=utf-8').send(
        JSON.stringify({
          from,
          size: view.size,
          root: hex(view.root),
          proof: view.consistencyProof(from).map(hex),
          checkpoint: c.station.log.signedCheckpoint(view.size),
        }),
      );
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
