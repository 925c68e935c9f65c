import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { LauncherError } from './errors.js';

const INSTALL_HINT =
  'nats-server was not found. Install it (Debian/Ubuntu: `sudo apt-get install -y nats-server`, ' +
  'which gives 2.9.10 on Debian 12) or point NATS_SERVER_BIN at the binary.';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The nats-server binary: `NATS_SERVER_BIN` if set, else the first on `PATH`. */
export function findNatsServer(env: Record<string, string | undefined> = process.env): string {
  const explicit = env.NATS_SERVER_BIN;
  if (explicit) {
    if (isExecutable(explicit)) return explicit;
    throw new LauncherError(
      'NATS_SERVER_NOT_FOUND',
      `NATS_SERVER_BIN=${explicit} is not executable. ${INSTALL_HINT}`,
    );
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'nats-server');
    if (isExecutable(candidate)) return candidate;
  }
  throw new LauncherError('NATS_SERVER_NOT_FOUND', INSTALL_HINT);
}
