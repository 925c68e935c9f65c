// PNR Directive 2016/681 Art. 12(2): which fields of a passenger-data hit are masked
// after six months is marked in the schema, not listed by hand elsewhere.
import { describe, expect, it } from 'vitest';
import { maskPnr, PassengerDataHitSchema, PNR_MASK, pnrMaskedFields } from '../src/index.js';

describe('PNR depersonalisation marks', () => {
  it('marks names, co-travellers, contact, payment, frequent-flyer, remarks and API data', () => {
    expect(pnrMaskedFields(PassengerDataHitSchema).sort()).toEqual(
      [
        'coTravellers',
        'contact',
        'frequentFlyer',
        'passenger',
        'payment',
        'remarks',
        'travelDocument',
      ].sort(),
    );
  });

  it('masks exactly those fields and keeps the masked values apart', () => {
    const body = {
      flight: { carrier: 'LH' },
      passenger: { surname: 'Example' },
      contact: { email: 'x@example.org' },
      seat: '12A',
      remarks: 'travelled with a large sum in cash',
    };
    const { masked, removed } = maskPnr(PassengerDataHitSchema, body);
    expect(masked).toEqual({
      flight: { carrier: 'LH' },
      passenger: PNR_MASK,
      contact: PNR_MASK,
      seat: '12A',
      remarks: PNR_MASK,
    });
    expect(removed).toEqual({
      passenger: { surname: 'Example' },
      contact: { email: 'x@example.org' },
      remarks: 'travelled with a large sum in cash',
    });
    expect(JSON.stringify(masked)).not.toContain('Example');
  });
});
