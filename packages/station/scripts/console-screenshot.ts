// The README's screenshot of the console: starts the demo exchange with its station
// (`pnpm start -- --serve`, in a temporary key home), logs in as the demo's officer
// in Debian's Chromium (playwright-core) and saves the inbox and an opened notice
// under docs/, then the auditor's console (`liaison audit console`) over the same exchange. Run: pnpm exec tsx --conditions=source packages/station/scripts/console-screenshot.ts
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const root = new URL('../../../', import.meta.url).pathname;
const home = mkdtempSync(join(tmpdir(), 'liaison-demo-shot-'));
const demo = spawn(
  join(root, 'node_modules/.bin/tsx'),
  ['--conditions=source', 'services/demo/src/main.ts', '--serve'],
  {
    cwd: root,
    env: { ...process.env, LIAISON_HOME: home },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
let out = '';
const ready = new Promise<{ url: string; password: string }>((resolve, reject) => {
  demo.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    const url = /station of de-bka: (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    const password = /officer\s+anna\.schmidt\s+(\S+)/.exec(out)?.[1];
    if (url && password && out.includes('serving on')) resolve({ url, password });
  });
  demo.once('exit', (code) => reject(new Error(`the demo ended (${code}) before its station was up`)));
});

try {
  const { url, password } = await ready;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
  await page.goto(`${url}/login`);
  await page.getByLabel('Username').fill('anna.schmidt');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(/\/inbox$/);
  await page.screenshot({ path: join(root, 'docs/console-inbox.png') });
  await page.locator('table.inbox tbody tr a').first().click();
  await page.getByLabel('Purpose').selectOption('case-work');
  await page.getByRole('button', { name: 'Open notice' }).click();
  await page.waitForSelector('text=Markings that bind you');
  await page.screenshot({ path: join(root, 'docs/console-notice.png') });
  // The auditor's console, from the CLI, over the same demo exchange.
  const cli = spawn(
    join(root, 'node_modules/.bin/tsx'),
    ['--conditions=source', 'packages/cli/src/main.ts', '--home', home, 'audit', 'console', '--port', '0'],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    let text = '';
    const audit = await new Promise<{ url: string; secret: string }>((resolve, reject) => {
      cli.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        const m = /(http:\/\/127\.0\.0\.1:\d+)\nlogin secret \(this session only\): (\S+)/.exec(text);
        if (m) resolve({ url: m[1]!, secret: m[2]! });
      });
      cli.once('exit', (code) => reject(new Error(`the audit console ended (${code})`)));
    });
    const auditPage = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
    await auditPage.goto(`${audit.url}/login`);
    await auditPage.getByLabel('Login secret').fill(audit.secret);
    await auditPage.getByRole('button', { name: 'Log in' }).click();
    await auditPage.waitForURL(/\/audit$/);
    await auditPage.locator('#stats-h').scrollIntoViewIfNeeded();
    await auditPage.screenshot({ path: join(root, 'docs/audit-console.png'), fullPage: true });
  } finally {
    cli.kill('SIGINT');
    await new Promise((r) => cli.once('exit', r));
  }
  await browser.close();
  process.stdout.write('saved docs/console-inbox.png, docs/console-notice.png and docs/audit-console.png\n');
} finally {
  demo.kill('SIGINT');
  await new Promise((r) => demo.once('exit', r));
  rmSync(home, { recursive: true, force: true });
}
