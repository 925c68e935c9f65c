import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, isLiaisonError, LiaisonError, loadConfig } from '../src/index.js';

describe('loadConfig', () => {
  const schema = z.object({
    LIAISON_NATS_URL: z.string().url(),
    LIAISON_MAX_BYTES: z.coerce.number().int().positive(),
  });

  it('parses and coerces the environment once', () => {
    const cfg = loadConfig(schema, { LIAISON_NATS_URL: 'nats://127.0.0.1:5000', LIAISON_MAX_BYTES: '1024' });
    expect(cfg.LIAISON_MAX_BYTES).toBe(1024);
  });

  it('reports every bad variable as an issue with a path', () => {
    try {
      loadConfig(schema, { LIAISON_NATS_URL: 'not a url', LIAISON_MAX_BYTES: '-1' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const e = err as ConfigError;
      expect(e.code).toBe('CONFIG_INVALID');
      expect(e.issues.map((i) => i.path[0]).sort()).toEqual(['LIAISON_MAX_BYTES', 'LIAISON_NATS_URL']);
    }
  });
});

describe('LiaisonError', () => {
  it('carries a stable code, keeps the cause private', () => {
    class EnvelopeError extends LiaisonError<'BAD_SIGNATURE'> {}
    const err = new EnvelopeError('BAD_SIGNATURE', 'verification failed', { cause: new Error('byte 17') });
    expect(isLiaisonError(err, 'BAD_SIGNATURE')).toBe(true);
    expect(err.name).toBe('EnvelopeError');
    expect(JSON.stringify(err.toPublic())).not.toContain('byte 17');
  });
});
