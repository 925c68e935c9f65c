import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('the demo (README first command)', () => {
  it('runs end to end, shows who could read what, and exits cleanly', async () => {
    const home = mkdtempSync(join(tmpdir(), 'liaison-demo-'));
    try {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', '--conditions=source', 'services/demo/src/main.ts'],
        { cwd: root, env: { ...process.env, LIAISON_HOME: home }, timeout: 60_000 },
      );
      const lines = stdout.split('\n');
      const alertAt = lines.findIndex((l) => l.startsWith('Border alert'));
      const section = lines.slice(alertAt, lines.indexOf('', alertAt + 1));
      const row = (agency: string) => section.find((l) => l.trimStart().startsWith(`${agency} `)) ?? '';
      expect(row('us-cbp')).toMatch(/operational .*PETROVA/);
      // Coarsened for the strategic partner: the country and the ISO week, not the crossing point and second.
      expect(row('ru-mvd')).toMatch(/strategic .*at AT \(entry, \d{4}-W\d{2}\)/);
      expect(row('ru-mvd')).not.toMatch(/PETROVA|382914756|Nickelsdorf/);
      expect(row('cn-mps')).toMatch(/nothing .*no agreement/);
      expect(stdout).toMatch(/Receipts/);
      // Conversations (issue 17): a request answered within its deadline, a forward with permission,
      // a hit / no-hit query and its follow-up after confirmation, the case's thread.
      expect(stdout).toMatch(/at-bmi answers \(information\): de-bka operational.* — within the deadline/);
      expect(stdout).toMatch(/without permission: nobody \(.*ONWARD_NEEDS_PERMISSION\)/);
      expect(stdout).toMatch(/citing the grant: us-cbp operational \(ONWARD_PERMITTED\)/);
      expect(stdout).toMatch(/at-bmi answers automatically: hit AT-KFZ-77812/);
      expect(stdout).toMatch(/fi-raja answers automatically: no-hit/);
      expect(stdout).toMatch(/the follow-up goes to at-bmi operational only/);
      expect(stdout).toMatch(/hit-query → hit-answer → hit-answer → information-request/);
      expect(stdout).toMatch(/Audit log: \d+ entries, \d+ signed checkpoints, root [0-9a-f]+… — verified/);
      expect(stdout).toMatch(/done in/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

/** Logs in to a station console with plain HTTP (login CSRF token, then the session cookie); the inbox page. */
async function logInOverHttp(url: string, username: string, password: string): Promise<string> {
  const cookieOf = (r: Response) => r.headers.getSetCookie().map((c) => c.split(';')[0]!);
  const form = await fetch(`${url}/login`);
  const token = (await form.text()).match(/name="_login" value="([^"]+)"/)?.[1] ?? '';
  const login = await fetch(`${url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieOf(form).join('; ') },
    body: new URLSearchParams({ _login: token, username, password }).toString(),
  });
  expect(login.status).toBe(303);
  expect(login.headers.get('location')).toBe('/inbox');
  const session = cookieOf(login).find((c) => c.startsWith('__Host-liaison-session='));
  const inbox = await fetch(`${url}/inbox`, { headers: { cookie: session ?? '' }, redirect: 'manual' });
  expect(inbox.status).toBe(200);
  return inbox.text();
}

/** Every process below `pid` (from /proc), deepest last. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('pnpm start -- --serve', () => {
  it('starts de-bka’s station (an officer logs in with this run’s password), then stops the demo, the station and nats-server when pnpm gets SIGTERM (pnpm does not pass it on)', async () => {
    const home = mkdtempSync(join(tmpdir(), 'liaison-demo-'));
    const pnpm = spawn('pnpm', ['start', '--', '--serve'], {
      cwd: root,
      env: { ...process.env, LIAISON_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let below: number[] = [];
    let out = '';
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not serving after 60 s:\n${out}`)), 60_000);
        pnpm.stdout.on('data', (d) => {
          out += String(d);
          if (out.includes('serving on')) {
            clearTimeout(timer);
            resolve();
          }
        });
        pnpm.once('exit', () => reject(new Error(`pnpm exited early:\n${out}`)));
      });
      below = descendants(pnpm.pid!);
      expect(below.length).toBeGreaterThanOrEqual(3); // sh/tsx, the demo, nats-server
      // de-bka's station: its URL and this run's logins are printed; an officer logs in once.
      const url = out.match(/station of de-bka: (http:\/\/127\.0\.0\.1:\d+)/)?.[1];
      const password = out.match(/officer\s+anna\.schmidt\s+(\S+)/)?.[1];
      expect(url).toBeDefined();
      expect(password).toBeDefined();
      const inbox = await logInOverHttp(url!, 'anna.schmidt', password!);
      expect(inbox).toContain('border-alert');
      expect(inbox).toContain('URGENT');
      expect(inbox).toContain('Anna Schmidt (officer)');
      expect(existsSync(join(home, 'server.json'))).toBe(true);
      pnpm.kill('SIGTERM');
      const deadline = Date.now() + 15_000;
      while (below.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(below.filter(alive)).toEqual([]);
      expect(existsSync(join(home, 'server.json'))).toBe(false);
    } finally {
      for (const pid of [pnpm.pid!, ...below].filter(alive)) process.kill(pid, 'SIGKILL');
      rmSync(home, { recursive: true, force: true });
    }
  });
});
