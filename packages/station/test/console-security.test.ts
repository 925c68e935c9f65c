import { Writable } from 'node:stream';
import { createLogger } from '@liaison/core';
import { buildConsole } from '@liaison/station';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { storedNotice, testStation, withOfficers } from './helpers.js';

/** A log sink: every line the station writes, to look for what must not be there. */
function sink() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger('station', { level: 'debug', destination: stream }) };
}

const SESSION = '__Host-liaison-session';
const LOGIN = '__Host-liaison-login';

function cookieOf(res: { headers: Record<string, unknown> }, name: string): string | undefined {
  const set = res.headers['set-cookie'];
  const all = Array.isArray(set) ? set : set ? [String(set)] : [];
  return all.find((c: string) => c.startsWith(`${name}=`));
}

const value = (cookie: string | undefined) => cookie?.split(';')[0]?.split('=')[1] ?? '';

async function login(app: FastifyInstance, username: string, password: string) {
  const form = await app.inject({ method: 'GET', url: '/login' });
  const token = value(cookieOf(form, LOGIN));
  const res = await app.inject({
    method: 'POST',
    url: '/login',
    headers: { cookie: `${LOGIN}=${token}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _login: token, username, password }).toString(),
  });
  return { res, session: value(cookieOf(res, SESSION)) };
}

async function csrfOf(app: FastifyInstance, session: string, url = '/inbox') {
  const page = await app.inject({ method: 'GET', url, headers: { cookie: `${SESSION}=${session}` } });
  return /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
}

let app: FastifyInstance | undefined;
afterEach(async () => app?.close());

async function setup() {
  const log = sink();
  const { station } = await testStation({ logger: log.logger, lockout: { maxFailures: 3, lockMs: 60_000 } });
  const people = await withOfficers(station);
  const n = storedNotice('borderAlert', {
    body: { modusOperandi: '<script>alert(1)</script> in a minibus' },
  });
  station.inbox.store(n);
  app = await buildConsole(station, { logger: log.logger });
  return { station, app, n, log, ...people };
}

describe('console security', () => {
  it('sets the session cookie Secure, HttpOnly, SameSite=Strict, host-only; pages are no-store with a strict CSP', async () => {
    const { app } = await setup();
    const { res } = await login(app, 'anna.schmidt', 'anna.schmidt-password-1');
    expect(res.statusCode).toBe(303);
    const cookie = cookieOf(res, SESSION)!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).not.toMatch(/Domain=/i);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('refuses a POST without the CSRF token, with a wrong one, or from another origin', async () => {
    const { app, n } = await setup();
    const { session } = await login(app, 'anna.schmidt', 'anna.schmidt-password-1');
    const csrf = await csrfOf(app, session);
    const post = (payload: Record<string, string>, headers: Record<string, string> = {}) =>
      app.inject({
        method: 'POST',
        url: `/notices/${n.noticeId}/open`,
        headers: {
          cookie: `${SESSION}=${session}`,
          'content-type': 'application/x-www-form-urlencoded',
          ...headers,
        },
        payload: new URLSearchParams(payload).toString(),
      });
    expect((await post({ purpose: 'case-work' })).statusCode).toBe(403);
    expect(
      (await post({ purpose: 'case-work', _csrf: `${csrf.slice(0, -1)}${csrf.endsWith('A') ? 'B' : 'A'}` }))
        .statusCode,
    ).toBe(403);
    expect(
      (await post({ purpose: 'case-work', _csrf: csrf }, { origin: 'https://evil.example' })).statusCode,
    ).toBe(403);
    expect(
      (await post({ purpose: 'case-work', _csrf: csrf }, { 'sec-fetch-site': 'cross-site' })).statusCode,
    ).toBe(403);
    const ok = await post({ purpose: 'case-work', _csrf: csrf });
    expect(ok.statusCode).toBe(200);
    // the notice text is escaped, never markup
    expect(ok.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(ok.body).not.toContain('<script>');
    // a login without its form token is refused too
    const bare = await app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'username=anna.schmidt&password=anna.schmidt-password-1',
    });
    expect(bare.statusCode).toBe(403);
  });

  it('locks an account after repeated wrong passwords', async () => {
    const { app } = await setup();
    expect((await login(app, 'anna.schmidt', 'nope')).res.statusCode).toBe(401);
    expect((await login(app, 'anna.schmidt', 'nope')).res.statusCode).toBe(401);
    expect((await login(app, 'anna.schmidt', 'nope')).res.statusCode).toBe(423);
    const right = await login(app, 'anna.schmidt', 'anna.schmidt-password-1');
    expect(right.res.statusCode).toBe(423);
    expect(right.res.body).toContain('locked');
    expect(right.session).toBe('');
  });

  it('does not let an officer read the access log, nor the DPO open content, nor anyone in without a session', async () => {
    const { app, n } = await setup();
    const officer = await login(app, 'anna.schmidt', 'anna.schmidt-password-1');
    const asOfficer = await app.inject({
      method: 'GET',
      url: '/access-log',
      headers: { cookie: `${SESSION}=${officer.session}` },
    });
    expect(asOfficer.statusCode).toBe(403);
    const proof = await app.inject({
      method: 'GET',
      url: '/access-log/0/proof',
      headers: { cookie: `${SESSION}=${officer.session}` },
    });
    expect(proof.statusCode).toBe(403);
    const dpo = await login(app, 'dora.privat', 'dora.privat-password-1');
    const csrf = await csrfOf(app, dpo.session, '/access-log');
    const open = await app.inject({
      method: 'POST',
      url: `/notices/${n.noticeId}/open`,
      headers: { cookie: `${SESSION}=${dpo.session}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, purpose: 'data-protection-review' }).toString(),
    });
    expect(open.statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/access-log' })).statusCode).toBe(303);
    expect(
      (
        await app.inject({
          method: 'GET',
          url: '/officers',
          headers: { cookie: `${SESSION}=${officer.session}` },
        })
      ).statusCode,
    ).toBe(403);
  });

  it('keeps publishing, replay and the sent notices to the roles that have them; an unknown draft is refused', async () => {
    const { app, station, officer, supervisor } = await setup();
    const as = async (username: string) => (await login(app, username, `${username}-password-1`)).session;
    const get = (url: string, session: string) =>
      app.inject({ method: 'GET', url, headers: { cookie: `${SESSION}=${session}` } });
    const dpo = await as('dora.privat');
    const admin = await as('admin');
    const anna = await as('anna.schmidt');
    for (const url of ['/publish', '/sent', '/replay']) {
      expect((await get(url, dpo)).statusCode).toBe(403);
      expect((await get(url, admin)).statusCode).toBe(403);
    }
    expect((await get('/publish?kind=border-alert', anna)).statusCode).toBe(200);
    expect((await get('/sent', anna)).statusCode).toBe(200);
    expect((await get('/replay', anna)).statusCode).toBe(403);
    expect((await get('/replay', await as('jonas.weber'))).statusCode).toBe(200);
    // The form's personal fields carry the mark; the page names no value.
    const form = (await get('/publish?kind=passenger-data-hit', anna)).body;
    expect(form).toContain('class="field personal" data-field="passenger.surname"');
    // A draft id that is not this officer's is not sent.
    await expect(
      station.sendDraft(supervisor, 'no-such-draft', { purpose: 'case-work' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(station.replay(officer, 0)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('never adopts a session token it did not mint (fixation) and ends the session on logout', async () => {
    const { app } = await setup();
    const planted = 'attacker-chosen-session-value';
    const form = await app.inject({ method: 'GET', url: '/login' });
    const token = value(cookieOf(form, LOGIN));
    const res = await app.inject({
      method: 'POST',
      url: '/login',
      headers: {
        cookie: `${LOGIN}=${token}; ${SESSION}=${planted}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: new URLSearchParams({
        _login: token,
        username: 'anna.schmidt',
        password: 'anna.schmidt-password-1',
      }).toString(),
    });
    const session = value(cookieOf(res, SESSION));
    expect(session).not.toBe(planted);
    expect(
      (await app.inject({ method: 'GET', url: '/inbox', headers: { cookie: `${SESSION}=${planted}` } }))
        .statusCode,
    ).toBe(303);
    const csrf = await csrfOf(app, session);
    await app.inject({
      method: 'POST',
      url: '/logout',
      headers: { cookie: `${SESSION}=${session}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${csrf}`,
    });
    expect(
      (await app.inject({ method: 'GET', url: '/inbox', headers: { cookie: `${SESSION}=${session}` } }))
        .statusCode,
    ).toBe(303);
  });

  it('writes no personal data, no password and no query string to its logs', async () => {
    const { app, n, log } = await setup();
    const { session } = await login(app, 'anna.schmidt', 'anna.schmidt-password-1');
    await login(app, 'anna.schmidt', 'wrong-password-typed');
    await app.inject({
      method: 'GET',
      url: '/inbox?caseReference=AT-BMI-2026-0412&purpose=case-work',
      headers: { cookie: `${SESSION}=${session}` },
    });
    const csrf = await csrfOf(app, session);
    const opened = await app.inject({
      method: 'POST',
      url: `/notices/${n.noticeId}/open`,
      headers: { cookie: `${SESSION}=${session}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, purpose: 'case-work', note: 'Petrova lead' }).toString(),
    });
    expect(opened.body).toContain('Petrova'); // the officer sees it ...
    const all = log.lines.join('');
    expect(log.lines.length).toBeGreaterThan(5);
    for (const s of [
      'Petrova',
      '382914756',
      'anna.schmidt-password-1',
      'wrong-password-typed',
      'AT-BMI-2026-0412',
      session,
      csrf,
    ])
      expect(all).not.toContain(s); // ... the logs never
    expect(all).toContain('"route":"/notices/:id/open"');
  });
});
