import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hitProbe } from '@liaison/notice';
import { describe, expect, it } from 'vitest';
import { type HitRecord, loadHitRecords, testQuery } from '../src/index.js';

// The reference responder's test of a query against the agency's own records.

const records: HitRecord[] = [
  {
    reference: 'AT-KFZ-77812',
    identifier: { type: 'vehicle', registrationCountry: 'AT', plate: 'W-12345X' },
  },
  {
    reference: 'AT-PER-00001',
    identifier: { type: 'person', surname: 'Huber', givenNames: 'Markus', dateOfBirth: '1981-03-09' },
  },
];
const body = (probe: unknown, identifierType = 'vehicle') => ({
  identifierType,
  offences: ['drug-trafficking'],
  purpose: 'x',
  probe,
});

describe('testQuery', () => {
  it('answers hit with the reference, no-hit otherwise, nothing without a probe', () => {
    const plate = hitProbe({ type: 'vehicle', registrationCountry: 'AT', plate: 'w 12345 x' });
    expect(testQuery(body(plate), records)).toEqual({ result: 'hit', reference: 'AT-KFZ-77812' });
    const other = hitProbe({ type: 'vehicle', registrationCountry: 'AT', plate: 'W 12345 Y' });
    expect(testQuery(body(other), records)).toEqual({ result: 'no-hit' });
    // The type decides which records are tested: the same digest under another type is no hit.
    expect(testQuery(body(plate, 'person'), records)).toEqual({ result: 'no-hit' });
    const person = hitProbe({
      type: 'person',
      surname: 'HUBER',
      givenNames: 'markus',
      dateOfBirth: '1981-03-09',
    });
    expect(testQuery(body(person, 'person'), records)).toEqual({ result: 'hit', reference: 'AT-PER-00001' });
    // A strategic-only delivery holds no probe: there is nothing to answer.
    expect(
      testQuery({ identifierType: 'vehicle', offences: ['drug-trafficking'], purpose: 'x' }, records),
    ).toBeUndefined();
  });

  it('refuses a records file that is not one, with a code', () => {
    const dir = mkdtempSync(join(tmpdir(), 'liaison-hits-'));
    try {
      const file = join(dir, 'records.json');
      writeFileSync(file, JSON.stringify({ records: [{ reference: 'x', identifier: { type: 'vehicle' } }] }));
      expect(() => loadHitRecords(file)).toThrow(expect.objectContaining({ code: 'RECORDS_INVALID' }));
      writeFileSync(file, '{not json');
      expect(() => loadHitRecords(file)).toThrow(expect.objectContaining({ code: 'RECORDS_INVALID' }));
      writeFileSync(file, JSON.stringify({ records }));
      expect(loadHitRecords(file)).toEqual(records);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
