import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/index.js';

function sink(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, stream };
}

describe('createLogger', () => {
  it('writes JSON lines with the logger name', () => {
    const { lines, stream } = sink();
    createLogger('gate', { destination: stream }).info({ noticeId: 'n-1' }, 'accepted');
    const line = JSON.parse(lines[0] ?? '{}');
    expect(line).toMatchObject({ name: 'gate', noticeId: 'n-1', msg: 'accepted' });
  });

  it('never writes private keys, tokens or personal data', () => {
    const { lines, stream } = sink();
    const log = createLogger('test', { destination: stream });
    const secretD = 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A';
    log.info({ jwk: { kty: 'OKP', crv: 'Ed25519', d: secretD, x: 'public-x' } }, 'key loaded');
    log.info({ key: { seed: 'SUAIBDPBAUTW', privateKey: 'PRIV-123' }, token: 'tok-secret' }, 'creds');
    log.warn({ notice: { operational: { surname: 'Kowalczyk' } } }, 'rejected');
    log.error({ err: { personal: { dateOfBirth: '1984-02-29' } }, person: { name: 'Ilse Berg' } }, 'x');
    const all = lines.join('');
    for (const secret of [
      secretD,
      'SUAIBDPBAUTW',
      'PRIV-123',
      'tok-secret',
      'Kowalczyk',
      '1984-02-29',
      'Ilse Berg',
    ]) {
      expect(all).not.toContain(secret);
    }
    expect(all).toContain('public-x');
    expect(all).toContain('[redacted]');
  });
});
