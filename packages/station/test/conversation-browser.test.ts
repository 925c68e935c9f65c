// Reply, forward, request and answer from the console in a real browser (issue 18 on
// issue 17's conversations): a locked-down Sandbox (TLS, nkeys, real gate and audit
// log), the de-bka station through its own entry point, and Debian's Chromium. The
// other agencies act through the SDK.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LiaisonClient } from '@liaison/client';
import { createLogger } from '@liaison/core';
import type { OpenedNotice } from '@liaison/envelope';
import { exampleNotices } from '@liaison/fixtures';
import { Sandbox } from '@liaison/sandbox';
import { type RunningStation, runStation } from '@liaison/station';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, SHOTS, until } from './browser.js';
import { TEST_COST } from './helpers.js';

let sandbox: Sandbox;
let running: RunningStation;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
const dirs: string[] = [];

/** Reads an agency's feed (acknowledging) until a notice that matches. */
async function next(client: LiaisonClient, match: (n: OpenedNotice) => boolean): Promise<OpenedNotice> {
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), 15_000);
  try {
    for await (const item of client.feed({ signal: stop.signal })) {
      await item.ack();
      if (match(item.notice)) return item.notice;
    }
  } finally {
    clearTimeout(timer);
    stop.abort();
  }
  throw new Error('not delivered');
}

async function open(id: string) {
  await page.goto(`${running.url}/notices/${id}`);
  await page.getByLabel('Purpose').selectOption('case-work');
  await page.getByRole('button', { name: 'Open notice' }).click();
  await expect.poll(() => page.locator('main').textContent()).toContain('Markings that bind you');
}

async function checkAndSend() {
  await page.getByRole('button', { name: 'Check before sending' }).click();
  await expect.poll(() => page.locator('main').textContent()).toContain('Screening passed');
  const plan = (await page.locator('table.plan tbody').textContent()) ?? '';
  await page.getByLabel('Purpose').selectOption('case-work');
  await page.getByRole('button', { name: 'Send notice' }).click();
  await expect.poll(() => page.locator('main').textContent()).toContain('accepted by the gate');
  return { plan, id: (await page.locator('main p.ok code').first().textContent()) ?? '' };
}

beforeAll(async () => {
  sandbox = await Sandbox.start();
  const dir = mkdtempSync(join(tmpdir(), 'liaison-station-conv-'));
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
  await running.station.createOfficer(admin, {
    username: 'anna.schmidt',
    displayName: 'Anna Schmidt',
    role: 'officer',
    password: 'anna.schmidt-password-1',
  });
  browser = await launchBrowser();
  page = browser.page;
  mkdirSync(SHOTS, { recursive: true });
  await page.goto(`${running.url}/login`);
  await page.getByLabel('Username').fill('anna.schmidt');
  await page.getByLabel('Password').fill('anna.schmidt-password-1');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(/\/inbox$/);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await running?.stop();
  await sandbox?.dispose();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('conversations in the console', () => {
  it('shows a due request above an urgent alert and answers it from the request’s form', async () => {
    const bmi = await sandbox.client('at-bmi');
    const request = await bmi.conversation.request(
      {
        kind: 'information-request',
        markings: {
          priority: 'non-urgent',
          handlingCode: 'H1',
          evaluation: { source: 'A', information: '2' },
          crimeAreas: ['migrant-smuggling'],
          legalBasis: 'directive-2023-977',
          caseReference: 'AT-BMI-2026-0999',
        },
        body: {
          purpose: 'Establish whether a van seen at the border is known to German authorities',
          offences: ['migrant-smuggling'],
          maximumPenaltyYears: 10,
          directlyAccessible: true,
          requestedData: ['vehicle-registration'],
          legalBasis: 'Directive (EU) 2023/977 Art. 4',
          europolCopy: { copied: false, reasonNotCopied: 'would-harm-investigation' },
          subject: { vehicleRegistration: 'B AB 1234' },
        },
      },
      ['de-bka'],
    );
    const alert = await bmi.publish(exampleNotices().borderAlert);
    await until('both in the inbox', () => running.station.inbox.count().total >= 2);
    await page.goto(`${running.url}/inbox`);
    const rows = page.locator('table.inbox tbody tr');
    // The request is not urgent, the alert is: the request's deadline still puts it first.
    expect(await rows.first().getAttribute('data-notice')).toBe(request.noticeId);
    expect(await rows.first().textContent()).toMatch(/due \d{4}-\d\d-\d\d/);
    expect(await rows.nth(1).getAttribute('data-notice')).toBe(alert.noticeId);
    await page.screenshot({ path: join(SHOTS, 'inbox-deadlines.png'), fullPage: true });

    await open(request.noticeId);
    await page.getByRole('link', { name: 'Answer this request' }).click();
    const main = page.locator('main');
    expect(await main.locator('section.inherited').textContent()).toContain('H1');
    expect(await main.locator('section.inherited').textContent()).toContain('case AT-BMI-2026-0999');
    expect(await main.locator('section.inherited').textContent()).toMatch(/Answer due \d{4}-/);
    expect(await page.locator('[name="markings.caseReference"]').inputValue()).toBe('AT-BMI-2026-0999');
    await page.locator('[name="body.outcome"]').selectOption('refusal');
    await page.locator('[name="body.refusalGround"]').selectOption('ongoing-investigation');
    await page.locator('[name="body.reasons"]').fill('Disclosure would jeopardise an ongoing investigation.');
    await page.locator('[name="body.europolCopy.copied"]').fill('false');
    await page.locator('[name="body.europolCopy.reasonNotCopied"]').selectOption('would-harm-investigation');
    await page.screenshot({ path: join(SHOTS, 'answer-form.png'), fullPage: true });
    const sent = await checkAndSend();
    expect(sent.plan).toMatch(/at-bmi\s*operational/);

    const answer = await next(bmi, (n) => n.kind === 'answer');
    expect(answer.conversation.answer).toEqual({
      outcome: 'refusal',
      refusalGround: 'ongoing-investigation',
    });
    expect(answer.markings.inReplyTo).toBe(request.noticeId);
    expect(answer.markings.caseReference).toBe('AT-BMI-2026-0999');
    expect(running.station.log.query({ action: 'disclose' })[0]!.entry).toMatchObject({
      officer: { username: 'anna.schmidt' },
      notice: { kind: 'answer' },
    });
    await page.goto(`${running.url}/inbox`);
    expect(await page.locator(`tr[data-notice="${request.noticeId}"]`).textContent()).toContain('answered');
    // What the DPO's deadline-compliance picture counts: answered within the deadline.
    const [deadline] = running.station.inbox.deadlines();
    expect(deadline).toMatchObject({ sender: 'at-bmi' });
    expect(deadline!.answeredAt).toBeLessThanOrEqual(deadline!.dueAt);
  });

  it('replies to an H2 alert with its markings inherited, asks for onward permission, forwards with the grant', async () => {
    const bmi = await sandbox.client('at-bmi');
    const alertLine = running.station.inbox.list({ kind: 'border-alert' })[0]!;
    await open(alertLine.noticeId);
    await page.getByRole('link', { name: 'Reply' }).click();
    await page.goto(`${running.url}/notices/${alertLine.noticeId}/reply?kind=threat-notice`);
    const inherited = (await page.locator('section.inherited').textContent()) ?? '';
    expect(inherited).toContain('H2');
    expect(inherited).toContain('needs its provider');
    expect(await page.locator('[name="markings.handlingCode"]').inputValue()).toBe('H2');
    await page.locator('[name="body.threatCategory"]').selectOption('document-fraud');
    await page.locator('[name="body.title"]').fill('Forged residence permits on the Vienna route');
    await page
      .locator('[name="body.assessment"]')
      .fill('The forgery matches a series seen in three member states.');
    await page.screenshot({ path: join(SHOTS, 'reply-form.png'), fullPage: true });
    const replied = await checkAndSend();
    expect(replied.plan).toMatch(/at-bmi/);
    const reply = await next(bmi, (n) => n.kind === 'threat-notice' && n.sender === 'de-bka');
    expect(reply.markings.handlingCode).toBe('H2');
    expect(reply.markings.inReplyTo).toBe(alertLine.noticeId);
    expect(reply.conversation.provenance).toMatchObject({ relation: 'reply', noticeId: alertLine.noticeId });

    // Forwarding the H2 alert to Finland needs the provider's permission: ask for it on the page.
    await open(alertLine.noticeId);
    await page.getByLabel(/Ask at-bmi for permission/).fill('fi-raja');
    await page.getByLabel('Purpose').last().selectOption('case-work');
    await page.getByRole('button', { name: 'Ask for permission' }).click();
    await expect.poll(() => page.locator('main').textContent()).toContain('accepted by the gate');
    const asked = await next(bmi, (n) => n.kind === 'onward-permission');
    expect(asked.conversation.permission).toMatchObject({
      decision: 'requested',
      noticeId: alertLine.noticeId,
      grantee: 'de-bka',
      recipients: ['fi-raja'],
    });
    const grant = await bmi.conversation.decidePermission(asked, 'granted');
    await until('the grant in the inbox', () => {
      try {
        return running.station.inbox.entry(grant.noticeId);
      } catch {
        return undefined;
      }
    });

    await page.goto(`${running.url}/notices/${alertLine.noticeId}/forward?kind=threat-notice`);
    expect(await page.locator('input[name="_permission"]').getAttribute('value')).toBe(grant.noticeId);
    await page.locator('[name="audience.recipients"]').fill('fi-raja');
    await page.locator('[name="body.threatCategory"]').selectOption('document-fraud');
    await page.locator('[name="body.title"]').fill('Forged residence permits (forwarded with permission)');
    await page
      .locator('[name="body.assessment"]')
      .fill('Austria reports a series of forged residence permits.');
    const forwarded = await checkAndSend();
    expect(forwarded.plan).toMatch(/fi-raja\s*operational/);
    const fi = await next(await sandbox.client('fi-raja'), (n) => n.sender === 'de-bka');
    expect(fi.conversation.provenance).toMatchObject({
      relation: 'forward',
      noticeId: alertLine.noticeId,
      permission: { noticeId: grant.noticeId },
    });
    expect(fi.markings.handlingCode).toBe('H2');
  });

  it('as the provider, grants a partner’s request for onward permission on the page', async () => {
    // de-bka's own H2 notice to Finland (sent through the SDK as de-bka), and Finland asks to pass it to the Netherlands.
    const bka = await sandbox.client('de-bka');
    const threat = exampleNotices().threatNotice as { markings: Record<string, unknown> };
    const own = await bka.publish(
      { ...threat, markings: { ...threat.markings, handlingCode: 'H2' } },
      { recipients: ['fi-raja'] },
    );
    const fi = await sandbox.client('fi-raja');
    const delivered = await next(fi, (n) => n.noticeId === own.noticeId);
    const ask = await fi.conversation.requestPermission(delivered, ['nl-piu'], {
      priority: 'non-urgent',
      handlingCode: 'H2',
      evaluation: { source: 'B', information: '2' },
      crimeAreas: delivered.markings.crimeAreas,
    });
    await until('the request in the inbox', () => {
      try {
        return running.station.inbox.entry(ask.noticeId);
      } catch {
        return undefined;
      }
    });
    await open(ask.noticeId);
    const form = page.locator('form.permission');
    expect(await form.textContent()).toContain('fi-raja asks to pass your notice');
    expect(await form.textContent()).toContain('nl-piu');
    await form.getByLabel('Purpose').selectOption('case-work');
    await form.getByRole('button', { name: 'Grant' }).click();
    await expect.poll(() => page.locator('main').textContent()).toContain('accepted by the gate');
    await page.screenshot({ path: join(SHOTS, 'permission-granted.png'), fullPage: true });
    const grant = await next(fi, (n) => n.kind === 'onward-permission' && n.sender === 'de-bka');
    expect(grant.conversation.permission).toMatchObject({
      decision: 'granted',
      noticeId: own.noticeId,
      grantee: 'fi-raja',
      recipients: ['nl-piu'],
    });
    expect(running.station.log.query({ action: 'disclose' })[0]!.entry).toMatchObject({
      officer: { username: 'anna.schmidt' },
      notice: { kind: 'onward-permission' },
    });
  });
});
