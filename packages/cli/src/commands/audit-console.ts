import { randomBytes } from 'node:crypto';
import { openAuditorRegistry } from '@liaison/audit-log';
import { createLogger } from '@liaison/core';
import { auditorBackend, buildAuditorConsole } from '@liaison/station';
import { CliError, DEFAULT_AUDITOR, type GlobalOptions, type Session } from '../context.js';

/**
 * `liaison audit console [--port N]`: serves the auditor's console on 127.0.0.1 with
 * this auditor's own identity (docs/decisions/0016) until interrupted, and prints its
 * address and a one-time login secret on this terminal (never in a URL or a log).
 */
export async function auditConsole(
  s: Session,
  _g: GlobalOptions,
  o: Record<string, string | undefined>,
): Promise<number> {
  const auditor = o.as ?? DEFAULT_AUDITOR;
  const anchors = s.keys.anchors();
  // Fails now (NOT_AN_AUDITOR) rather than on the first page.
  await openAuditorRegistry(s.nc, { auditor, anchors });
  const port = o.port === undefined ? 8450 : Number(o.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliError('BAD_ARGUMENT', '--port takes a port number');
  const loginSecret = randomBytes(32).toString('base64url');
  const app = await buildAuditorConsole({
    backend: auditorBackend({ nc: s.nc, auditor, anchors, ...(s.source ? { source: s.source } : {}) }),
    logger: createLogger('audit-console', { level: 'info' }),
    loginSecret,
  });
  const url = await app.listen({ host: '127.0.0.1', port });
  console.log(`auditor console for ${auditor}: ${url}\nlogin secret (this session only): ${loginSecret}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await app.close();
  return 0;
}
