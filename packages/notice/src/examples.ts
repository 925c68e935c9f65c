import type { NoticeInput } from './validate.js';

/**
 * One realistic notice of each kind (fictitious people), used by the docs, the
 * demo, the wire-format vectors and the tests. `at` is the creation time they
 * were written for; dates inside are relative to it.
 */
export function exampleNotices(
  at: Date = new Date(),
): Record<'borderAlert' | 'passengerDataHit' | 'threatNotice', NoticeInput> {
  const iso = (offsetMs: number) => new Date(at.getTime() + offsetMs).toISOString();
  const hour = 3600_000;
  return {
    borderAlert: {
      kind: 'border-alert',
      markings: {
        priority: 'urgent',
        handlingCode: 'H2',
        evaluation: { source: 'A', information: '2' },
        crimeAreas: ['document-fraud', 'migrant-smuggling'],
        caseReference: 'AT-BMI-2026-0412',
      },
      body: {
        eventType: 'stolen-document',
        crossingPoint: 'AT Nickelsdorf (road, A4)',
        borderType: 'land',
        direction: 'entry',
        observedAt: iso(-2 * hour),
        documentType: 'passport',
        documentIssuingCountry: 'BGR',
        matchedAgainst: 'INTERPOL-SLTD',
        modusOperandi:
          'Genuine blank passport reported stolen, personalised with a substituted photograph; ' +
          'holder travelled in a minibus with five other passengers.',
        requestedAction: 'report-back',
        person: {
          surname: 'Petrova',
          givenNames: 'Elena Ivanova',
          dateOfBirth: '1988-04-17',
          nationality: 'BGR',
          sex: 'F',
        },
        documentNumber: '382914756',
        vehicle: { registration: 'CA 4417 KM', vin: 'WV2ZZZ7HZ8H123456', make: 'Volkswagen' },
        travelCompanions: [{ surname: 'Dimitrov', givenNames: 'Georgi' }],
      },
    },
    passengerDataHit: {
      kind: 'passenger-data-hit',
      markings: {
        priority: 'urgent',
        handlingCode: 'H1',
        evaluation: { source: 'B', information: '3' },
        crimeAreas: ['drug-trafficking'],
        caseReference: 'NL-PIU-2026-1187',
      },
      body: {
        flight: {
          carrier: 'KL',
          number: '1802',
          departureAirport: 'GRU',
          arrivalAirport: 'AMS',
          scheduledDeparture: iso(6 * hour),
        },
        dataSource: 'API+PNR',
        dataCollectedAt: iso(-1 * hour),
        matchedAgainst: 'risk-criterion',
        matchReference: 'NL-RC-DRG-017',
        humanReview: { reviewedByPerson: true, outcome: 'confirmed-match', reviewedAt: iso(-0.5 * hour) },
        offenceCategory: 'drug-trafficking',
        requestedAction: 'specific-check',
        summary:
          'Cash-paid one-way ticket booked 20 hours before departure; travel pattern matches criterion.',
        passenger: {
          surname: 'de Vries',
          givenNames: 'Jan Willem',
          dateOfBirth: '1979-11-02',
          nationality: 'NLD',
          sex: 'M',
        },
        travelDocument: {
          type: 'passport',
          number: 'NXR4KD7P2',
          issuingCountry: 'NLD',
          expiresOn: '2031-06-30',
        },
        bookingLocator: 'QX7T2M',
        seat: '32C',
        bags: { count: 2, tags: ['KL123456', 'KL123457'] },
        payment: { method: 'cash' },
        contact: { phone: '+31 6 1234 5678' },
      },
    },
    threatNotice: {
      kind: 'threat-notice',
      markings: {
        priority: 'non-urgent',
        handlingCode: 'H0',
        evaluation: { source: 'A', information: '1' },
        tlp: 'TLP:GREEN',
        crimeAreas: ['precursor-diversion', 'drug-trafficking'],
        caseReference: 'EU-EUROPOL-TA-2026-33',
      },
      body: {
        threatCategory: 'precursor-diversion',
        title: 'Designer precursors for synthetic drugs shipped as industrial chemicals',
        assessment:
          'Shipments of non-scheduled designer precursors declared as cleaning agents continue to enter ' +
          'through North Sea ports. Consignees are short-lived companies registered weeks before import.',
        indicators: [
          'Consignee registered less than 3 months before the first import',
          'Declared cleaning agent with a purity above 95%',
        ],
        routes: [
          { from: 'CN', to: 'NL', via: ['TR'], mode: 'sea' },
          { from: 'IN', to: 'BE', mode: 'sea' },
        ],
        affectedRegions: ['North Sea ports', 'Benelux'],
        statistics: [{ label: 'seizures of designer precursors (tonnes)', value: 84, period: '2025' }],
        validUntil: iso(180 * 24 * hour),
      },
    },
  };
}
