// The README's first command. Starts an embedded single-node nats-server (through
// the testkit, on a free loopback port), writes a fresh signed directory with new
// keys to .liaison/, starts the gate, runs the demo and exits; with --serve it
// keeps everything running for the CLI until Ctrl-C.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { runDemo, Sandbox } from '@liaison/sandbox';
import { makeDevCa } from '@liaison/testkit';

const serve = process.argv.includes('--serve');
// --tls: TLS-only server with a development CA (implies --secure); --secure: per-identity
// nkeys and least-privilege permissions generated from the registry.
const tls = process.argv.includes('--tls');
const secure = tls || process.argv.includes('--secure');
const home = process.env.LIAISON_HOME ?? '.liaison';
const started = Date.now();
rmSync(home, { recursive: true, force: true });

const sandbox = await Sandbox.start({ home, secure, ...(tls ? { tls: makeDevCa(join(home, 'tls')) } : {}) });
try {
  console.log(`Liaison demo — nats-server ${sandbox.url} (JetStream, store ${sandbox.server.storeDir})`);
  console.log(
    `broker: ${secure ? 'per-identity nkeys, least-privilege permissions from the registry' : 'open (development; --secure or --tls to lock it down)'}${tls ? ', TLS only' : ''}`,
  );
  console.log(
    `directory: ${sandbox.store.registry.current.agencies.size} agencies at registry revision ${sandbox.store.registry.current.revision}; keys in ${home}/`,
  );
  await runDemo(sandbox, (text) => console.log(text));
  console.log(`\ndone in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (serve) {
    console.log(`\nserving on ${sandbox.url}; try: pnpm liaison agency list   (Ctrl-C to stop)`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
  }
} finally {
  await sandbox.dispose();
}
