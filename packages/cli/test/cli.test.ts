import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_AGENCIES, DEMO_AGREEMENTS, exampleNotices } from '@liaison/fixtures';
import { KeyStore, writeServerFile } from '@liaison/identity';
import { bootstrapDirectory } from '@liaison/registry';
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
  // An open development broker: its server file says so, and the CLI joins it anonymously.
  writeServerFile(home, { url: server.url, open: true });
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

  it('adds an agency with the public keys it generated, and refuses a bad one with the field as data', async () => {
    // The agency's side: its own keys, private halves in its own home.
    const agencyHome = mkdtempSync(join(tmpdir(), 'liaison-agency-'));
    const pub = join(agencyHome, 'public.json');
    const generated = await main(['key', 'generate', 'se-polisen', '--out', pub, '--home', agencyHome]);
    expect(generated).toBe(0);
    expect(new KeyStore(agencyHome).has('keys', 'se-polisen')).toBe(true);
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
      '--public-keys',
      pub,
      '--admin',
      'admin-1',
      '--json',
    );
    expect(added.code, added.err).toBe(0);
    const { signing, encryption, proposalId } = JSON.parse(added.out);
    // Four eyes: the registration waits for a second administrator.
    expect((await run('agency', 'show', 'se-polisen')).code).toBe(1);
    expect((await run('agency', 'approve', proposalId, '--admin', 'admin-1')).err).toMatch(
      /^error FOUR_EYES_REQUIRED/,
    );
    const approved = await run('agency', 'approve', proposalId, '--admin', 'admin-2');
    expect(approved.code, approved.err).toBe(0);
    expect(JSON.parse(readFileSync(pub, 'utf8')).signing.jwk.crv).toBe('Ed25519');
    // The administrator's key store got no private key of the agency.
    expect(new KeyStore(home).has('keys', 'se-polisen')).toBe(false);
    const shown = await run('agency', 'show', 'se-polisen');
    expect(shown.out).toContain(`signing    ${signing}`);
    expect(shown.out).toMatch(new RegExp(`encryption ${encryption} .*\\(current\\)`));
    rmSync(agencyHome, { recursive: true, force: true });

    // The demo's convenience: keys generated into a given home.
    const demo = await run(
      'agency',
      'add',
      '--id',
      'dk-politi',
      '--name',
      'Denmark — Police',
      '--country',
      'DK',
      '--kind',
      'member-state-authority',
      '--generate-keys',
      home,
      '--admin',
      'admin-1',
    );
    expect(demo.code, demo.err).toBe(0);
    expect(new KeyStore(home).has('keys', 'dk-politi')).toBe(true);

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
      '--public-keys',
      pub.replace(agencyHome, home),
      '--admin',
      'admin-1',
      '--json',
    );
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.err).error.code).toBe('BAD_FILE'); // that file is the agency's, not here
    writeFileSync(join(home, 'se.json'), JSON.stringify({ signing: { jwk: { kty: 'OKP' } } }));
    const invalid = await run(
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
      '--public-keys',
      join(home, 'se.json'),
      '--admin',
      'admin-1',
      '--json',
    );
    const { error } = JSON.parse(invalid.err);
    expect(error.code).toBe('INVALID_INPUT');
    const paths = error.issues.map((i: { path: string[] }) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['agency.id', 'keys.signing.jwk.crv', 'keys.encryption']));
    const missingKeys = await run('agency', 'add', '--id', 'x', '--admin', 'admin-1');
    expect(missingKeys.err).toMatch(/^error BAD_ARGUMENT: .*--public-keys/);
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
      '--generate-keys',
      home,
      '--admin',
      'admin-1',
    );
    expect(again.err).toMatch(/^error AGENCY_EXISTS/);
  });

  it('registers an agency from its signed request: its private keys stay in its own home', async () => {
    const agencyHome = mkdtempSync(join(tmpdir(), 'liaison-agency-'));
    const request = join(agencyHome, 'request.jws');
    const init = await main([
      'keys',
      'init',
      'lt-policija',
      '--name',
      'Lithuania — Police',
      '--country',
      'LT',
      '--kind',
      'member-state-authority',
      '--roles',
      'publisher,subscriber',
      '--clearance',
      'RESTREINT-UE',
      '--out',
      request,
      '--home',
      agencyHome,
    ]);
    expect(init).toBe(0);
    const own = await new KeyStore(agencyHome).load('keys', 'lt-policija');
    const jws = readFileSync(request, 'utf8');
    expect(jws).not.toContain(String(own.signing.privateJwk.d));
    // A second `keys init` does not replace the keys the home holds.
    expect(
      await main(['keys', 'init', 'lt-policija', '--out', join(agencyHome, 'r2'), '--home', agencyHome]),
    ).toBe(1);

    // A tampered request (the id changed, the agency's signature kept) is refused, nothing proposed.
    const [h, p, sig] = jws.trim().split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString('utf8'));
    payload.agency.id = 'lv-policija';
    const forged = join(agencyHome, 'forged.jws');
    writeFileSync(forged, `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${sig}`);
    const refused = await run('agency', 'add', '--request', forged, '--admin', 'admin-1', '--json');
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.err).error.code).toBe('BAD_REQUEST_SIGNATURE');

    const added = await run('agency', 'add', '--request', request, '--admin', 'admin-1', '--json');
    expect(added.code, added.err).toBe(0);
    const { proposalId, signing } = JSON.parse(added.out);
    expect(signing).toBe(own.signing.record.kid);
    expect((await run('agency', 'approve', proposalId, '--admin', 'admin-1')).err).toMatch(
      /^error FOUR_EYES_REQUIRED/,
    );
    expect((await run('agency', 'approve', proposalId, '--admin', 'admin-2')).code).toBe(0);
    const shown = JSON.parse((await run('agency', 'show', 'lt-policija', '--json')).out);
    expect(shown.agency).toMatchObject({ country: 'LT', clearance: 'RESTREINT-UE' });
    // The administrator's key store never received the agency's private keys.
    expect(new KeyStore(home).has('keys', 'lt-policija')).toBe(false);
    const adminFiles = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? adminFiles(join(dir, e.name)) : [readFileSync(join(dir, e.name), 'utf8')],
      );
    for (const text of adminFiles(home)) {
      expect(text).not.toContain(String(own.signing.privateJwk.d));
      expect(text).not.toContain(String(own.encryption.privateJwk.d));
    }
    rmSync(agencyHome, { recursive: true, force: true });
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
    // A border alert reaches a strategic partner only with the sender's opt-in.
    const ru = await run('policy', 'explain', '--notice', file, '--to', 'ru-mvd');
    expect(ru.out).toMatch(/^ru-mvd receives nothing, .*person-centred/);
    const optedIn = join(home, 'notice-opt-in.json');
    const alert = exampleNotices().borderAlert;
    writeFileSync(
      optedIn,
      JSON.stringify({
        sender: 'at-bmi',
        notice: { ...alert, markings: { ...(alert.markings as object), strategicOptIn: true } },
      }),
    );
    const ruOptIn = await run('policy', 'explain', '--notice', optedIn, '--to', 'ru-mvd');
    expect(ruOptIn.out).toMatch(/^ru-mvd may receive the non-personal layer only \(strategic\)/);
    const threat = join(home, 'threat.json');
    writeFileSync(threat, JSON.stringify({ sender: 'eu-europol', notice: exampleNotices().threatNotice }));
    expect((await run('policy', 'explain', '--notice', threat, '--to', 'us-cbp')).out).toMatch(
      /^us-cbp may receive the whole notice, which holds no personal data/,
    );
    const cn = await run('policy', 'explain', '--notice', file, '--to', 'cn-mps', '--json');
    expect(JSON.parse(cn.out)).toMatchObject({ level: 'none', reasons: ['NO_AGREEMENT'] });
  });

  it('rotates and revokes keys, and shows past revisions', async () => {
    const before = JSON.parse((await run('policy', 'show', '--json')).out).revision;
    const rotated = await run(
      'key',
      'rotate',
      'fi-raja',
      '--generate-keys',
      home,
      '--admin',
      'admin-1',
      '--json',
    );
    expect(rotated.code, rotated.err).toBe(0);
    const { signing, proposalId } = JSON.parse(rotated.out);
    expect((await run('agency', 'approve', proposalId, '--admin', 'admin-2')).code).toBe(0);
    const revoked = await run('key', 'revoke', 'fi-raja', signing, '--admin', 'admin-2');
    expect(revoked.code).toBe(0);
    expect((await run('agency', 'show', 'fi-raja')).out).toContain('REVOKED');
    expect(JSON.parse((await run('policy', 'show', '--at', String(before), '--json')).out).revision).toBe(
      before,
    );
  });

  it('writes the broker accounts block from the registry', async () => {
    const out = join(home, 'accounts.conf');
    const r = await run('broker', 'config', '--out', out, '--json');
    expect(r.code, r.err).toBe(0);
    const { users, accounts } = JSON.parse(r.out) as { users: string[]; accounts: string[] };
    expect(users).toEqual(
      expect.arrayContaining(['liaison-operator', 'at-bmi', 'ru-mvd', 'admin-1', 'admin-2']),
    );
    // The exchange's account, and one account per agency.
    expect(accounts).toEqual(expect.arrayContaining(['LIAISON', 'at-bmi', 'ru-mvd']));
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^accounts \{/);
    expect(text).not.toMatch(/allow_responses/);
    const t = new Subjects();
    expect(text).toContain(JSON.stringify(t.intake('at-bmi')));
    expect(text).toContain(JSON.stringify(inboxOf('ru-mvd')));
    expect(text).not.toContain(JSON.stringify(t.intake('ru-mvd')));
  });

  it('reports bad input with a code and no stack', async () => {
    const bad = await run(
      'agreement',
      'propose',
      '--partner',
      'usa',
      '--level',
      'max',
      '--legal-basis',
      'x',
      '--admin',
      'admin-1',
      '--json',
    );
    expect(bad.code).toBe(1);
    const { error } = JSON.parse(bad.err);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.issues.map((i: { path: string[] }) => i.path.join('.')).sort()).toEqual([
      'agreement.level',
      'agreement.partner',
    ]);
    expect((await run('agency', 'show', 'nobody')).err).toMatch(/^error UNKNOWN_AGENCY/);
    expect((await run('agreement', 'end', '--partner', 'ZZ', '--admin', 'admin-1')).err).toMatch(
      /^error CONFLICT/,
    );
    expect((await run('nonsense')).code).toBe(2);
  });

  it('says NO_SERVER, by the client error class, when nothing listens', async () => {
    const err: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.join(' ')));
    try {
      const code = await main(['agency', 'list', '--server', 'nats://127.0.0.1:1', '--home', home, '--json']);
      expect(code).toBe(1);
    } finally {
      spy.mockRestore();
    }
    expect(JSON.parse(err.join('')).error.code).toBe('NO_SERVER');
  });

  it('audits only as an auditor, and codes a missing log key or log', async () => {
    const agency = await run('audit', 'verify', '--as', 'at-bmi', '--json');
    expect(agency.code).toBe(1);
    const { error } = JSON.parse(agency.err);
    expect(error.code).toBe('NOT_AN_AUDITOR');
    expect(error.message).toContain('eu-auditor');
    // This directory has no audit-log service: no key to check checkpoints with, and no log.
    const verify = await run('audit', 'verify');
    expect(verify.code).toBe(1);
    expect(verify.err).toMatch(/^error NO_LOG_KEY: .*liaison-audit-log/);
    expect((await run('audit', 'history')).err).toMatch(/^error LOG_MISSING: the AUDIT stream/);
  });
});
