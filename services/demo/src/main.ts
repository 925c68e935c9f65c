// The README's first command. Starts an embedded single-node nats-server through
// the testkit's launcher (the same one the tests use) and reports it healthy.
import { startServer } from '@liaison/testkit';

const serve = process.argv.includes('--serve');
const server = await startServer();
try {
  const res = await fetch(`http://127.0.0.1:${server.httpPort}/healthz?js-enabled-only=true`);
  console.log(
    `nats-server ${server.url} (JetStream store ${server.storeDir}): ${res.ok ? 'healthy' : 'NOT healthy'}`,
  );
  if (!res.ok) process.exitCode = 1;
  if (serve) {
    console.log('serving; press Ctrl-C to stop');
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  }
} finally {
  await server.dispose();
}
