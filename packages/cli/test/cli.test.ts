import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyStore } from '@liaison/client';
import { exampleNotices } from '@liaison/notice';
import { bootstrapDirectory, DEMO_AGENCIES, DEMO_AGREEMENTS } from '@liaison/registry';
import { type NatsServer, startServer } from '@liaison/testkit';
import { inboxOf, Subjects } from '@liaison/topology';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/index.js';

let server: NatsServer;
let home: string;

beforeAll(async () => {
  server = await startServer();
  home = mkdtempSync(join(tmpdir(), 'liaison-cli-'));
  const nc = await connect({ servers: server.url });
  await bootstrapDirectory(nc, new KeyStore(home), {
    origin: 'cli-test',
    agencies: DEMO_AGENCIES,
    agreements: DEMO_AGREEMENTS,
  });
  await nc.close();
});
afterAll(async () => {
  await server?.dispose();
  rmSync(home, { recursive: true, force: true });
});

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.join(' ')));
  try {
    const code = await main([...args, '--server', server.url, '--home', home]);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('liaison CLI', () => {
  it('lists and shows agencies', async () => {
    const list = await run('agency', 'list');
    expect(list.code).toBe(0);
    expect(list.out).toContain('ru-mvd');
    const show = await run('agency', 'show', 'us-cbp', '--json');
    expect(JSON.parse(show.out).agency.country).toBe('US');
  });

  it('adds an agency with fresh keys, and refuses a bad one with the field named', async () => {
    const added = await run(
      'agency',
      'add',
      '--id',
      'se-polisen',
      '--name',
      'Sweden — Police',
      '--country',
      'SE',
      '--kind',
      'member-state-authority',
      '--roles',
      'publisher,subscriber',
      '--admin',
      'admin-1',
    );
    expect(added.code, added.err).toBe(0);
    const shown = await run('agency', 'show', 'se-polisen');
    expect(shown.out).toMatch(/signing +\S{43} .*\(current\)/);
    expect(shown.out).toMatch(/encryption \S{43} .*\(current\)/);
    const bad = await run(
      'agency',
      'add',
      '--id',
      'Bad Id',
      '--name',
      'x',
      '--country',
      'SE',
      '--kind',
      'member-state-authority',
      '--admin',
      'admin-1',
    );
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/BAD_ARGUMENT.*--id/);
    const again = await run(
      'agency',
      'add',
      '--id',
      'se-polisen',
      '--name',
      'x',
      '--country',
      'SE',
      '--kind',
      'member-state-authority',
      '--admin',
      'admin-1',
    );
    expect(again.err).toMatch(/AGENCY_EXISTS/);
  });

  it('raises an agreement only with a second administrator', async () => {
    const proposed = await run(
      'agreement',
      'propose',
      '--partner',
      'IN',
      '--level',
      'strategic',
      '--legal-basis',
      'test',
      '--admin',
      'admin-1',
      '--json',
    );
    expect(proposed.code).toBe(0);
    const { proposalId, pending } = JSON.parse(proposed.out);
    expect(pending).toBe(true);
    const self = await run('agreement', 'approve', proposalId, '--admin', 'admin-1');
    expect(self.code).toBe(1);
    expect(self.err).toContain('FOUR_EYES_REQUIRED');
    const other = await run('agreement', 'approve', proposalId, '--admin', 'admin-2');
    expect(other.code).toBe(0);
    expect((await run('policy', 'show')).out).toMatch(/IN strategic .*\(in force\)/);
  });

  it('explains a decision for a notice file', async () => {
    const file = join(home, 'notice.json');
    writeFileSync(file, JSON.stringify({ sender: 'at-bmi', notice: exampleNotices().borderAlert }));
    const ru = await run('policy', 'explain', '--notice', file, '--to', 'ru-mvd');
    expect(ru.out).toMatch(/^ru-mvd may receive the non-personal layer only \(strategic\)/);
    const cn = await run('policy', 'explain', '--notice', file, '--to', 'cn-mps', '--json');
    expect(JSON.parse(cn.out)).toMatchObject({ level: 'none', reasons: ['NO_AGREEMENT'] });
  });

  it('rotates and revokes keys, and shows past revisions', async () => {
    const before = JSON.parse((await run('policy', 'show', '--json')).out).revision;
    const rotated = await run('key', 'rotate', 'fi-raja', '--admin', 'admin-1', '--json');
    expect(rotated.code).toBe(0);
    const { signing } = JSON.parse(rotated.out);
    const revoked = await run('key', 'revoke', 'fi-raja', signing, '--admin', 'admin-2');
    expect(revoked.code).toBe(0);
    expect((await run('agency', 'show', 'fi-raja')).out).toContain('REVOKED');
    expect(JSON.parse((await run('policy', 'show', '--at', String(before), '--json')).out).revision).toBe(
      before,
    );
  });

  it('writes the broker authorization block from the registry', async () => {
    const out = join(home, 'auth.conf');
    const r = await run('broker', 'config', '--out', out, '--json');
    expect(r.code, r.err).toBe(0);
    const users = JSON.parse(r.out).users as string[];
    expect(users).toEqual(
      expect.arrayContaining(['liaison-operator', 'at-bmi', 'ru-mvd', 'admin-1', 'admin-2']),
    );
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^authorization \{/);
    const t = new Subjects();
    expect(text).toContain(JSON.stringify(t.intake('at-bmi')));
    expect(text).toContain(JSON.stringify(inboxOf('ru-mvd')));
    expect(text).not.toContain(JSON.stringify(t.intake('ru-mvd')));
  });

  it('reports bad input with a code and no stack', async () => {
    const bad = await run('agreement', 'propose', '--partner', 'usa', '--level', 'max', '--admin', 'admin-1');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^error BAD_ARGUMENT: invalid agreement/);
    expect((await run('agency', 'show', 'nobody')).err).toContain('UNKNOWN_AGENCY');
    expect((await run('nonsense')).code).toBe(2);
  });
});
