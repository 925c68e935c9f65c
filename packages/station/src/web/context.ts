import type { Logger } from '@liaison/core';
import { isLiaisonError } from '@liaison/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Officer } from '../officers.js';
import { can, type Permission } from '../roles.js';
import { csrfMatches, type Session } from '../sessions.js';
import type { Station } from '../station.js';
import { type Html, page } from './html.js';
import { type CookieNames, refuse, sameOrigin } from './security.js';

/** What every route handler is given. */
export interface ConsoleContext {
  station: Station;
  logger: Logger;
  cookies: CookieNames;
  secure: boolean;
}

export interface Authed {
  officer: Officer;
  session: Session;
}

const NAV: Record<Permission, { href: string; label: string } | undefined> = {
  'inbox.list': { href: '/inbox', label: 'Inbox' },
  'notice.open': undefined,
  'notice.export': undefined,
  'notice.publish': { href: '/publish', label: 'Publish' },
  'outbox.read': { href: '/sent', label: 'Sent' },
  'feed.replay': { href: '/replay', label: 'Replay' },
  'accesslog.read': { href: '/access-log', label: 'Access log' },
  'accesslog.figures': { href: '/dpo', label: 'Figures and proofs' },
  'officers.manage': { href: '/officers', label: 'Officers' },
  // Lifecycle (routes-lifecycle.ts): the review list (with masked PNR hits for a supervisor),
  // and the amendments page, shown to those who may decide reviews (the same roles).
  'review.list': { href: '/reviews', label: 'Reviews' },
  'review.decide': { href: '/amendments', label: 'Amendments' },
  'pnr.redisclose': undefined,
};

/** Renders a whole page for a logged-in officer. */
export function sendPage(
  c: ConsoleContext,
  reply: FastifyReply,
  a: Authed | undefined,
  title: string,
  body: Html,
  status = 200,
) {
  const nav = a
    ? (Object.keys(NAV) as Permission[]).filter((p) => can(a.officer.role, p) && NAV[p]).map((p) => NAV[p]!)
    : [];
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(page({ title, agency: c.station.agency, officer: a?.officer, csrf: a?.session.csrf, nav }, body));
}

/**
 * The officer behind the request's session cookie, or undefined (the reply then
 * sent: a redirect to the login page for GET, 401 for a POST). A POST also needs
 * the session's CSRF token and a same-origin request; a permission, the role.
 */
export function authenticate(
  c: ConsoleContext,
  req: FastifyRequest,
  reply: FastifyReply,
  permission?: Permission,
): Authed | undefined {
  const token = req.cookies[c.cookies.session];
  const session = c.station.sessions.resolve(token);
  let officer: Officer | undefined;
  try {
    officer = session ? c.station.officers.get(session.officerId) : undefined;
  } catch {
    officer = undefined;
  }
  if (!session || !officer) {
    if (req.method === 'GET') reply.redirect('/login', 303);
    else refuse(reply, 401, 'log in first');
    return undefined;
  }
  if (req.method === 'POST') {
    const posted = (req.body as Record<string, unknown> | undefined)?._csrf;
    if (!sameOrigin(req) || !csrfMatches(session, posted)) {
      c.logger.warn({ route: req.routeOptions.url, officer: officer.id }, 'csrf check failed');
      refuse(reply, 403, 'the form has expired; reload the page');
      return undefined;
    }
  }
  if (permission && !can(officer.role, permission)) {
    refuse(reply, 403, 'not allowed for your role');
    return undefined;
  }
  return { officer, session };
}

const STATUS: Record<string, number> = {
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  INVALID_INPUT: 400,
  BAD_CREDENTIALS: 401,
  LOCKED_OUT: 423,
  OFFICER_EXISTS: 409,
  PUBLISH_REJECTED: 422,
  AUTHORISATION_REQUIRED: 422,
};

/** Station errors become a status and their outward message; anything else is a 500 with no detail. */
export function errorReply(c: ConsoleContext, req: FastifyRequest, reply: FastifyReply, err: unknown) {
  if (isLiaisonError(err) && STATUS[err.code]) return refuse(reply, STATUS[err.code]!, err.message);
  c.logger.error(
    { route: req.routeOptions.url, code: isLiaisonError(err) ? err.code : undefined, err: String(err) },
    'request failed',
  );
  return refuse(reply, 500, 'something went wrong');
}

export function field(body: unknown, name: string): string | undefined {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : undefined;
}
