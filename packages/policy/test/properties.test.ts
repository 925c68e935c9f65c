import { CRIME_AREAS, TLP_LABELS } from '@liaison/notice';
import { agreementAt, LEVEL_RANK } from '@liaison/registry';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, type NoticeFacts } from '../src/index.js';
import { facts, NOW, policyWorld, T0 } from './world.js';

const { snapshot: s } = await policyWorld();
const ids = [...s.agencies.keys()];
const selector = fc.oneof(
  fc.constantFrom(...ids),
  fc.constantFrom(
    'country:DE',
    'country:US',
    'country:RU',
    'country:CH',
    'kind:third-party',
    'kind:eu-agency',
  ),
);
const arbFacts = fc.record({
  sender: fc.constantFrom('at-bmi', 'de-bka', 'eu-europol', 'us-cbp'),
  kind: fc.constantFrom('border-alert', 'passenger-data-hit', 'threat-notice'),
  createdAt: fc.integer({ min: T0 - 86_400_000, max: NOW }),
  handlingCode: fc.constantFrom('H0', 'H1', 'H2', 'H3'),
  tlp: fc.option(fc.constantFrom(...TLP_LABELS), { nil: undefined }),
  crimeAreas: fc.uniqueArray(fc.constantFrom(...CRIME_AREAS), { minLength: 1, maxLength: 3 }),
  layers: fc.constantFrom(['strategic', 'operational'], ['strategic'], ['operational']),
  audience: fc.record({
    recipients: fc.uniqueArray(fc.constantFrom(...ids), { maxLength: 3 }),
    allow: fc.uniqueArray(selector, { maxLength: 2 }),
    deny: fc.uniqueArray(selector, { maxLength: 2 }),
  }),
}) as unknown as fc.Arbitrary<NoticeFacts>;

describe('decide properties', () => {
  it('never grants more than the agreement in force at the notice time', () => {
    fc.assert(
      fc.property(arbFacts, fc.constantFrom(...ids), (f, r) => {
        const d = decide(facts(f), r, s, NOW);
        const agency = s.agencies.get(r)!;
        if (agency.kind === 'third-party') {
          const max = agreementAt(s, agency.country, f.createdAt)?.level ?? 'none';
          expect(LEVEL_RANK[d.level]).toBeLessThanOrEqual(LEVEL_RANK[max]);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never gives a strategic recipient the operational layer, and gives none nothing', () => {
    fc.assert(
      fc.property(arbFacts, fc.constantFrom(...ids), (f, r) => {
        const d = decide(facts(f), r, s, NOW);
        if (d.level !== 'operational') expect(d.layers).not.toContain('operational');
        if (d.level === 'none') expect(d.layers).toEqual([]);
        for (const l of d.layers) expect(f.layers).toContain(l);
      }),
      { numRuns: 2000 },
    );
  });

  it('only narrows: an audience never raises the level the agreements allow', () => {
    fc.assert(
      fc.property(arbFacts, fc.constantFrom(...ids), (f, r) => {
        const withAudience = decide(facts(f), r, s, NOW);
        const without = decide(
          facts({ ...f, audience: { recipients: [r], allow: [], deny: [] } }),
          r,
          s,
          NOW,
        );
        expect(LEVEL_RANK[withAudience.level]).toBeLessThanOrEqual(LEVEL_RANK[without.level]);
      }),
      { numRuns: 2000 },
    );
  });

  it('is deterministic: same inputs and revision, same decision', () => {
    fc.assert(
      fc.property(arbFacts, fc.constantFrom(...ids), (f, r) => {
        expect(decide(facts(f), r, s, NOW)).toEqual(decide(facts(f), r, s, NOW));
      }),
      { numRuns: 500 },
    );
  });
});
