import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../../../deploy/tls/make-dev-ca.sh', import.meta.url));

/** Runs deploy/tls/make-dev-ca.sh into `dir` (openssl): ca.pem, server.pem, client.pem and keys. */
export function makeDevCa(dir: string): string {
  execFileSync('bash', [SCRIPT, dir], { stdio: 'ignore' });
  return dir;
}

/**
 * A nats-server `tls {}` block for a TLS-only server with the certificates in `dir`
 * (clients must speak TLS; pass `verify: true` to also require client certificates).
 */
export function tlsServerConfig(dir: string, options: { verify?: boolean } = {}): string {
  const q = (f: string) => JSON.stringify(join(dir, f));
  const verify = options.verify ? `\n  ca_file: ${q('ca.pem')}\n  verify: true` : '';
  return `tls {\n  cert_file: ${q('server.pem')}\n  key_file: ${q('server-key.pem')}\n  timeout: 2${verify}\n}\n`;
}
