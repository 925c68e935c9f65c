// The auditor's and the DPO's pages in a real browser (issue 18): a locked-down Sandbox
// (TLS, nkeys, real gate and audit log), the de-bka station through its own entry
// point handing its access-log checkpoints to the exchange, the auditor console over
// the eu-auditor identity, and Debian's Chromium.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LiaisonClient } from '@liaison/client';
import { createLogger } from '@liaison/core';
import { exampleNotices } from '@liaison/fixtures';
import { Sandbox } from '@liaison/sandbox';
import { auditorBackend, buildAuditorConsole, type RunningStation, runStation } from '@liaison/station';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, SHOTS, until } from './browser.js';
import { TEST_COST } from './helpers.js';

const SECRET = 'a-one-time-login-secret-of-at-least-32-characters';
let sandbox: Sandbox;
let running: RunningStation;
let auditConsole: FastifyInstance;
let auditUrl: string;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let alertId: string;
const dirs: string[] = [];

async function logIn(username: string) {
  await browser.context.clearCookies();
  await page.goto(`${running.url}/login`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(`${username}-password-1`);
  await page.getByRole('button', { name: 'Log in' }).click();
}

async function next(client: LiaisonClient, id: string) {
  const stop = new AbortController();
  for await (const item of client.feed({ signal: stop.signal })) {
    await item.ack();
    if (item.notice.noticeId === id) {
      stop.abort();
      return item.notice;
    }
  }
  throw new Error('feed ended');
}

beforeAll(async () => {
  sandbox = await Sandbox.start();
  const dir = mkdtempSync(join(tmpdir(), 'liaison-station-audit-'));
  dirs.push(dir);
  running = await runStation(
    {
      agency: 'de-bka',
      home: sandbox.home,
      connection: sandbox.connectionConfig('de-bka'),
      dbFile: join(dir, 'de-bka.db'),
      port: 0,
      bootstrapAdmin: { username: 'admin', displayName: 'Station Admin', password: 'admin-password-1' },
      passwordCost: TEST_COST,
      checkpointIntervalMs: 300,
    },
    { logger: createLogger('station', { level: 'warn' }) },
  );
  const admin = running.station.officers.list()[0]!;
  for (const [username, displayName, role] of [
    ['anna.schmidt', 'Anna Schmidt', 'officer'],
    ['dora.privat', 'Dora Privat', 'dpo'],
    ['ada.pruef', 'Ada Prüf', 'auditor'],
  ] as const)
    await running.station.createOfficer(admin, {
      username,
      displayName,
      role,
      password: `${username}-password-1`,
    });
  // The auditor in its own account reads the logs through the log reader (decision 0014).
  const { nc: auditorNc, source } = await sandbox.reader('eu-auditor');
  auditConsole = await buildAuditorConsole({
    backend: auditorBackend({
      nc: auditorNc,
      ...(source ? { source } : {}),
      auditor: 'eu-auditor',
      anchors: sandbox.anchors,
    }),
    logger: createLogger('audit-console', { level: 'error' }),
    loginSecret: SECRET,
  });
  auditUrl = await auditConsole.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchBrowser();
  page = browser.page;
  mkdirSync(SHOTS, { recursive: true });

  // Traffic: an urgent border alert and a threat notice for de-bka; a request from
  // de-bka to Austria, answered.
  const ex = exampleNotices();
  const bmi = await sandbox.client('at-bmi');
  alertId = (await bmi.publish(ex.borderAlert)).noticeId;
  await (await sandbox.client('eu-europol')).publish(ex.threatNotice);
  const request = await (await sandbox.client('de-bka')).conversation.request(
    {
      kind: 'information-request',
      markings: {
        priority: 'urgent',
        handlingCode: 'H1',
        evaluation: { source: 'A', information: '2' },
        crimeAreas: ['drug-trafficking'],
        legalBasis: 'directive-2023-977',
        caseReference: 'DE-BKA-2026-7731',
      },
      body: {
        purpose: 'Identify the keeper of a vehicle used to move a cocaine consignment across the border',
        offences: ['drug-trafficking'],
        maximumPenaltyYears: 10,
        directlyAccessible: true,
        requestedData: ['vehicle-registration'],
        legalBasis: 'Directive (EU) 2023/977 Art. 4',
        europolCopy: { copied: false, reasonNotCopied: 'would-harm-investigation' },
        subject: { vehicleRegistration: 'W 12345 X' },
      },
    },
    ['at-bmi'],
  );
  await bmi.conversation.answer(await next(bmi, request.noticeId), {
    markings: {
      priority: 'urgent',
      handlingCode: 'H1',
      evaluation: { source: 'A', information: '1' },
      crimeAreas: ['drug-trafficking'],
    },
    body: {
      outcome: 'refusal',
      refusalGround: 'ongoing-investigation',
      europolCopy: { copied: false, reasonNotCopied: 'would-harm-investigation' },
      reasons: 'Disclosure would jeopardise an ongoing national investigation.',
    },
  });
  await until('the deliveries in the inbox', () => running.station.inbox.count().total >= 3);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await auditConsole?.close();
  await running?.stop();
  await sandbox?.dispose();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the DPO and the station auditor', () => {
  it('see the log checked against the checkpoint the exchange recorded, pictures, and a notice’s access history with proofs', async () => {
    await logIn('anna.schmidt');
    await page.goto(`${running.url}/notices/${alertId}`);
    await page.getByLabel('Purpose').selectOption('case-work');
    await page.getByRole('button', { name: 'Open notice' }).click();
    await expect.poll(() => page.locator('main').textContent()).toContain('Markings that bind you');
    const size = running.station.log.size;
    await until(
      'the checkpoint recorded',
      () => (running.station.checkpoints?.recorded()?.size ?? 0) >= size,
    );

    await logIn('dora.privat');
    await page.goto(`${running.url}/dpo`);
    const main = page.locator('main');
    expect(await main.textContent()).toContain('the log is an extension of it');
    // Pictures: inline SVG with a title and a description, and the figures as a table.
    expect(await page.locator('figure.chart svg[role="img"]').count()).toBe(5);
    expect(await page.locator('#deadlines-title').textContent()).toContain('Directive 2023/977 Art. 5');
    expect(await page.locator('#officers-title').textContent()).toBe(
      'Access-log entries per officer and action',
    );
    expect(await page.locator('#officers-desc').textContent()).toMatch(/\d+ entr(y|ies) by \d+ officers?/);
    expect(await page.locator('#officers-data').textContent()).toContain('anna.schmidt');
    expect(await page.locator('#received-data').textContent()).toContain('at-bmi');
    await page.screenshot({ path: join(SHOTS, 'dpo-figures.png'), fullPage: true });

    await page.getByLabel('Notice id').fill(alertId);
    await page.getByRole('button', { name: 'Show history and proofs' }).click();
    const row = page.locator('table.access-history tbody tr').first();
    expect(await row.textContent()).toContain('anna.schmidt (officer)');
    expect(await row.textContent()).toContain('consult');
    expect(await row.locator('details summary').textContent()).toMatch(/\d+ hashes, tree of \d+/);
    // The notice id is in the URL; nothing personal is.
    expect(page.url()).not.toContain('Petrova');
    await page.screenshot({ path: join(SHOTS, 'dpo-notice-history.png'), fullPage: true });

    await logIn('ada.pruef');
    expect((await page.goto(`${running.url}/dpo`))?.status()).toBe(200);
    expect((await page.goto(`${running.url}/access-log`))?.status()).toBe(200);
    expect((await page.goto(`${running.url}/inbox`))?.status()).toBe(403);
    expect((await page.goto(`${running.url}/notices/${alertId}`))?.status()).toBe(403);
  });
});

describe('the auditor console', () => {
  it('logs in with the one-time secret, shows statistics and pictures, verifies with progress, proves a notice', async () => {
    await browser.context.clearCookies();
    await page.goto(`${auditUrl}/audit`);
    await expect.poll(() => page.url()).toMatch(/\/login$/);
    await page.getByLabel('Login secret').fill('wrong-secret');
    const refused = page.waitForResponse(
      (r) => r.url().endsWith('/login') && r.request().method() === 'POST',
    );
    await page.getByRole('button', { name: 'Log in' }).click();
    expect((await refused).status()).toBe(401);
    await page.goto(`${auditUrl}/login`);
    await page.getByLabel('Login secret').fill(SECRET);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.url()).toMatch(/\/audit$/);
    expect(
      (await browser.context.cookies()).find((c) => c.name === '__Host-liaison-audit-session'),
    ).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict' });

    const response = await page.goto(`${auditUrl}/audit`);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'none'");
    expect(response?.headers()['cache-control']).toBe('no-store');
    expect(await page.locator('script').count()).toBe(0);
    const stats = (await page.locator('table.stats').textContent()) ?? '';
    expect(stats).toContain('at-bmi');
    expect(stats).toContain('ongoing-investigation: 1');
    expect(await page.locator('#compliance-title').textContent()).toBe(
      'Deadline compliance of requests received',
    );
    expect(await page.locator('#compliance-data').textContent()).toContain('at-bmi');
    expect(await page.locator('#partners-data').textContent()).toContain('de-bka');
    expect(await page.locator('#weeks-desc').textContent()).toMatch(/weeks? with traffic/);
    await page.screenshot({ path: join(SHOTS, 'audit-overview.png'), fullPage: true });

    await page.getByRole('button', { name: 'Verify the whole log' }).click();
    await expect.poll(() => page.url()).toMatch(/\/audit\/verify\/[0-9a-f]{32}$/);
    // The page reloads itself (no script) until the verification is done.
    await expect
      .poll(() => page.locator('main').textContent(), { timeout: 30_000 })
      .toMatch(/OK: \d+ entries,\s+\d+ signed checkpoints/);
    expect(await page.locator('main').textContent()).toContain('No discrepancy');
    await page.screenshot({ path: join(SHOTS, 'audit-verify.png'), fullPage: true });

    await page.goto(`${auditUrl}/audit`);
    await page.getByLabel('Notice id').fill(alertId);
    await page.getByRole('button', { name: 'Show history and proofs' }).click();
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toMatch(/Proven: all \d+ entries are in the log/);
    expect(text).toContain('submission');
    expect(text).toContain('read');
    expect(text).not.toContain('Petrova');
    await page.screenshot({ path: join(SHOTS, 'audit-notice.png'), fullPage: true });

    await page.getByRole('link', { name: 'Station checkpoints' }).click();
    expect(await page.locator('table.stations tbody').textContent()).toContain('de-bka');

    // A form posted without the session's CSRF token is refused.
    const forged = await page.request.post(`${auditUrl}/audit/verify`, { form: { _csrf: 'forged' } });
    expect(forged.status()).toBe(403);
  });
});
