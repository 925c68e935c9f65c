import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import type { Logger } from '@liaison/core';
import { isLiaisonError } from '@liaison/core';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { CONSOLE_CSS } from '../console-css.js';
import { type Html, html, page } from '../html.js';
import { cookieOptions, refuse, SECURITY_HEADERS, sameOrigin } from '../security.js';
import type { AuditorBackend } from './auditor-backend.js';
import { noticePage, overviewPage, type Period, stationsPage, verifyPage } from './pages-audit.js';
import { VerifyJobs } from './verify-jobs.js';

export interface AuditorConsoleOptions {
  backend: AuditorBackend;
  logger: Logger;
  /**
   * The one-time login secret the auditor tool printed at start (≥ 32 characters): the
   * console serves one auditor on 127.0.0.1, with that auditor's own exchange identity.
   */
  loginSecret: string;
  secureCookies?: boolean;
  /** Sessions last this long (default 30 minutes). */
  sessionMs?: number;
}

interface AuditSession {
  csrf: string;
  expires: number;
}

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_FAILURES = 5;
const LOCK_MS = 15 * 60_000;

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * The auditor's console (docs/decisions/0016): served by the auditor's own tool, not by
 * an agency station, because auditing reads the exchange's whole audit log with an
 * identity holding the registry's `auditor` role, which no station has. Same stack and
 * rules as the station's console: server-rendered pages, no script, the strict CSP,
 * `no-store`, CSRF tokens, request lines with the route pattern only. Progress of a
 * verification is shown by a page that reloads itself (no script, CSP unchanged).
 */
export async function buildAuditorConsole(o: AuditorConsoleOptions): Promise<FastifyInstance> {
  if (o.loginSecret.length < 32) throw new Error('the login secret must have at least 32 characters');
  const secure = o.secureCookies ?? true;
  // Not the station's names: a station and an auditor console on the same host share cookies across ports.
  const names = secure
    ? { session: '__Host-liaison-audit-session', login: '__Host-liaison-audit-login' }
    : { session: 'liaison-audit-session', login: 'liaison-audit-login' };
  const sessions = new Map<string, AuditSession>();
  const jobs = new VerifyJobs((p) => o.backend.verify(p));
  const failures = { count: 0, lockedUntil: 0 };
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024, trustProxy: false });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
  app.addHook('onSend', async (_req, reply, payload) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) reply.header(k, v);
    return payload;
  });
  app.addHook('onResponse', async (req, reply) => {
    o.logger.info(
      { method: req.method, route: req.routeOptions.url ?? 'unknown', status: reply.statusCode },
      'request',
    );
  });

  const send = (
    reply: FastifyReply,
    s: AuditSession | undefined,
    title: string,
    body: Html,
    refresh?: number,
  ) =>
    reply.type('text/html; charset=utf-8').send(
      page(
        {
          title,
          brand: 'Liaison audit',
          agency: o.backend.auditor,
          ...(s
            ? {
                officer: { displayName: o.backend.auditor, role: 'auditor' },
                csrf: s.csrf,
                nav: [
                  { href: '/audit', label: 'Overview' },
                  { href: '/audit/stations', label: 'Station checkpoints' },
                ],
              }
            : {}),
          ...(refresh ? { refreshSeconds: refresh } : {}),
        },
        body,
      ),
    );

  const auth = (req: FastifyRequest, reply: FastifyReply): (AuditSession & { token: string }) | undefined => {
    const token = req.cookies[names.session] ?? '';
    const s = sessions.get(token);
    if (!s || s.expires < Date.now()) {
      sessions.delete(token);
      if (req.method === 'GET') reply.redirect('/login', 303);
      else refuse(reply, 401, 'log in first');
      return undefined;
    }
    if (req.method === 'POST') {
      const posted = (req.body as Record<string, unknown> | undefined)?._csrf;
      const ok =
        typeof posted === 'string' &&
        posted.length === s.csrf.length &&
        timingSafeEqual(Buffer.from(posted), Buffer.from(s.csrf));
      if (!sameOrigin(req) || !ok) {
        refuse(reply, 403, 'the form has expired; reload the page');
        return undefined;
      }
    }
    return { ...s, token };
  };
  const failed = (req: FastifyRequest, reply: FastifyReply, err: unknown) => {
    const code = isLiaisonError(err) ? err.code : undefined;
    o.logger.warn({ route: req.routeOptions.url, code }, 'audit request failed');
    return refuse(
      reply,
      code === 'NOT_AN_AUDITOR' ? 403 : 502,
      `the audit log could not be read${code ? ` (${code})` : ''}`,
    );
  };

  app.get('/static/console.css', (_req, reply) => reply.type('text/css; charset=utf-8').send(CONSOLE_CSS));
  app.get('/', (_req, reply) => reply.redirect('/audit', 303));
  app.get('/login', (_req, reply) => {
    const token = randomBytes(32).toString('base64url');
    reply.setCookie(names.login, token, cookieOptions(secure, 600));
    return send(
      reply,
      undefined,
      'Log in',
      html`<form method="post" action="/login" class="login"><input type="hidden" name="_login" value="${token}">
        <label>Login secret (printed by the auditor tool)<input type="password" name="secret" required autocomplete="off"></label>
        <button type="submit">Log in</button></form>`,
    );
  });
  app.post('/login', (req, reply) => {
    const cookie = req.cookies[names.login] ?? '';
    const posted = (req.body as Record<string, unknown> | undefined)?._login;
    const tokenOk =
      typeof posted === 'string' &&
      cookie.length > 0 &&
      posted.length === cookie.length &&
      timingSafeEqual(Buffer.from(posted), Buffer.from(cookie));
    if (!sameOrigin(req) || !tokenOk) return refuse(reply, 403, 'the form has expired; reload the page');
    if (failures.lockedUntil > Date.now()) return refuse(reply, 423, 'locked; try later');
    const secret = (req.body as Record<string, unknown> | undefined)?.secret;
    if (typeof secret !== 'string' || !timingSafeEqual(digest(secret), digest(o.loginSecret))) {
      if (++failures.count >= MAX_FAILURES) failures.lockedUntil = Date.now() + LOCK_MS;
      o.logger.warn({ failures: failures.count }, 'audit console login refused');
      return refuse(reply, 401, 'wrong login secret');
    }
    failures.count = 0;
    sessions.delete(req.cookies[names.session] ?? '');
    const token = randomBytes(32).toString('base64url');
    sessions.set(token, {
      csrf: randomBytes(32).toString('base64url'),
      expires: Date.now() + (o.sessionMs ?? 30 * 60_000),
    });
    reply.clearCookie(names.login, cookieOptions(secure));
    reply.setCookie(names.session, token, cookieOptions(secure));
    return reply.redirect('/audit', 303);
  });
  app.post('/logout', (req, reply) => {
    const s = auth(req, reply);
    if (!s) return reply;
    sessions.delete(s.token);
    reply.clearCookie(names.session, cookieOptions(secure));
    return reply.redirect('/login', 303);
  });

  app.get('/audit', async (req, reply) => {
    const s = auth(req, reply);
    if (!s) return reply;
    const q = (req.query ?? {}) as Record<string, unknown>;
    const period: Period = {
      ...(typeof q.from === 'string' && DAY.test(q.from) ? { from: q.from } : {}),
      ...(typeof q.to === 'string' && DAY.test(q.to) ? { to: q.to } : {}),
    };
    try {
      const range = {
        ...(period.from ? { from: new Date(`${period.from}T00:00:00Z`) } : {}),
        ...(period.to ? { to: new Date(`${period.to}T00:00:00Z`) } : {}),
      };
      const [stats, history] = await Promise.all([o.backend.stats(range), o.backend.history({})]);
      const rows = history.filter(
        (r) =>
          (!range.from || Date.parse(r.at) >= range.from.getTime()) &&
          (!range.to || Date.parse(r.at) < range.to.getTime()),
      );
      return send(reply, s, 'Audit', overviewPage({ period, stats, rows, csrf: s.csrf }));
    } catch (err) {
      return failed(req, reply, err);
    }
  });
  app.post('/audit/verify', (req, reply) => {
    const s = auth(req, reply);
    if (!s) return reply;
    const job = jobs.start(s.token);
    return reply.redirect(`/audit/verify/${job.id}`, 303);
  });
  app.get<{ Params: { id: string } }>('/audit/verify/:id', (req, reply) => {
    const s = auth(req, reply);
    if (!s) return reply;
    const job = jobs.get(req.params.id, s.token);
    if (!job) return refuse(reply, 404, 'no such verification');
    return send(reply, s, 'Audit log verification', verifyPage(job), job.finishedAt ? undefined : 1);
  });
  app.get('/audit/notice', async (req, reply) => {
    const s = auth(req, reply);
    if (!s) return reply;
    const id = (req.query as Record<string, unknown> | undefined)?.id;
    if (typeof id !== 'string' || !ID.test(id)) return refuse(reply, 400, 'give a notice id');
    try {
      const rows = await o.backend.history({ notice: id });
      const proof = rows.length ? await o.backend.prove(id) : undefined;
      return send(reply, s, 'Notice history and proofs', noticePage(id, rows, proof));
    } catch (err) {
      return failed(req, reply, err);
    }
  });
  app.get('/audit/stations', async (req, reply) => {
    const s = auth(req, reply);
    if (!s) return reply;
    try {
      return send(reply, s, 'Station checkpoints', stationsPage(await o.backend.stationCheckpoints()));
    } catch (err) {
      return failed(req, reply, err);
    }
  });
  return app;
}
