import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type HitIdentifier,
  hitProbe,
  matchesProbe,
  normaliseIdentifier,
  validateNotice,
} from '../src/index.js';

// The two-step probe (docs/decisions/0015), checked as another implementation would:
// the checked-in vectors recomputed with plain HMAC-SHA256.

interface ProbeVector {
  name: string;
  identifier: HitIdentifier;
  normalised: string;
  salt: string;
  digest: string;
}
const vectors = JSON.parse(
  readFileSync(new URL('../../../proto/vectors/hit-probe-v1.json', import.meta.url), 'utf8'),
) as { cases: ProbeVector[] };

describe('hit probes', () => {
  it.each(vectors.cases)('$name: the normalised form and the HMAC of the vector', (v) => {
    expect(normaliseIdentifier(v.identifier)).toBe(v.normalised);
    const mac = createHmac('sha256', Buffer.from(v.salt, 'hex'))
      .update(
        Buffer.concat([
          Buffer.from('liaison.v1.hit\0'),
          Buffer.from(`${v.identifier.type}\0`),
          Buffer.from(v.normalised),
        ]),
      )
      .digest('hex');
    expect(mac).toBe(v.digest);
    expect(hitProbe(v.identifier, v.salt)).toEqual({ salt: v.salt, digest: v.digest });
  });

  it('matches the same identifier written differently, and nothing else', () => {
    const probe = hitProbe({ type: 'vehicle', registrationCountry: 'AT', plate: 'W 12345 X' });
    expect(matchesProbe(probe, { type: 'vehicle', registrationCountry: 'at', plate: 'w-12345x' })).toBe(true);
    expect(matchesProbe(probe, { type: 'vehicle', registrationCountry: 'DE', plate: 'W 12345 X' })).toBe(
      false,
    );
    expect(matchesProbe(probe, { type: 'vehicle', registrationCountry: 'AT', plate: 'W 12346 X' })).toBe(
      false,
    );
    // Another salt, another digest: queries cannot be linked by their probes.
    const again = hitProbe({ type: 'vehicle', registrationCountry: 'AT', plate: 'W 12345 X' });
    expect(again.digest).not.toBe(probe.digest);
    expect(() => hitProbe({ type: 'vehicle', registrationCountry: 'AUT', plate: 'x' } as never)).toThrow(
      expect.objectContaining({ code: 'SCHEMA_INVALID' }),
    );
  });

  it('keeps the probe in the operational layer and the answer free of personal data', () => {
    const markings = {
      priority: 'urgent',
      handlingCode: 'H1',
      evaluation: { source: 'A', information: '2' },
      crimeAreas: ['drug-trafficking'],
    };
    const query = validateNotice({
      kind: 'hit-query',
      markings,
      body: {
        identifierType: 'vehicle',
        offences: ['drug-trafficking'],
        purpose: 'A vehicle seen at a handover',
        probe: hitProbe({ type: 'vehicle', registrationCountry: 'AT', plate: 'W 12345 X' }),
      },
    });
    expect(Object.keys(query.layers.operational ?? {})).toEqual(['probe']);
    expect(query.layers.strategic).not.toHaveProperty('probe');
    const answer = validateNotice({ kind: 'hit-answer', markings, body: { result: 'no-hit' } });
    expect(answer.personalData).toBe(false);
    expect(answer.layers.operational).toBeUndefined();
    expect(() => validateNotice({ kind: 'hit-answer', markings, body: { result: 'hit' } })).toThrow(
      expect.objectContaining({ code: 'SCHEMA_INVALID' }),
    );
  });
});
