import { randomBytes, timingSafeEqual } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import type { Logger } from '@liaison/core';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Station } from '../station.js';
import { CONSOLE_CSS } from './console-css.js';
import { authenticate, type ConsoleContext, field, sendPage } from './context.js';
import { loginPage } from './pages-admin.js';
import { adminRoutes } from './routes-admin.js';
import { conversationRoutes } from './routes-conversation.js';
import { dpoRoutes } from './routes-dpo.js';
import { inboxRoutes } from './routes-inbox.js';
import { lifecycleRoutes } from './routes-lifecycle.js';
import { publishRoutes } from './routes-publish.js';
import { cookieNames, cookieOptions, refuse, SECURITY_HEADERS, sameOrigin } from './security.js';

export interface ConsoleOptions {
  logger: Logger;
  /** Secure (`__Host-`) cookies; default true. Off only for a development setup over plain http on a non-loopback name. */
  secureCookies?: boolean;
}

const LOGIN_MAX_AGE_S = 600;

/**
 * The station's web console (Fastify, server-rendered HTML, no script). Routes
 * only parse, call the station's operations and present; request lines are
 * logged with the route pattern, never the URL or its query.
 */
export async function buildConsole(station: Station, o: ConsoleOptions): Promise<FastifyInstance> {
  const secure = o.secureCookies ?? true;
  const c: ConsoleContext = { station, logger: o.logger, cookies: cookieNames(secure), secure };
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024, trustProxy: false });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);

  app.addHook('onSend', async (_req, reply, payload) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) reply.header(k, v);
    return payload;
  });
  app.addHook('onResponse', async (req, reply) => {
    o.logger.info(
      {
        method: req.method,
        route: req.routeOptions.url ?? 'unknown',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });

  app.get('/static/console.css', (_req, reply) => reply.type('text/css; charset=utf-8').send(CONSOLE_CSS));

  app.get('/login', (_req, reply) => {
    // Login CSRF: a random token in a SameSite=Strict cookie and in the form (double submit).
    const token = randomBytes(32).toString('base64url');
    reply.setCookie(c.cookies.login, token, cookieOptions(secure, LOGIN_MAX_AGE_S));
    return sendPage(c, reply, undefined, 'Log in', loginPage({ token }));
  });

  app.post('/login', async (req, reply) => {
    const cookie = req.cookies[c.cookies.login] ?? '';
    const posted = field(req.body, '_login') ?? '';
    const tokenOk =
      cookie.length > 0 &&
      cookie.length === posted.length &&
      timingSafeEqual(Buffer.from(cookie), Buffer.from(posted));
    if (!sameOrigin(req) || !tokenOk) return refuse(reply, 403, 'the form has expired; reload the page');
    const again = randomBytes(32).toString('base64url');
    try {
      const officer = await station.officers.authenticate(
        field(req.body, 'username') ?? '',
        field(req.body, 'password') ?? '',
      );
      // Always a fresh session token: one presented before login is never adopted.
      station.sessions.destroy(req.cookies[c.cookies.session]);
      const { token } = station.sessions.create(officer.id);
      reply.clearCookie(c.cookies.login, cookieOptions(secure));
      reply.setCookie(c.cookies.session, token, cookieOptions(secure));
      o.logger.info({ officer: officer.id }, 'login');
      return reply.redirect(
        officer.role === 'admin'
          ? '/officers'
          : officer.role === 'dpo' || officer.role === 'auditor'
            ? '/access-log'
            : '/inbox',
        303,
      );
    } catch (err) {
      const code = (err as { code?: string }).code;
      o.logger.warn({ code }, 'login refused');
      reply.setCookie(c.cookies.login, again, cookieOptions(secure, LOGIN_MAX_AGE_S));
      const error =
        code === 'LOCKED_OUT'
          ? 'This account is locked. Try later or ask your administrator.'
          : 'Wrong username or password.';
      return sendPage(
        c,
        reply,
        undefined,
        'Log in',
        loginPage({ token: again, error }),
        code === 'LOCKED_OUT' ? 423 : 401,
      );
    }
  });

  app.post('/logout', (req, reply) => {
    const a = authenticate(c, req, reply);
    if (!a) return reply;
    station.sessions.destroy(req.cookies[c.cookies.session]);
    reply.clearCookie(c.cookies.session, cookieOptions(secure));
    return reply.redirect('/login', 303);
  });

  inboxRoutes(app, c);
  adminRoutes(app, c);
  publishRoutes(app, c);
  lifecycleRoutes(app, c);
  dpoRoutes(app, c);
  conversationRoutes(app, c);
  return app;
}
