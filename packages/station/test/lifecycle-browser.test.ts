// The lifecycle pages of the station console in a real browser (Debian's Chromium through
// playwright-core, as station-browser.test.ts), on a real locked-down exchange: the review
// list with keep-with-reason and let-expire, PNR re-disclosure with the authorisation the
// Directive asks for, the amendments a station received and confirmed, and the
// provider's view of who confirmed one it sent. A controllable clock moves the station on.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@liaison/core';
import { exampleNotices } from '@liaison/fixtures';
import { LEGAL_LIMITS } from '@liaison/notice';
import { Sandbox } from '@liaison/sandbox';
import { type RunningStation, runStation } from '@liaison/station';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, SHOTS } from './browser.js';
import { TEST_COST } from './helpers.js';

const DAY = 86_400_000;

let sandbox: Sandbox;
let running: RunningStation;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let context: BrowserContext;
let page: Page;
const dirs: string[] = [];
const clock = { now: Date.now() };

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
  await context.clearCookies();
  await page.goto(`${running.url}/login`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(`${username}-password-1`);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect.poll(() => page.url()).not.toMatch(/\/login$/);
}

const held = (id: string) => {
  try {
    return running.station.inbox.entry(id);
  } catch {
    return undefined;
  }
};
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

beforeAll(async () => {
  sandbox = await Sandbox.start();
  const dir = mkdtempSync(join(tmpdir(), 'liaison-station-lifecycle-'));
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
      now: () => clock.now,
    },
    { logger: createLogger('station', { level: 'warn' }) },
  );
  const admin = running.station.officers.list()[0]!;
  for (const [username, displayName, role] of [
    ['anna.schmidt', 'Anna Schmidt', 'officer'],
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

describe('the lifecycle pages of the station console', () => {
  it('an officer keeps one notice with a reason and lets another expire; the station erases only that one', async () => {
    const bmi = await sandbox.client('at-bmi');
    const ex = exampleNotices();
    const keep = await bmi.publish(ex.borderAlert, { recipients: ['de-bka'] });
    // Its review date comes first (200 days): letting it expire erases it then.
    const expire = await bmi.publish(
      {
        ...ex.borderAlert,
        markings: {
          ...(ex.borderAlert.markings as object),
          reviewAt: new Date(Date.now() + 200 * DAY).toISOString(),
        },
      },
      { recipients: ['de-bka'] },
    );
    await until('both in the inbox', () => held(keep.noticeId) && held(expire.noticeId));

    await logIn('anna.schmidt');
    const before = isoDay(clock.now + LEGAL_LIMITS.personalDataReviewMs + 10 * DAY);
    await page.goto(`${running.url}/reviews`);
    await page.getByLabel('Due before').fill(before);
    await page.getByRole('button', { name: 'Show' }).click();
    const rowOf = (id: string) => page.locator(`table.reviews tr[data-notice="${id}"]`);
    await expect.poll(() => rowOf(keep.noticeId).count()).toBe(1);
    expect(await rowOf(expire.noticeId).count()).toBe(1);
    // Header metadata only: no content on the review list.
    expect(await page.locator('main').textContent()).not.toContain('Petrova');
    await page.screenshot({ path: join(SHOTS, 'reviews.png'), fullPage: true });

    // A keep without a real reason is refused, with nothing recorded.
    const keepForm = page.getByRole('form', { name: `review ${keep.noticeId}` });
    await keepForm.getByLabel('Keep', { exact: true }).check();
    await keepForm.getByLabel(/Reason/).fill('needed');
    await keepForm.getByLabel('Keep until').fill(isoDay(clock.now + 400 * DAY));
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      keepForm.getByRole('button', { name: 'Record decision' }).click(),
    ]);
    expect(refused.status()).toBe(400);
    expect(running.station.log.query({ action: 'review' })).toEqual([]);

    await page.goto(`${running.url}/reviews?before=${before}`);
    await keepForm.getByLabel('Keep', { exact: true }).check();
    await keepForm
      .getByLabel(/Reason/)
      .fill('Ongoing investigation AT-BMI-2026-0412: the person is still sought.');
    const until400 = clock.now + 400 * DAY;
    await keepForm.getByLabel('Keep until').fill(isoDay(until400));
    await keepForm.getByRole('button', { name: 'Record decision' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain(keep.noticeId);
    const expireForm = page.getByRole('form', { name: `review ${expire.noticeId}` });
    await expireForm.getByLabel('Let it expire').check();
    await expireForm.getByRole('button', { name: 'Record decision' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain(expire.noticeId);

    const reviews = running.station.log.query({ action: 'review' }).map((e) => e.entry);
    expect(reviews.map((e) => [e.notice?.id, e.officer.username, e.lifecycle?.code])).toEqual([
      [expire.noticeId, 'anna.schmidt', 'EXPIRE'],
      [keep.noticeId, 'anna.schmidt', 'KEEP'],
    ]);
    expect(reviews[1]!.lifecycle?.reason).toContain('Ongoing investigation');
    expect(running.station.inbox.lifecycle.get(keep.noticeId)?.reviewAt).toBe(
      Date.parse(`${isoDay(until400)}T00:00:00Z`),
    );

    // Past the expiring one's review date: it is erased, the kept one stays.
    const expireAt = running.station.inbox.lifecycle.get(expire.noticeId)!.reviewAt!;
    const saved = clock.now;
    clock.now = expireAt + DAY;
    const sweep = running.station.lifecycle.applyRetention();
    clock.now = saved;
    expect(sweep.erased.map((e) => e.noticeId)).toContain(expire.noticeId);
    expect(sweep.erased.map((e) => e.noticeId)).not.toContain(keep.noticeId);
    expect(() => running.station.inbox.read(expire.noticeId)).toThrow(
      expect.objectContaining({ code: 'ERASED' }),
    );
    expect(running.station.inbox.read(keep.noticeId).body).toBeDefined();
  });

  it('a supervisor re-discloses a masked PNR hit only with the authority’s approval, recorded first', async () => {
    const piu = await sandbox.client('nl-piu');
    const hit = await piu.publish(exampleNotices().passengerDataHit, { recipients: ['de-bka'] });
    await until('the hit in the inbox', () => held(hit.noticeId));
    const saved = clock.now;
    clock.now = Date.now() + LEGAL_LIMITS.pnrDepersonaliseAfterMs + DAY;
    expect(running.station.lifecycle.applyRetention().masked).toContain(hit.noticeId);
    clock.now = saved;

    // An officer may not re-disclose.
    await logIn('anna.schmidt');
    expect((await page.goto(`${running.url}/notices/${hit.noticeId}/redisclose`))?.status()).toBe(403);

    await logIn('jonas.weber');
    await page.goto(`${running.url}/reviews`);
    const masked = page.locator(`table.masked tr[data-notice="${hit.noticeId}"]`);
    await expect.poll(() => masked.count()).toBe(1);
    expect(await page.locator('main').textContent()).not.toContain('de Vries');
    await masked.getByRole('link', { name: 'Re-disclose with authorisation' }).click();
    await page.getByLabel('Authority that approved it').fill('Rechtbank Amsterdam (examining magistrate)');
    await page.getByLabel('Its reference').fill('RC-2026-1187');
    await page.getByLabel('Date of its decision').fill(isoDay(Date.now()));
    await page.getByLabel('Purpose').selectOption('case-work');
    await page.screenshot({ path: join(SHOTS, 'redisclose.png'), fullPage: true });
    await page.getByRole('button', { name: 'Re-disclose in full' }).click();
    await expect.poll(() => page.locator('main').textContent()).toContain('Markings that bind you');
    expect(await page.locator('main').textContent()).toContain('de Vries');
    const entry = running.station.log.query({ action: 'redisclose' })[0]!.entry;
    expect(entry).toMatchObject({
      officer: { username: 'jonas.weber', role: 'supervisor' },
      notice: { id: hit.noticeId },
      lifecycle: { code: 'PNR_ART_12_3', authorisation: { reference: 'RC-2026-1187' } },
    });

    // Without the authorisation (a forged form without the fields): refused, nothing shown.
    const csrf = (await page.locator('input[name=_csrf]').first().getAttribute('value')) ?? '';
    const forged = await context.request.post(`${running.url}/notices/${hit.noticeId}/redisclose`, {
      form: { _csrf: csrf, purpose: 'case-work' },
      headers: { origin: running.url },
    });
    const res = { status: forged.status(), text: await forged.text() };
    expect(res.status).toBe(422);
    expect(res.text).not.toContain('de Vries');
    expect(running.station.log.query({ action: 'redisclose' })).toHaveLength(1);
  });

  it('shows the amendments received and their confirmation, and the provider who confirmed its own', async () => {
    const ex = exampleNotices();
    // Received: at-bmi rectifies a notice it sent; the station applies it and confirms.
    const bmi = await sandbox.client('at-bmi');
    const original = await bmi.publish(ex.borderAlert, { recipients: ['de-bka'] });
    await until('the original in the inbox', () => held(original.noticeId));
    const rect = await bmi.rectify(
      original,
      { ...ex.borderAlert, body: { ...(ex.borderAlert.body as object), documentNumber: '382914757' } },
      'inaccurate',
    );
    await until('the rectification confirmed', () => held(rect.noticeId)?.receiptSentAt);

    // Sent: de-bka (this station's agency) asks fi-raja to erase one of its notices; fi-raja confirms.
    const bka = await sandbox.client('de-bka');
    const fi = await sandbox.client('fi-raja');
    const mine = await bka.publish(ex.borderAlert, { recipients: ['fi-raja'] });
    const erase = await bka.requestErasure(mine, {
      kind: 'border-alert',
      crimeAreas: ['document-fraud'],
      reason: 'wrongly-identified',
    });
    const stop = new AbortController();
    for await (const item of fi.feed({ signal: stop.signal })) {
      const a = item.notice.amendment;
      await item.ack(
        a ? { applied: { action: a.action, noticeId: a.noticeId, outcome: 'ERASED', at: Date.now() } } : {},
      );
      if (item.notice.noticeId === erase.noticeId) break;
    }
    stop.abort();

    await logIn('anna.schmidt');
    await page.getByRole('link', { name: 'Amendments' }).click();
    const row = page.locator(`table.amendments tr[data-amendment="${rect.noticeId}"]`);
    await expect.poll(() => row.count()).toBe(1);
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('at-bmi');
    expect(text).toContain('rectification');
    expect(text).toContain('inaccurate');
    expect(text).toContain(original.noticeId);
    expect(text).toMatch(/confirmed \d{4}-/);

    await page.getByLabel('Amendment id').fill(erase.noticeId);
    await page.getByRole('button', { name: 'Show confirmations' }).click();
    const confirmation = page.locator('table.confirmations tr[data-recipient="fi-raja"]');
    await expect
      .poll(async () => (await confirmation.textContent()) ?? '', { timeout: 15_000 })
      .toContain('ERASED');
    expect(await confirmation.textContent()).toContain('yes');
    expect(await page.locator('main').textContent()).toContain('1 of 1 recipients confirmed');
    await page.screenshot({ path: join(SHOTS, 'amendments.png'), fullPage: true });
  });
});
