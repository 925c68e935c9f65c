import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const slowShutdown = fileURLToPath(new URL('./fixtures/slow-shutdown.ts', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/crash-after-start.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

/** Alive = exists and is not a zombie (an orphan's zombie lingers if PID 1 does not reap). */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('teardown', () => {
  it('kills the server and removes its directory when the test process crashes', async () => {
    const result = await run(tsx, ['--conditions=source', fixture]).catch((err) => err);
    expect(result.code).not.toBe(0);
    const { pid, dir } = JSON.parse(String(result.stdout).trim().split('\n')[0] ?? '{}');
    expect(pid).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });

  it.each([
    ['handles the first signal only', []],
    ['keeps handling signals', ['--persistent']],
  ])(
    'kills the server and ends when a second signal arrives during a graceful shutdown (the service %s)',
    async (_, args) => {
      const child = spawn(tsx, ['--conditions=source', slowShutdown, ...args], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += String(d);
          if (out.includes('\n')) resolve(out.split('\n')[0]!);
        });
        child.once('exit', () => reject(new Error(`fixture exited early: ${out}`)));
      });
      const { pid, dir } = JSON.parse(line);
      expect(isAlive(pid)).toBe(true);
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM'); // tsx forwards it: the fixture starts its (endless) graceful shutdown
      await new Promise((r) => setTimeout(r, 300));
      expect(isAlive(pid)).toBe(true);
      child.kill('SIGTERM'); // the second one
      await exited;
      await new Promise((r) => setTimeout(r, 200));
      expect(isAlive(pid)).toBe(false);
      expect(existsSync(dir)).toBe(false);
    },
  );
});
