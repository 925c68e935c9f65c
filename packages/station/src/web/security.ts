import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Response headers on every page: nothing cached (content is decrypted per
 * officer), a strict Content-Security-Policy (no script at all, styles only from
 * the station, no framing, forms only to the station), no referrer, no sniffing.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  pragma: 'no-cache',
  'content-security-policy':
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export interface CookieNames {
  session: string;
  login: string;
}

/**
 * `__Host-` cookies (Secure, Path=/, no Domain: bound to this host) when the
 * console is served over HTTPS or on loopback, where browsers treat http as a
 * secure context; plain names only for a development setup that asks for it.
 */
export function cookieNames(secure: boolean): CookieNames {
  return secure
    ? { session: '__Host-liaison-session', login: '__Host-liaison-login' }
    : { session: 'liaison-session', login: 'liaison-login' };
}

export function cookieOptions(secure: boolean, maxAgeSeconds?: number) {
  return {
    httpOnly: true,
    secure,
    sameSite: 'strict' as const,
    path: '/',
    ...(maxAgeSeconds ? { maxAge: maxAgeSeconds } : {}),
  };
}

/**
 * A state-changing request must come from the station's own pages: a browser's
 * `Sec-Fetch-Site` (when sent) is `same-origin`, and an `Origin` (when sent)
 * names this host. The CSRF token is checked separately; this is the second lock.
 */
export function sameOrigin(req: FastifyRequest): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  // Under `Referrer-Policy: no-referrer` browsers send `Origin: null` on form posts;
  // then the fetch metadata must say same-origin.
  if (origin === 'null') return site === 'same-origin';
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

export function refuse(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).type('text/plain; charset=utf-8').send(message);
}
