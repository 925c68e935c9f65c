import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleNotices } from '@liaison/fixtures';
import { Sandbox } from '@liaison/sandbox';
import { makeDevCa } from '@liaison/testkit';
import { connect, nkeyAuthenticator } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFeed } from './helpers.js';

let sandbox: Sandbox;
let dir: string;
beforeAll(async () => {
  dir = makeDevCa(mkdtempSync(join(tmpdir(), 'liaison-tls-')));
  sandbox = await Sandbox.start({ tls: dir });
});
afterAll(async () => {
  await sandbox?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('TLS-only server', () => {
  it('runs the exchange over TLS with per-identity credentials', async () => {
    expect(sandbox.url).toMatch(/^tls:\/\/127\.0\.0\.1:/);
    await (await sandbox.client('at-bmi')).publish(exampleNotices().borderAlert);
    expect((await readFeed(await sandbox.client('us-cbp'), 1))[0]?.notice.level).toBe('operational');
  });

  it('refuses a plaintext connection, even with valid credentials', async () => {
    const plain = sandbox.url.replace('tls://', 'nats://');
    const err = await connect({
      servers: plain,
      authenticator: nkeyAuthenticator(new TextEncoder().encode(sandbox.creds.seed('us-cbp'))),
      timeout: 2000,
      reconnect: false,
      tls: null,
    }).then(
      async (nc) => {
        await nc.close();
        return 'connected';
      },
      (e: Error) => String(e.message + (e.cause ?? '')),
    );
    expect(err).toMatch(/tls|secure|required/i);
  });

  it('refuses a client that does not trust the CA', async () => {
    const err = await connect({ servers: sandbox.url, timeout: 2000, reconnect: false }).then(
      async (nc) => {
        await nc.close();
        return 'connected';
      },
      (e: Error) => String(e.message + (e.cause ?? '')),
    );
    expect(err).toMatch(/certificate|self.signed|verify/i);
  });
});
