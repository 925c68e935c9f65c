// The auditor console's progress page and login, with a backend whose verification the
// test holds open (the real backend over a real exchange is audit-browser.test.ts): while
// a verification runs, its page shows how far it got and reloads itself, and the console
// keeps answering other pages.
import type { VerifyReport } from '@liaison/audit-log';
import { createLogger } from '@liaison/core';
import { type AuditorBackend, buildAuditorConsole } from '@liaison/station';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';

const SECRET = 'x'.repeat(40);
const SESSION = '__Host-liaison-audit-session';
const LOGIN = '__Host-liaison-audit-login';
let app: FastifyInstance | undefined;
afterEach(async () => app?.close());

function held() {
  let progress: (done: number, total: number) => void = () => undefined;
  let finish: (r: VerifyReport) => void = () => undefined;
  const backend: AuditorBackend = {
    auditor: 'eu-auditor',
    verify: (p) => {
      progress = p;
      return new Promise((r) => {
        finish = r;
      });
    },
    history: async () => [],
    prove: async () => {
      throw new Error('not used');
    },
    stats: async () => ({ at: new Date().toISOString(), requests: 0, agencies: [] }),
    stationCheckpoints: async () => [
      {
        index: 3,
        at: new Date().toISOString(),
        agency: '<b>de-bka</b>',
        size: 4,
        root: 'ab'.repeat(32),
        note: '',
      },
    ],
  };
  return {
    backend,
    progress: (d: number, t: number) => progress(d, t),
    finish: (r: VerifyReport) => finish(r),
  };
}

const cookieOf = (res: { headers: Record<string, unknown> }, name: string) => {
  const set = res.headers['set-cookie'];
  const all = Array.isArray(set) ? set : set ? [String(set)] : [];
  return (
    all
      .find((c: string) => c.startsWith(`${name}=`))
      ?.split(';')[0]
      ?.split('=')[1] ?? ''
  );
};

async function logIn(a: FastifyInstance, secret: string) {
  const form = await a.inject({ method: 'GET', url: '/login' });
  const token = cookieOf(form, LOGIN);
  return a.inject({
    method: 'POST',
    url: '/login',
    headers: { cookie: `${LOGIN}=${token}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _login: token, secret }).toString(),
  });
}

describe('the auditor console', () => {
  it('refuses a short secret, a wrong one, and locks after five', async () => {
    await expect(
      buildAuditorConsole({
        backend: held().backend,
        logger: createLogger('t', { level: 'silent' }),
        loginSecret: 'short',
      }),
    ).rejects.toThrow();
    app = await buildAuditorConsole({
      backend: held().backend,
      logger: createLogger('t', { level: 'silent' }),
      loginSecret: SECRET,
    });
    for (let i = 0; i < 5; i++) expect((await logIn(app, 'wrong')).statusCode).toBe(401);
    expect((await logIn(app, SECRET)).statusCode).toBe(423);
  });

  it('shows a running verification’s progress on a self-refreshing page and serves other pages meanwhile', async () => {
    const h = held();
    app = await buildAuditorConsole({
      backend: h.backend,
      logger: createLogger('t', { level: 'silent' }),
      loginSecret: SECRET,
    });
    const login = await logIn(app, SECRET);
    expect(login.statusCode).toBe(303);
    const session = cookieOf(login, SESSION);
    const get = (url: string) =>
      app!.inject({ method: 'GET', url, headers: { cookie: `${SESSION}=${session}` } });
    const overview = await get('/audit');
    expect(overview.statusCode).toBe(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(overview.body)![1]!;
    const started = await app.inject({
      method: 'POST',
      url: '/audit/verify',
      headers: { cookie: `${SESSION}=${session}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf }).toString(),
    });
    expect(started.statusCode).toBe(303);
    const job = String(started.headers.location);
    expect(job).toMatch(/^\/audit\/verify\/[0-9a-f]{32}$/);

    h.progress(250, 1000);
    const running = await get(job);
    expect(running.body).toContain('<meta http-equiv="refresh" content="1">');
    expect(running.body).toContain('250 of 1000 records checked (25 %)');
    expect(running.body).toMatch(/<progress max="1000" value="250"/);
    // Not blocked: other pages answer while it runs; data is escaped.
    const stations = await get('/audit/stations');
    expect(stations.statusCode).toBe(200);
    expect(stations.body).toContain('&lt;b&gt;de-bka&lt;/b&gt;');

    h.finish({
      ok: false,
      entries: 1000,
      checkpoints: 7,
      root: 'cd'.repeat(32),
      discrepancies: [{ index: 42, code: 'BAD_SIGNATURE', message: 'entry <42> does not verify' }],
    });
    await new Promise((r) => setImmediate(r));
    const done = await get(job);
    expect(done.body).not.toContain('http-equiv="refresh"');
    expect(done.body).toContain('FAILED: 1000 entries');
    expect(done.body).toContain('<code>BAD_SIGNATURE</code>');
    expect(done.body).toContain('entry &lt;42&gt; does not verify');
    // Another session cannot see the job.
    expect((await app.inject({ method: 'GET', url: job })).statusCode).toBe(303);
  });
});
