import { exampleNotices } from '@liaison/fixtures';
import { describe, expect, it } from 'vitest';
import {
  COARSENINGS,
  KINDS,
  markOf,
  NoticeError,
  screenNotice,
  strategicView,
  validateNotice,
} from '../src/index.js';

const NOW = new Date('2026-11-25T10:00:00Z');
const ex = exampleNotices(NOW);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof NoticeError) return err.code;
    throw err;
  }
  return undefined;
}

describe('kind rules', () => {
  it('person-centred kinds need an opt-in to reach strategic partners; threat notices do not', () => {
    expect(KINDS['border-alert'].strategic).toBe('opt-in');
    expect(KINDS['passenger-data-hit'].strategic).toBe('opt-in');
    expect(KINDS['threat-notice'].strategic).toBe('by-default');
  });
});

describe('quasi-identifiers', () => {
  it('coarsen a passenger-data hit to country pair and day, derived from the marks', () => {
    const n = validateNotice(ex.passengerDataHit, NOW);
    expect(n.layers.strategic?.flight).toEqual({
      fromCountry: 'BR',
      toCountry: 'NL',
      departureDay: String(
        (ex.passengerDataHit.body.flight as { scheduledDeparture: string }).scheduledDeparture,
      ).slice(0, 10),
    });
    expect(n.layers.strategic?.dataCollectedAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(n.layers.strategic?.humanReview).toMatchObject({
      reviewedByPerson: true,
      outcome: 'confirmed-match',
    });
    expect(JSON.stringify(n.layers.strategic)).not.toMatch(/KL|1802|GRU|AMS/);
    expect(n.layers.operational?.flight).toEqual(ex.passengerDataHit.body.flight);
  });

  it('the strategic layer always matches the strategic view of its kind', () => {
    for (const k of Object.values(ex)) {
      const n = validateNotice(k, NOW);
      expect(strategicView(KINDS[n.kind].body).safeParse(n.layers.strategic).success).toBe(true);
    }
  });

  it('leaves out what a rule cannot coarsen rather than guess', () => {
    const body = { ...ex.borderAlert.body, crossingPoint: 'Nickelsdorf' };
    expect(validateNotice({ ...ex.borderAlert, body }, NOW).layers.strategic?.crossingPoint).toBeUndefined();
    expect(COARSENINGS['iso-week'].apply('2026-01-01T10:00:00Z')).toBe('2026-W01');
    expect(COARSENINGS['iso-week'].apply('2027-01-01T10:00:00Z')).toBe('2026-W53');
  });

  it('every quasi-identifier names a known rule', () => {
    for (const def of Object.values(KINDS))
      for (const s of Object.values(def.body.shape)) {
        const rule = markOf(s as never)?.quasiIdentifier;
        if (rule) expect(COARSENINGS[rule]).toBeDefined();
      }
  });
});

describe('sources and classification', () => {
  it('adds the sources that follow from the content to those declared', () => {
    const sis = { ...ex.borderAlert, body: { ...ex.borderAlert.body, matchedAgainst: 'SIS' } };
    expect(validateNotice(sis, NOW).markings.sources).toEqual(['sis']);
    expect(validateNotice(ex.passengerDataHit, NOW).markings.sources).toEqual(['pnr', 'api']);
    const mention = {
      ...ex.passengerDataHit,
      body: { ...ex.passengerDataHit.body, matchReference: 'SIS Art. 36 discreet check' },
    };
    expect(validateNotice(mention, NOW).markings.sources).toContain('sis');
  });

  it('refuses a classification above the accreditation, at seal time', () => {
    const secret = {
      ...ex.threatNotice,
      markings: { ...(ex.threatNotice.markings as object), classification: 'SECRET-UE' },
    };
    expect(codeOf(() => validateNotice(secret, NOW))).toBe('CLASSIFICATION_NOT_ACCREDITED');
    expect(codeOf(() => validateNotice(secret, NOW, { accreditation: 'SECRET-UE' }))).toBeUndefined();
    const restricted = {
      ...ex.threatNotice,
      markings: { ...(ex.threatNotice.markings as object), classification: 'RESTREINT-UE' },
    };
    expect(codeOf(() => validateNotice(restricted, NOW))).toBeUndefined();
  });
});

describe('screening scope', () => {
  it('screens structured strategic strings and the sealed markings, not only free text', () => {
    const structured = {
      ...ex.threatNotice,
      body: { ...ex.threatNotice.body, affectedRegions: ['Mr. Horvath'] },
    };
    expect(codeOf(() => validateNotice(structured, NOW))).toBe('PERSONAL_DATA_IN_STRATEGIC');
    const caseRef = {
      ...ex.threatNotice,
      markings: { ...(ex.threatNotice.markings as object), caseReference: 'PASS-AB1234567' },
    };
    expect(codeOf(() => validateNotice(caseRef, NOW))).toBe('PERSONAL_DATA_IN_STRATEGIC');
  });

  it('can defer screening until the plan shows a strategic recipient', () => {
    const text = 'Runner reachable at +359 88 123 4567';
    const n = validateNotice(
      { ...ex.borderAlert, body: { ...ex.borderAlert.body, modusOperandi: text } },
      NOW,
      {
        screen: false,
      },
    );
    expect(codeOf(() => screenNotice(n, { now: NOW }))).toBe('PERSONAL_DATA_IN_STRATEGIC');
  });
});
