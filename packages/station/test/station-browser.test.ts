import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@liaison/core';
import { exampleNotices } from '@liaison/fixtures';
import { Sandbox } from '@liaison/sandbox';
import { type RunningStation, runStation } from '@liaison/station';
import { feedDurable, STREAMS } from '@liaison/topology';
import { jetstreamManager } from '@nats-io/jetstream';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, SHOTS, until } from './browser.js';
import { TEST_COST } from './helpers.js';

// A real exchange (locked-down Sandbox: TLS, nkeys, permissions; real gate and audit
// log), a real station for de-bka through its own entry point, and Debian's Chromium.
let sandbox: Sandbox;
let running: RunningStation;
let context: BrowserContext;
let page: Page;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
const dirs: string[] = [];

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
    ['jonas.weber', 'Jonas Weber', 'supervisor'],
  ] as const)
    await running.station.createOfficer(admin, {
      username,
      displayName,
      role,
      password: `${username}-password-1`,
    });
  browser = await launchBrowser();
  ({ context, page } = browser);
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
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
    // Stored is acknowledged (no redelivery every ack wait), though nobody has opened them.
    const jsm = await jetstreamManager(sandbox.admin);
    await until('the deliveries settled', async () => {
      const c = await jsm.consumers.info(STREAMS.feed, feedDurable('de-bka'));
      return c.num_ack_pending === 0 && c.num_pending === 0;
    });
    expect(
      (await bmi.receiptsFor(receipt.noticeId)).find((r) => r.recipient === 'de-bka')?.readAt,
    ).toBeUndefined();

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
    // It names the consultation's access-log entry, not the officer.
    const consultSeq = running.station.log.query({ action: 'consult' })[0]!.entry.seq;
    expect(status.reader).toEqual({
      log: 'liaison-station/de-bka',
      seq: consultSeq,
      leafHash: running.station.log.inclusionProof(consultSeq).leafHash,
    });
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

describe('publishing from the console', () => {
  it('builds the form from the kind’s schema, shows screening before sending, logs the discloser, shows receipts', async () => {
    await context.clearCookies();
    await logIn('anna.schmidt');
    await page.goto(`${running.url}/publish?kind=border-alert`);
    // Personal fields are marked in the form itself.
    const personal = page.locator('.field.personal');
    expect(await personal.count()).toBeGreaterThan(3);
    expect(await page.locator('.field.personal[data-field="person.surname"] .tag').textContent()).toBe(
      'personal data',
    );
    expect(await page.locator('.field[data-field="crossingPoint"].personal').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'publish-form.png'), fullPage: true });

    await page.goto(`${running.url}/publish?kind=threat-notice`);
    await page.locator('[name="markings.tlp"]').selectOption('TLP:GREEN');
    await page.getByRole('checkbox', { name: 'precursor-diversion' }).check();
    await page.locator('[name="body.threatCategory"]').selectOption('precursor-diversion');
    await page.locator('[name="body.title"]').fill('Precursors declared as cleaning agents');
    // A phone number in strategic free text: screening stops it before anything is sent.
    await page
      .locator('[name="body.assessment"]')
      .fill('Consignments booked through a broker reachable at +49 170 1234567 in Hamburg.');
    await page.getByRole('button', { name: 'Check before sending' }).click();
    const main = page.locator('main');
    await expect.poll(() => main.textContent()).toContain('Screening: possible personal data');
    expect(await main.textContent()).toContain('body.assessment');
    expect(await main.textContent()).toContain('looks like a phone number');
    await page.screenshot({ path: join(SHOTS, 'publish-screening.png'), fullPage: true });
    expect(running.station.outbox.list()).toEqual([]);

    // The form comes back as filled, with an offer to vouch for the field; the officer fixes it instead.
    expect(await page.locator('form.override button').textContent()).toContain('assessment');
    await page
      .locator('textarea[name="body.assessment"]')
      .fill('Consignments of designer precursors are declared as industrial cleaning agents.');
    await page.locator('form.publish').getByRole('button', { name: 'Check before sending' }).click();
    await expect.poll(() => main.textContent()).toContain('Screening passed');
    const plan = await page.locator('table.plan tbody tr').allTextContents();
    expect(plan.join(' ')).toMatch(/ru-mvd\s*strategic/);
    await page.screenshot({ path: join(SHOTS, 'publish-preview.png'), fullPage: true });
    await page.getByLabel('Purpose').selectOption('case-work');
    await page.getByRole('button', { name: 'Send notice' }).click();
    await expect.poll(() => main.textContent()).toContain('accepted by the gate');

    const [sent] = running.station.outbox.list();
    expect(sent).toMatchObject({ kind: 'threat-notice', status: 'accepted' });
    const disclosure = running.station.log.query({ action: 'disclose' })[0]!.entry;
    expect(disclosure).toMatchObject({
      officer: { username: 'anna.schmidt', role: 'officer' },
      purpose: 'case-work',
      notice: { id: sent!.noticeId, sender: 'de-bka', kind: 'threat-notice' },
    });
    expect(disclosure.recipients).toContain('ru-mvd (strategic)');

    // A recipient reads it; the receipts page shows delivered and read per recipient.
    const europol = await sandbox.client('eu-europol');
    const ctrl = new AbortController();
    for await (const item of europol.feed({ signal: ctrl.signal })) {
      await item.ack();
      if (item.notice.noticeId === sent!.noticeId) break;
    }
    ctrl.abort();
    await until('the read receipt on the page', async () => {
      await page.goto(`${running.url}/sent/${sent!.noticeId}`);
      const row = await page.locator('tr[data-recipient="eu-europol"]').textContent();
      return row?.includes('read') ? row : undefined;
    });
    expect(await page.locator('tr[data-recipient="ru-mvd"]').textContent()).toContain('strategic');
    await page.screenshot({ path: join(SHOTS, 'receipts.png'), fullPage: true });
  });

  it('a supervisor replays the feed from a time; a new station replays at start', async () => {
    await context.clearCookies();
    await logIn('jonas.weber');
    await page.goto(`${running.url}/replay`);
    await page.getByLabel('From (UTC)').fill(new Date(Date.now() - 3600_000).toISOString().slice(0, 16));
    await page.getByRole('button', { name: 'Replay' }).click();
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toMatch(/[1-9]\d* deliveries still held by the exchange,\s*0 new in the inbox/);

    const dir = mkdtempSync(join(tmpdir(), 'liaison-station-replay-'));
    dirs.push(dir);
    const fresh = await runStation(
      {
        agency: 'de-bka',
        home: sandbox.home,
        connection: sandbox.connectionConfig('de-bka'),
        dbFile: join(dir, 'de-bka.db'),
        port: 0,
        replaySince: Date.now() - 3600_000,
        passwordCost: TEST_COST,
      },
      { logger: createLogger('station', { level: 'warn' }) },
    );
    try {
      expect(fresh.station.inbox.count().total).toBe(running.station.inbox.count().total);
    } finally {
      await fresh.stop();
    }
  });
});
