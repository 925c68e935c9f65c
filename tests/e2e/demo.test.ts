import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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
      expect(row('ru-mvd')).toMatch(/strategic .*Nickelsdorf/);
      expect(row('ru-mvd')).not.toMatch(/PETROVA|382914756/);
      expect(row('cn-mps')).toMatch(/nothing .*no agreement/);
      expect(stdout).toMatch(/Receipts/);
      expect(stdout).toMatch(/Audit log: \d+ entries, \d+ signed checkpoints, root [0-9a-f]+… — verified/);
      expect(stdout).toMatch(/done in/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
