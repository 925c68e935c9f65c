// Notices of the conversation tests (issue 17).

/** An urgent request from Germany's BKA to Austria on directly accessible data, copied to Europol. */
export function bkaRequest(o: { urgent?: boolean; direct?: boolean; copied?: boolean } = {}) {
  return {
    kind: 'information-request',
    markings: {
      priority: o.urgent === false ? 'non-urgent' : 'urgent',
      handlingCode: 'H1',
      evaluation: { source: 'A', information: '2' },
      crimeAreas: ['drug-trafficking'],
      legalBasis: 'directive-2023-977',
      caseReference: 'DE-BKA-2026-7731',
    },
    body: {
      purpose: 'Identify the keeper of a vehicle used to move a cocaine consignment across the border',
      offences: ['drug-trafficking'],
      maximumPenaltyYears: 10,
      directlyAccessible: o.direct !== false,
      requestedData: ['vehicle-registration', 'identity'],
      legalBasis: 'Directive (EU) 2023/977 Art. 4; national implementing law',
      europolCopy:
        o.copied === false
          ? { copied: false, reasonNotCopied: 'would-harm-investigation' }
          : { copied: true },
      subject: { vehicleRegistration: 'W 12345 X' },
    },
  };
}
