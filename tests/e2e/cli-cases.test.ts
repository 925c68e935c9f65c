import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '@liaison/cli';
import { Sandbox } from '@liaison/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bkaRequest } from './conversation-fixtures.js';
import { cliRunner } from './helpers.js';

// `liaison hits …` and `liaison case show` (issue 17): the two steps through the CLI, then
// the thread as the requester sees it (its sent journal in the key home, its replayed
// feed) and as the auditor rebuilds it from the log.

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await Sandbox.start();
});
afterAll(async () => {
  await sandbox?.dispose();
});

const cli = (...args: string[]) => cliRunner(sandbox, main)(...args);
const CASE = 'DE-BKA-2026-9001';
const markings = {
  priority: 'urgent',
  handlingCode: 'H1',
  evaluation: { source: 'A', information: '2' },
  crimeAreas: ['drug-trafficking'],
  caseReference: CASE,
};

describe('liaison hits / case show', () => {
  it('queries, responds from a records file, follows up after confirmation, and shows the case', async () => {
    const query = join(sandbox.home, 'query.json');
    writeFileSync(
      query,
      JSON.stringify({
        identifier: { type: 'travel-document', issuingCountry: 'UKR', number: 'FX 382914' },
        offences: ['drug-trafficking'],
        purpose: 'A travel document seen with a courier',
        markings,
      }),
    );
    const sent = await cli('hits', 'query', query, '--to', 'at-bmi', '--as', 'de-bka', '--json');
    expect(sent.code, sent.err).toBe(0);
    const queryId = JSON.parse(sent.out).noticeId as string;

    const records = join(sandbox.home, 'records.json');
    writeFileSync(
      records,
      JSON.stringify({
        records: [
          {
            reference: 'AT-DOC-0001',
            identifier: { type: 'travel-document', issuingCountry: 'ukr', number: 'FX382914' },
          },
        ],
      }),
    );
    const responded = await cli('hits', 'respond', '--records', records, '--limit', '1', '--as', 'at-bmi');
    expect(responded.code, responded.err).toBe(0);
    expect(responded.out).toMatch(new RegExp(`${queryId} from de-bka: hit`));

    const saved = join(sandbox.home, 'saved');
    const tail = await cli(
      'feed',
      'tail',
      '--as',
      'de-bka',
      '--kind',
      'hit-answer',
      '--limit',
      '1',
      '--idle-ms',
      '5000',
      '--save',
      saved,
    );
    expect(tail.code, tail.err).toBe(0);
    const hitFile = join(saved, readdirSync(saved)[0]!);

    const { caseReference: _c, ...ask } = bkaRequest({ copied: false }).markings;
    const draft = join(sandbox.home, 'follow-up.json');
    writeFileSync(draft, JSON.stringify({ ...bkaRequest({ copied: false }), markings: ask }));
    const refused = await cli('hits', 'follow-up', hitFile, draft, '--as', 'de-bka');
    // The CLI asks for the person's confirmation before anything is sent (the gate would refuse it too).
    expect(refused.code).not.toBe(0);
    expect(refused.err).toMatch(/BAD_ARGUMENT/);
    const followed = await cli(
      'hits',
      'follow-up',
      hitFile,
      draft,
      '--confirmed-by',
      'officer-4711',
      '--as',
      'de-bka',
    );
    expect(followed.code, followed.err).toBe(0);

    const mine = await cli('case', 'show', CASE, '--as', 'de-bka');
    expect(mine.code, mine.err).toBe(0);
    expect(mine.out).toMatch(/3 notices/);
    expect(mine.out).toMatch(/sent\s+hit-query/);
    expect(mine.out).toMatch(/received hit-answer .* from at-bmi/);
    expect(mine.out).toMatch(/match confirmed by officer-4711/);

    await sandbox.auditSettled();
    const audited = await cli('case', 'show', '--notice', queryId, '--as', 'eu-auditor');
    expect(audited.code, audited.err).toBe(0);
    expect(audited.out).toMatch(/3 notices/);
    expect(audited.out).not.toMatch(new RegExp(CASE));
    // Only an auditor reads the log.
    const notAuditor = await cli('case', 'show', '--notice', queryId, '--as', 'de-bka', '--json');
    expect(notAuditor.err).toMatch(/NOT_AN_AUDITOR/);
  });
});
