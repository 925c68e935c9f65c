import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@liaison/core';
import { exampleNotices } from '@liaison/fixtures';
import { Sandbox } from '@liaison/sandbox';
import { type RunningStation, runStation } from '@liaison/station';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_COST } from './helpers.js';

// A real exchange (locked-down Sandbox: TLS, nkeys, permissions; real gate and audit
// log), a real station for de-bka through its own entry point, and Debian's Chromium.
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];
const SHOTS = new URL('../../../test-results/station/', import.meta.url).pathname;

let sandbox: Sandbox;
let running: RunningStation;
let context: BrowserContext;
let page: Page;
const dirs: string[] = [];

async function until<T>(
  what: string,
  f: () => Promise<T | undefined> | T | undefined,
  ms = 15_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function logIn(username: string) {
  await page.goto(`${running.url}/login`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(`${username}-password-1`);
  await page.getByRole('button', { name: 'Log in' }).click();
}

beforeAll(async () => {
  sandbox = await Sandbox.start();
  const dir = mkdtempSync(join(tmpdir(), 'liaison-station-e2e-'));
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
    },
    { logger: createLogger('station', { level: 'warn' }) },
  );
  const admin = running.station.officers.list()[0]!;
  for (const [username, displayName, role] of [
    ['anna.schmidt', 'Anna Schmidt', 'officer'],
    ['dora.privat', 'Dora Privat', 'dpo'],
  ] as const)
    await running.station.createOfficer(admin, {
      username,
      displayName,
      role,
      password: `${username}-password-1`,
    });
  const profile = mkdtempSync(join(tmpdir(), 'liaison-chromium-'));
  dirs.push(profile);
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
  });
  page = context.pages()[0] ?? (await context.newPage());
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await context?.close();
  await running?.stop();
  await sandbox?.dispose();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the station console in a real browser', () => {
  it('an officer sees an urgent notice arrive, opens it (logged with her name, read receipt sent), searches', async () => {
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await logIn('anna.schmidt');
    await expect.poll(() => page.url()).toMatch(/\/inbox$/);
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === '__Host-liaison-session')).toMatchObject({
      httpOnly: true,
      secure: true,
      sameSite: 'Strict',
    });

    const ex = exampleNotices();
    const bmi = await sandbox.client('at-bmi');
    const europol = await sandbox.client('eu-europol');
    await europol.publish(ex.threatNotice);
    const receipt = await bmi.publish(ex.borderAlert);
    await until('both deliveries in the inbox', () => running.station.inbox.count().total >= 2);

    await page.reload();
    const first = page.locator('table.inbox tbody tr').first();
    await expect.poll(() => first.getAttribute('data-notice')).toBe(receipt.noticeId);
    expect(await first.textContent()).toContain('URGENT');
    expect(await first.textContent()).toContain('unread');
    await page.screenshot({ path: join(SHOTS, 'inbox.png'), fullPage: true });

    await first.getByRole('link').click();
    await page.getByLabel('Purpose').selectOption('case-work');
    await page.getByRole('button', { name: 'Open notice' }).click();
    const main = page.locator('main');
    await expect.poll(() => main.textContent()).toContain('Markings that bind you');
    const text = (await main.textContent()) ?? '';
    expect(text).toContain('H2');
    expect(text).toContain('Not to be disseminated onward');
    expect(text).toContain('A2');
    expect(text).toContain('at-bmi');
    expect(text).toContain('operational');
    expect(text).toContain('Petrova');
    expect(await page.locator('tr.personal .tag').count()).toBeGreaterThan(0);
    expect(page.url()).not.toContain('Petrova');
    await page.screenshot({ path: join(SHOTS, 'notice.png'), fullPage: true });

    const consult = running.station.log.query({ action: 'consult' })[0]!.entry;
    expect(consult).toMatchObject({
      officer: { username: 'anna.schmidt', role: 'officer' },
      purpose: 'case-work',
      notice: { id: receipt.noticeId, sender: 'at-bmi' },
    });
    // the read receipt reaches the sender once a person has opened the notice
    const status = await until('the read receipt', async () =>
      (await bmi.receiptsFor(receipt.noticeId)).find((r) => r.recipient === 'de-bka' && r.readAt),
    );
    expect(status.readAt).toBeGreaterThan(0);
    expect(running.station.inbox.entry(receipt.noticeId).receiptSentAt).toBeDefined();

    await page.goto(`${running.url}/inbox`);
    await page.getByRole('textbox', { name: 'Case reference' }).fill('AT-BMI-2026-0412');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.locator('table.inbox tbody tr').count()).toBe(1);
    expect(running.station.log.query({ action: 'search' })[0]!.entry).toMatchObject({
      officer: { username: 'anna.schmidt' },
      query: { caseReference: 'AT-BMI-2026-0412' },
      results: 1,
    });

    const refused = await page.goto(`${running.url}/access-log`);
    expect(refused?.status()).toBe(403);
  });

  it('the DPO sees who consulted what, verified against the signed checkpoint', async () => {
    await context.clearCookies();
    await logIn('dora.privat');
    await expect.poll(() => page.url()).toMatch(/\/access-log$/);
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('Anna Schmidt (anna.schmidt, officer)');
    expect(text).toContain('consult');
    expect(text).toContain('search');
    expect(text).toMatch(/All \d+ entries verified/);
    expect(text).toContain('liaison-station/de-bka');
    await page.screenshot({ path: join(SHOTS, 'access-log.png'), fullPage: true });
    const proof = await page.goto(`${running.url}/access-log/0/proof`);
    expect(JSON.parse((await proof?.text()) ?? '{}')).toMatchObject({ proof: { seq: 0 } });
  });
});
