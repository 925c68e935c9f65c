import { exampleNotices } from '@liaison/fixtures';
import { describe, expect, it } from 'vitest';
import { KINDS, markOf, mergeLayers, NOTICE_KINDS, NoticeError, validateNotice } from '../src/index.js';

const NOW = new Date('2026-11-25T10:00:00Z');
const examples = exampleNotices(NOW);

function refusal(fn: () => unknown): NoticeError {
  try {
    fn();
  } catch (err) {
    if (err instanceof NoticeError) return err;
    throw err;
  }
  throw new Error('expected a NoticeError');
}

function withBody(base: typeof examples.borderAlert, patch: Record<string, unknown>) {
  return { ...base, body: { ...base.body, ...patch } };
}

describe('field marks', () => {
  it.each(NOTICE_KINDS)('every field of %s is marked personal or not', (kind) => {
    for (const [key, schema] of Object.entries(KINDS[kind].body.shape)) {
      expect(markOf(schema as never), `${kind}.${key}`).toBeDefined();
    }
  });
});

describe('validateNotice', () => {
  it('splits a border alert into a strategic and an operational layer by the marks', () => {
    const n = validateNotice(examples.borderAlert, NOW);
    // Quasi-identifiers: exact in the operational layer, coarsened in the strategic one.
    expect(n.layers.strategic?.crossingPoint).toBe('AT');
    expect(n.layers.strategic?.observedAt).toMatch(/^\d{4}-W\d{2}$/);
    expect(n.layers.operational?.crossingPoint).toBe('AT Nickelsdorf (road, A4)');
    expect(Object.keys(n.layers.strategic ?? {}).sort()).toEqual(
      [
        'borderType',
        'crossingPoint',
        'direction',
        'documentIssuingCountry',
        'documentType',
        'eventType',
        'matchedAgainst',
        'modusOperandi',
        'observedAt',
        'requestedAction',
      ].sort(),
    );
    expect(Object.keys(n.layers.operational ?? {}).sort()).toEqual(
      ['crossingPoint', 'documentNumber', 'observedAt', 'person', 'travelCompanions', 'vehicle'].sort(),
    );
    expect(n.personalData).toBe(true);
    expect(JSON.stringify(n.layers.strategic)).not.toContain('Petrova');
    expect(mergeLayers(n.layers)).toEqual(n.body);
    expect(n.reviewAt).toBeDefined();
  });

  it('gives a threat notice no operational layer and no review date', () => {
    const n = validateNotice(examples.threatNotice, NOW);
    expect(n.layers.operational).toBeUndefined();
    expect(n.reviewAt).toBeUndefined();
  });

  it('reports schema issues as data: code and path for each', () => {
    const bad = withBody(examples.borderAlert, { borderType: 'space', crossingPoint: '' });
    const err = refusal(() => validateNotice(bad, NOW));
    expect(err.code).toBe('SCHEMA_INVALID');
    expect(err.issues.map((i) => i.path.join('.')).sort()).toEqual(['body.borderType', 'body.crossingPoint']);
    for (const i of err.issues) expect(i.code).toBeTruthy();
  });

  it('refuses H3 without a restriction text, and a restriction with other codes', () => {
    const h3 = {
      ...examples.threatNotice,
      markings: { ...(examples.threatNotice.markings as object), handlingCode: 'H3' },
    };
    expect(refusal(() => validateNotice(h3, NOW)).issues[0]?.path).toEqual([
      'markings',
      'handlingRestriction',
    ]);
    const h0 = {
      ...examples.threatNotice,
      markings: { ...(examples.threatNotice.markings as object), handlingRestriction: 'not for courts' },
    };
    expect(refusal(() => validateNotice(h0, NOW)).code).toBe('SCHEMA_INVALID');
  });

  it('refuses bad evaluation codes and TLP labels', () => {
    const m = examples.threatNotice.markings as Record<string, unknown>;
    const bad = {
      ...examples.threatNotice,
      markings: { ...m, evaluation: { source: 'D', information: '5' }, tlp: 'TLP:WHITE' },
    };
    const paths = refusal(() => validateNotice(bad, NOW)).issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining([
        'markings.evaluation.source',
        'markings.evaluation.information',
        'markings.tlp',
      ]),
    );
  });

  it('refuses an unknown kind', () => {
    expect(refusal(() => validateNotice({ ...examples.threatNotice, kind: 'rumour' }, NOW)).code).toBe(
      'UNKNOWN_KIND',
    );
  });

  it('refuses a passenger-data hit that no person reviewed', () => {
    const body = examples.passengerDataHit.body;
    const unreviewed = {
      ...examples.passengerDataHit,
      body: {
        ...body,
        humanReview: { reviewedByPerson: false, outcome: 'confirmed-match', reviewedAt: NOW.toISOString() },
      },
    };
    expect(refusal(() => validateNotice(unreviewed, NOW)).code).toBe('NOT_HUMAN_REVIEWED');
  });

  it('refuses personal PNR data older than 6 months, but allows it depersonalised', () => {
    const old = new Date(NOW.getTime() - 200 * 24 * 3600_000).toISOString();
    const hit = {
      ...examples.passengerDataHit,
      body: { ...examples.passengerDataHit.body, dataCollectedAt: old },
    };
    expect(refusal(() => validateNotice(hit, NOW)).code).toBe('PNR_DEPERSONALISATION_REQUIRED');
    const depersonalised = Object.fromEntries(
      Object.entries(hit.body).filter(
        ([k]) =>
          KINDS['passenger-data-hit'].body.shape[k] &&
          !markOf(KINDS['passenger-data-hit'].body.shape[k] as never)?.personal,
      ),
    );
    const n = validateNotice({ ...hit, body: depersonalised }, NOW);
    // Only the exact quasi-identifiers (flight, times) remain operational: no personal field.
    expect(n.personalData).toBe(false);
    expect(n.reviewAt).toBeUndefined();
    expect(Object.keys(n.layers.operational ?? {}).sort()).toEqual([
      'dataCollectedAt',
      'flight',
      'humanReview',
    ]);
  });

  it('refuses a review date later than 3 years for personal data', () => {
    const m = examples.borderAlert.markings as Record<string, unknown>;
    const late = { ...examples.borderAlert, markings: { ...m, reviewAt: '2030-01-01T00:00:00Z' } };
    expect(refusal(() => validateNotice(late, NOW)).issues[0]?.path).toEqual(['markings', 'reviewAt']);
  });
});

describe('strategic free-text screening', () => {
  const cases: [string, string][] = [
    ['a surname from the operational layer', 'The holder, Mrs PETROVA, claimed to be a tourist.'],
    ['a given name from the operational layer', 'Travelling with Georgi and four others.'],
    ['the document number', 'Passport 382914756 was reported stolen.'],
    ['the date of birth in another format', 'Subject born 17.04.1988 in Sofia.'],
    ['an e-mail address', 'Contact the courier at runner@example.org.'],
    ['a phone number', 'Organiser reachable on +359 88 123 4567.'],
    ['an IBAN', 'Payments went to BG80BNBG96611020345678.'],
    ['a document-number pattern', 'A second passport AB1234567 was found.'],
    ['a date of birth pattern', 'Driver (DOB 1990-02-01) waited outside.'],
  ];

  it.each(cases)('refuses %s in the strategic layer', (_label, text) => {
    const err = refusal(() => validateNotice(withBody(examples.borderAlert, { modusOperandi: text }), NOW));
    expect(err.code).toBe('PERSONAL_DATA_IN_STRATEGIC');
    expect(err.issues[0]?.path).toEqual(['body', 'modusOperandi']);
    expect(err.message).not.toContain(text);
  });

  it('screens array free text and names the element', () => {
    const t = examples.threatNotice;
    const bad = { ...t, body: { ...t.body, indicators: ['fine', 'write to boss@cartel.example'] } };
    expect(refusal(() => validateNotice(bad, NOW)).issues[0]?.path).toEqual(['body', 'indicators', 1]);
  });

  it('lets the sender override a field, and records it', () => {
    const text = 'Passport AB1234567 is a specimen number from the training set.';
    const n = validateNotice(
      { ...withBody(examples.borderAlert, { modusOperandi: text }), screeningOverrides: ['modusOperandi'] },
      NOW,
    );
    expect(n.screeningOverrides).toEqual(['modusOperandi']);
  });

  it('refuses overrides of fields that are not bound for strategic recipients', () => {
    const bad = { ...examples.borderAlert, screeningOverrides: ['person'] };
    expect(refusal(() => validateNotice(bad, NOW)).code).toBe('SCHEMA_INVALID');
  });

  it('does not flag ordinary strategic prose and recent dates', () => {
    const text =
      'Since 2025-10-01 minibuses from the south use the A4 at night; 14 cases, route via Hungary.';
    expect(() => validateNotice(withBody(examples.borderAlert, { modusOperandi: text }), NOW)).not.toThrow();
    for (const k of Object.values(examples)) expect(() => validateNotice(k, NOW)).not.toThrow();
  });
});
