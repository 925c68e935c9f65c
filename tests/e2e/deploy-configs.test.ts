import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AuditLogConfigSchema, LogReaderConfigSchema } from '@liaison/audit-log';
import { LeafPasswords, siteConfig } from '@liaison/broker';
import { main } from '@liaison/cli';
import { loadConfig } from '@liaison/core';
import { DEMO_AGENCIES } from '@liaison/fixtures';
import { GateConfigSchema } from '@liaison/gate';
import { CredentialStore, connect, connectionFor } from '@liaison/identity';
import { findNatsServer, freePort, renderConfig, type Template } from '@liaison/launcher';
import { RetentionConfigSchema } from '@liaison/retention';
import { Sandbox } from '@liaison/sandbox';
import { StationConfigSchema } from '@liaison/station';
import { accountOf } from '@liaison/topology';
import { jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRunner, exited } from './helpers.js';

// Every production config in deploy/ is rendered and loaded by a real nats-server
// (`-t`, then started): a single node with the accounts block `liaison broker config
// --leaf-sites` writes, an agency site's leaf node (with `siteConfig`'s values and local
// accounts) linking to it, a 3-node hub cluster with TLS routes; the systemd units are
// verified and the environment templates parsed by the services' own schemas. So none of
// them can rot. (The agency-site tests start the same node, hub and leaf templates.)

const DEPLOY = fileURLToPath(new URL('../../deploy/', import.meta.url));
let sandbox: Sandbox;
let work: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  sandbox = await Sandbox.start({ gate: false, auditLog: false });
  work = mkdtempSync(join(tmpdir(), 'liaison-deploy-'));
  const cli = cliRunner(sandbox, main);
  const r = await cli('broker', 'config', '--out', join(work, 'accounts.conf'));
  expect(r.code, r.err).toBe(0);
  // A hub that takes de-bka's site: its leaf user in its account, credential-less connections refused.
  new LeafPasswords(sandbox.home).get('de-bka', true);
  const sites = await cli('broker', 'config', '--leaf-sites', '--out', join(work, 'accounts-sites.conf'));
  expect(sites.code, sites.err).toBe(0);
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await Promise.all(children.map(exited));
  await sandbox?.dispose();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Renders a template into `dir` (as `file`), with accounts.conf beside it. */
function render(
  dir: string,
  template: Template,
  values: Record<string, string | number>,
  file = 'nats-server.conf',
) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), renderConfig(template, values));
  return join(dir, file);
}

function configTest(file: string): void {
  execFileSync(findNatsServer(), ['-t', '-c', file], { stdio: 'pipe' });
}

function start(file: string): ChildProcess {
  const child = spawn(findNatsServer(), ['-c', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  return child;
}

async function monitor<T>(httpPort: number, path: string): Promise<T | undefined> {
  try {
    const r = await fetch(`http://127.0.0.1:${httpPort}${path}`);
    return r.ok ? ((await r.json()) as T) : undefined;
  } catch {
    return undefined;
  }
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const q = JSON.stringify;

describe('deploy/nats production configs', () => {
  it('a single node with the registry accounts: TLS only, identities by nkey, an agency site linked by its leaf', async () => {
    const tls = sandbox.tlsDir!;
    const hub = { port: await freePort(), http: await freePort(), leaf: await freePort() };
    const password = new LeafPasswords(sandbox.home).get('de-bka')!;
    const hubDir = join(work, 'node');
    const hubFile = render(hubDir, 'node', {
      SERVER_NAME: 'liaison-node-1',
      HOST: '127.0.0.1',
      PORT: hub.port,
      HTTP_PORT: hub.http,
      LEAF_PORT: hub.leaf,
      LEAF_ADVERTISE: `127.0.0.1:${hub.leaf}`,
      STORE_DIR: join(hubDir, 'jetstream'),
      TLS_DIR: tls,
    });
    copyFileSync(join(work, 'accounts-sites.conf'), join(hubDir, 'accounts.conf'));
    expect(readFileSync(join(hubDir, 'accounts.conf'), 'utf8')).toContain('no_auth_user');
    configTest(hubFile);
    start(hubFile);
    await until(
      async () => (await monitor(hub.http, '/healthz?js-enabled-only=true')) !== undefined,
      'node up',
    );
    const varz = await monitor<{ tls_required: boolean; leaf: { tls_required?: boolean } }>(
      hub.http,
      '/varz',
    );
    expect(varz?.tls_required).toBe(true);

    // The gate joins with its own nkey over TLS and reaches JetStream.
    const nc = await connect(
      connectionFor({
        home: sandbox.home,
        identity: 'liaison-gate',
        servers: `tls://127.0.0.1:${hub.port}`,
        caFile: sandbox.caFile!,
      }),
    );
    expect((await (await jetstreamManager(nc)).getAccountInfo()).streams).toBe(0);
    await nc.close();
    // A stranger's nkey is refused.
    new CredentialStore(sandbox.home).seed('stranger');
    await expect(
      connect(
        connectionFor({
          home: sandbox.home,
          identity: 'stranger',
          servers: `tls://127.0.0.1:${hub.port}`,
          caFile: sandbox.caFile!,
        }),
      ),
    ).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' });

    // An agency site: its leaf links as its leaf user with a client certificate, bound to its account.
    const site = async (name: string, pw: string) => {
      const dir = join(work, name);
      const ports = { port: await freePort(), http: await freePort() };
      const config = siteConfig({
        agency: DEMO_AGENCIES.find((a) => a.id === 'de-bka')!,
        creds: new CredentialStore(sandbox.home),
        hubLeafNodes: [`127.0.0.1:${hub.leaf}`],
        password: pw,
      });
      const file = render(dir, 'leaf', {
        SERVER_NAME: name,
        HOST: '127.0.0.1',
        PORT: ports.port,
        HTTP_PORT: ports.http,
        STORE_DIR: join(dir, 'jetstream'),
        TLS_DIR: tls,
        ...config.values,
      });
      writeFileSync(join(dir, 'accounts.conf'), config.accounts);
      configTest(file);
      start(file);
      await until(
        async () => (await monitor(ports.http, '/healthz?js-enabled-only=true')) !== undefined,
        `${name} up`,
      );
    };
    type Leafz = { leafs: { account: string }[] };
    await site('leaf-de-bka', password);
    await until(
      async () => ((await monitor<Leafz>(hub.http, '/leafz'))?.leafs.length ?? 0) === 1,
      'the site linked',
    );
    const [leaf] = (await monitor<Leafz>(hub.http, '/leafz'))!.leafs;
    expect(leaf?.account).toBe(accountOf('de-bka'));
    // A site with the wrong password never links.
    await site('leaf-impostor', 'not-the-password');
    await new Promise((r) => setTimeout(r, 3_000));
    expect((await monitor<Leafz>(hub.http, '/leafz'))!.leafs.map((l) => l.account)).toEqual([
      accountOf('de-bka'),
    ]);
  }, 90_000);

  it('a 3-node hub cluster forms over TLS routes with the generated route password', async () => {
    const nodes = await Promise.all(
      [1, 2, 3].map(async (i) => ({
        i,
        port: await freePort(),
        http: await freePort(),
        leaf: await freePort(),
        cluster: await freePort(),
      })),
    );
    const password = randomBytes(24).toString('hex');
    const routes = nodes
      .map((n) => q(`nats-route://liaison-route:${password}@127.0.0.1:${n.cluster}`))
      .join(', ');
    for (const n of nodes) {
      const dir = join(work, `hub-${n.i}`);
      render(
        dir,
        'node',
        {
          SERVER_NAME: `liaison-hub-${n.i}`,
          HOST: '127.0.0.1',
          PORT: n.port,
          HTTP_PORT: n.http,
          LEAF_PORT: n.leaf,
          LEAF_ADVERTISE: `127.0.0.1:${n.leaf}`,
          STORE_DIR: join(dir, 'jetstream'),
          TLS_DIR: sandbox.tlsDir!,
        },
        'node.conf',
      );
      const file = render(dir, 'hub', {
        CLUSTER_HOST: '127.0.0.1',
        CLUSTER_PORT: n.cluster,
        ROUTE_PASSWORD: password,
        ROUTES: routes,
        TLS_DIR: sandbox.tlsDir!,
      });
      copyFileSync(join(work, 'accounts.conf'), join(dir, 'accounts.conf'));
      configTest(file);
      start(file);
    }
    type Routez = { num_routes: number };
    for (const n of nodes)
      await until(
        async () => ((await monitor<Routez>(n.http, '/routez'))?.num_routes ?? 0) >= 2,
        `hub-${n.i} routed`,
      );
    for (const n of nodes)
      await until(
        async () => (await monitor(n.http, '/healthz?js-enabled-only=true')) !== undefined,
        `hub-${n.i} JetStream`,
      );
  }, 90_000);
});

describe('deploy/systemd and deploy/env', () => {
  const units = readdirSync(join(DEPLOY, 'systemd')).filter((f) => f.endsWith('.service'));

  it('the units pass systemd-analyze verify (or parse, without systemd)', () => {
    expect(units.sort()).toEqual([
      'liaison-audit-log.service',
      'liaison-gate.service',
      'liaison-log-reader.service',
      'liaison-nats.service',
      'liaison-retention.service',
      'liaison-station@.service',
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'liaison-units-'));
    try {
      const files = units.map((u) => {
        const name = u.replace('@.service', '@de-bka.service');
        copyFileSync(join(DEPLOY, 'systemd', u), join(dir, name));
        return join(dir, name);
      });
      let analyze = true;
      try {
        execFileSync('systemd-analyze', ['--version'], { stdio: 'ignore' });
      } catch {
        analyze = false;
      }
      if (analyze) execFileSync('systemd-analyze', ['verify', ...files], { stdio: 'pipe' });
      for (const f of files) {
        const text = readFileSync(f, 'utf8');
        for (const section of ['[Unit]', '[Service]', '[Install]']) expect(text).toContain(section);
        expect(text).toMatch(/^ExecStart=\/\S+/m);
        expect(text).toMatch(/^NoNewPrivileges=yes$/m);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('each environment template is a valid configuration of its service, with metrics on', () => {
    const env = (name: string) =>
      Object.fromEntries(
        readFileSync(join(DEPLOY, 'env', name), 'utf8')
          .split('\n')
          .filter((l) => l.trim() && !l.startsWith('#'))
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      );
    expect(loadConfig(GateConfigSchema, env('gate.env')).LIAISON_METRICS_PORT).toBe(9464);
    expect(loadConfig(AuditLogConfigSchema, env('audit-log.env')).LIAISON_METRICS_PORT).toBe(9465);
    expect(loadConfig(StationConfigSchema, env('station.env')).LIAISON_METRICS_PORT).toBe(9466);
    const retention = loadConfig(RetentionConfigSchema, env('retention.env'));
    expect(retention.LIAISON_RETENTION_ID).toBe('liaison-retention');
    expect(retention.LIAISON_FEED_MAX_AGE_DAYS).toBe(
      loadConfig(GateConfigSchema, env('gate.env')).LIAISON_FEED_MAX_AGE_DAYS,
    );
    expect(loadConfig(LogReaderConfigSchema, env('log-reader.env')).LIAISON_LOG_READER_ID).toBe(
      'liaison-log-reader',
    );
    expect(readdirSync(join(DEPLOY, 'env')).sort()).toEqual([
      'audit-log.env',
      'gate.env',
      'log-reader.env',
      'retention.env',
      'station.env',
    ]);
  });
});
