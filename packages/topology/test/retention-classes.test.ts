// Retention classes are derived from signed header facts; these pin the dates each
// class gives and that the exchange never keeps a copy past its class.
import { LEGAL_LIMITS } from '@liaison/notice';
import { describe, expect, it } from 'vitest';
import { deliveryWindowMs, retentionClassOf, retentionSchedule } from '../src/index.js';

const DAY = 86_400_000;
const t0 = Date.parse('2026-01-01T00:00:00Z');

describe('retention classes', () => {
  it('derives the class from kind, sources and personal data', () => {
    expect(retentionClassOf({ kind: 'passenger-data-hit', sources: ['pnr'], personalData: true })).toBe(
      'pnr-personal',
    );
    expect(retentionClassOf({ kind: 'border-alert', sources: ['api'], personalData: true })).toBe(
      'pnr-personal',
    );
    expect(retentionClassOf({ kind: 'border-alert', sources: ['sis'], personalData: true })).toBe('personal');
    // A depersonalised hit, a threat notice: nothing personal to review or mask.
    expect(retentionClassOf({ kind: 'passenger-data-hit', sources: ['pnr'], personalData: false })).toBe(
      'non-personal',
    );
    expect(retentionClassOf({ kind: 'threat-notice', sources: [], personalData: false })).toBe(
      'non-personal',
    );
  });

  it('PNR: masked at six months from collection, deleted at five years, reviewed by the review date', () => {
    const collectedAt = t0 - 10 * DAY;
    const s = retentionSchedule({
      kind: 'passenger-data-hit',
      sources: ['pnr'],
      personalData: true,
      createdAt: t0,
      reviewAt: t0 + 365 * DAY,
      collectedAt,
    });
    expect(s.class).toBe('pnr-personal');
    expect(s.depersonaliseAt).toBe(collectedAt + LEGAL_LIMITS.pnrDepersonaliseAfterMs);
    expect(s.deleteAt).toBe(collectedAt + LEGAL_LIMITS.pnrDeleteAfterMs);
    expect(s.reviewAt).toBe(t0 + 365 * DAY);
    // Without the body, the clocks run from the creation time (later than collection).
    const headerOnly = retentionSchedule({
      kind: 'passenger-data-hit',
      sources: ['pnr'],
      personalData: true,
      createdAt: t0,
    });
    expect(headerOnly.depersonaliseAt).toBe(t0 + LEGAL_LIMITS.pnrDepersonaliseAfterMs);
  });

  it('other personal data ends at its review date (three years when the header has none)', () => {
    const s = retentionSchedule({ kind: 'border-alert', sources: [], personalData: true, createdAt: t0 });
    expect(s.reviewAt).toBe(t0 + LEGAL_LIMITS.personalDataReviewMs);
    expect(s.deleteAt).toBe(s.reviewAt);
    expect(s.depersonaliseAt).toBeUndefined();
  });

  it('threat notices last until their validity ends', () => {
    const s = retentionSchedule({
      kind: 'threat-notice',
      sources: [],
      personalData: false,
      createdAt: t0,
      expiresAt: t0 + 5 * DAY,
    });
    expect(s.class).toBe('non-personal');
    expect(s.reviewAt).toBeUndefined();
    expect(s.deleteAt).toBe(t0 + 5 * DAY);
    // The exchange removes the delivery at the end of its validity, before the delivery window ends.
    expect(s.exchangeRemoveAt('strategic')).toBe(t0 + 5 * DAY);
  });

  it('the exchange keeps a delivery for the delivery window at most, and never an operational PNR copy past masking', () => {
    const s = retentionSchedule(
      { kind: 'passenger-data-hit', sources: ['pnr'], personalData: true, createdAt: t0 },
      { feedMaxAgeDays: 400 },
    );
    expect(s.exchangeRemoveAt('strategic')).toBe(t0 + deliveryWindowMs({ feedMaxAgeDays: 400 }));
    expect(s.exchangeRemoveAt('operational')).toBe(s.depersonaliseAt);
    const short = retentionSchedule({ kind: 'border-alert', sources: [], personalData: true, createdAt: t0 });
    expect(short.exchangeRemoveAt('operational')).toBe(t0 + 30 * DAY);
  });

  it('deletes a ledger record at the end of the class, never before the delivery window ends', () => {
    const threat = (expiresAt?: number) =>
      retentionSchedule({
        kind: 'threat-notice',
        sources: [],
        personalData: false,
        createdAt: t0,
        ...(expiresAt ? { expiresAt } : {}),
      });
    // Valid two days: the record stays until every copy is gone and any replay is stale.
    expect(threat(t0 + 2 * DAY).ledgerRemoveAt).toBe(t0 + deliveryWindowMs());
    expect(threat().ledgerRemoveAt).toBe(t0 + LEGAL_LIMITS.personalDataReviewMs);
    const pnr = retentionSchedule({
      kind: 'passenger-data-hit',
      sources: ['pnr'],
      personalData: true,
      createdAt: t0,
    });
    expect(pnr.ledgerRemoveAt).toBe(t0 + LEGAL_LIMITS.pnrDeleteAfterMs);
    // Other personal data: only reviews bound it; the bucket's TTL is the end.
    expect(
      retentionSchedule({ kind: 'border-alert', sources: [], personalData: true, createdAt: t0 })
        .ledgerRemoveAt,
    ).toBeUndefined();
  });
});
