// The DPO's, the auditor's and the conversation pages under the console's rules: roles,
// CSRF on every POST, escaping (also inside SVG charts), no-store and the strict CSP,
// no script, and nothing personal or any query in the station's log.
import { Writable } from 'node:stream';
import { checkStationLog } from '@liaison/audit-log';
import { createLogger } from '@liaison/core';
import { buildConsole } from '@liaison/station';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { storedNotice, testStation, withOfficers } from './helpers.js';

const SESSION = '__Host-liaison-session';
const LOGIN = '__Host-liaison-login';
const XSS = '<img src=x onerror=alert(1)>';

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

const cookie = (res: { headers: Record<string, unknown> }, name: string) => {
  const set = res.headers['set-cookie'];
  const all = Array.isArray(set) ? set : set ? [String(set)] : [];
  return (
    all
      .find((c: string) => c.startsWith(`${name}=`))
      ?.split(';')[0]
      ?.split('=')[1] ?? ''
  );
};

let app: FastifyInstance | undefined;
afterEach(async () => app?.close());

async function setup() {
  const log = sink();
  const { station } = await testStation({ logger: log.logger });
  const people = await withOfficers(station);
  const admin = station.officers.list().find((o) => o.role === 'admin')!;
  await station.createOfficer(admin, {
    username: 'ada.pruef',
    displayName: 'Ada Prüf',
    role: 'auditor',
    password: 'ada.pruef-password-1',
  });
  // A sender id and free text made to break out of HTML and SVG.
  const n = storedNotice('borderAlert', {
    sender: XSS,
    markings: { handlingCode: 'H2' },
    body: { modusOperandi: '<script>alert(1)</script> in a minibus' },
  });
  station.inbox.store(n);
  app = await buildConsole(station, { logger: log.logger });
  const a = app;
  const login = async (username: string) => {
    const form = await a.inject({ method: 'GET', url: '/login' });
    const token = cookie(form, LOGIN);
    const res = await a.inject({
      method: 'POST',
      url: '/login',
      headers: { cookie: `${LOGIN}=${token}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        _login: token,
        username,
        password: `${username}-password-1`,
      }).toString(),
    });
    const session = cookie(res, SESSION);
    const get = (url: string) =>
      a.inject({ method: 'GET', url, headers: { cookie: `${SESSION}=${session}` } });
    const post = (url: string, form: Record<string, string>) =>
      a.inject({
        method: 'POST',
        url,
        headers: { cookie: `${SESSION}=${session}`, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(form).toString(),
      });
    const csrf = async (url = '/access-log') =>
      /name="_csrf" value="([^"]+)"/.exec((await get(url)).body)![1]!;
    return { get, post, csrf };
  };
  return { station, n, log, login, ...people };
}

describe('the DPO and auditor pages', () => {
  it('are for the DPO and the auditor only, no-store, strict CSP, no script, and escape data inside the SVG', async () => {
    const { n, login, station, officer } = await setup();
    station.search(officer, { kind: 'border-alert' }, { purpose: 'case-work' });
    const dpo = await login('dora.privat');
    const page = await dpo.get('/dpo');
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.body).toContain('<svg');
    expect(page.body).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="received-title received-desc"/);
    expect(page.body).not.toContain(XSS);
    expect(page.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page.body).not.toMatch(/<script/i);
    const history = await dpo.get(`/dpo/notice?id=${n.noticeId}`);
    expect(history.statusCode).toBe(200);
    expect((await dpo.get('/dpo/notice?id=not-an-id')).statusCode).toBe(400);

    const auditor = await login('ada.pruef');
    expect((await auditor.get('/dpo')).statusCode).toBe(200);
    // What an auditor checks this log with against a checkpoint the exchange recorded.
    const recorded = { index: 7, at: new Date().toISOString(), agency: 'de-bka', note: '' };
    const early = station.log.view();
    const first = { ...recorded, size: early.size, root: Buffer.from(early.root).toString('hex') };
    station.search(officer, { kind: 'threat-notice' }, { purpose: 'case-work' });
    const answer = JSON.parse((await auditor.get(`/dpo/consistency?from=${first.size}`)).body) as {
      size: number;
      root: string;
      proof: string[];
    };
    const view = {
      size: answer.size,
      root: new Uint8Array(Buffer.from(answer.root, 'hex')),
      consistencyProof: () => answer.proof.map((h) => new Uint8Array(Buffer.from(h, 'hex'))),
    };
    expect(answer.size).toBe(first.size + 1);
    expect(checkStationLog([first], view)).toEqual([]);
    expect(checkStationLog([{ ...first, root: '00'.repeat(32) }], view)[0]?.code).toBe(
      'STATION_LOG_REWRITTEN',
    );
    expect((await auditor.get('/dpo/consistency?from=0')).statusCode).toBe(400);
    expect((await auditor.get('/inbox')).statusCode).toBe(403);
    expect((await auditor.get(`/notices/${n.noticeId}/reply?kind=threat-notice`)).statusCode).toBe(403);
    const anna = await login('anna.schmidt');
    expect((await anna.get('/dpo')).statusCode).toBe(403);
  });
});

describe('the conversation pages', () => {
  it('show the inherited markings escaped, need the role and the CSRF token, and log no query', async () => {
    const { n, login, log } = await setup();
    const anna = await login('anna.schmidt');
    const form = await anna.get(`/notices/${n.noticeId}/reply?kind=threat-notice`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Inherited, never lowered');
    expect(form.body).toContain('needs its provider');
    expect(form.body).toMatch(/<option value="H2" selected>/);
    expect(form.body).toContain(`name="_original" value="${n.noticeId}"`);
    expect(form.body).not.toContain(XSS);
    expect((await anna.get(`/notices/${n.noticeId}/answer?kind=answer`)).statusCode).toBe(400);
    expect((await anna.get(`/notices/${n.noticeId}/delete`)).statusCode).toBe(404);

    // The opened notice offers reply, forward and (H2) a permission request; its content is escaped.
    const token = await anna.csrf('/inbox');
    const opened = await anna.post(`/notices/${n.noticeId}/open`, { _csrf: token, purpose: 'case-work' });
    expect(opened.body).toContain('Ask for permission');
    expect(opened.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(opened.body).not.toContain('<script>alert(1)');

    // POSTs without the session's token are refused before anything happens.
    expect((await anna.post(`/notices/${n.noticeId}/permission`, { recipients: 'fi-raja' })).statusCode).toBe(
      403,
    );
    expect(
      (
        await anna.post(`/notices/${n.noticeId}/permission-decision`, {
          _csrf: 'forged',
          decision: 'granted',
        })
      ).statusCode,
    ).toBe(403);
    const dpo = await login('dora.privat');
    const dpoToken = await dpo.csrf();
    expect(
      (
        await dpo.post(`/notices/${n.noticeId}/permission`, {
          _csrf: dpoToken,
          recipients: 'fi-raja',
          purpose: 'case-work',
        })
      ).statusCode,
    ).toBe(403);
    // Not a permission request: refused with a code, nothing sent.
    expect(
      (
        await anna.post(`/notices/${n.noticeId}/permission-decision`, {
          _csrf: token,
          decision: 'granted',
          purpose: 'case-work',
        })
      ).statusCode,
    ).toBe(400);

    const text = log.lines.join('');
    expect(text).not.toContain(n.noticeId);
    expect(text).not.toContain('fi-raja');
    expect(text).not.toContain('minibus');
    expect(text).not.toContain('kind=');
  });
});
