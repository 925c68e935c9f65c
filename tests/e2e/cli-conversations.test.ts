import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '@liaison/cli';
import { Sandbox } from '@liaison/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bkaRequest } from './conversation-fixtures.js';
import { cliRunner } from './helpers.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await Sandbox.start();
});
afterAll(async () => {
  await sandbox?.dispose();
});

const cli = (...args: string[]) => cliRunner(sandbox, main)(...args);

describe('liaison request / answer / audit stats', () => {
  it('sends a request, answers it from the saved copy, and counts it in the statistics', async () => {
    const draft = join(sandbox.home, 'request.json');
    writeFileSync(draft, JSON.stringify(bkaRequest({ copied: false })));
    const sent = await cli('request', draft, '--to', 'at-bmi', '--as', 'de-bka', '--json');
    expect(sent.code, sent.err).toBe(0);
    const requestId = JSON.parse(sent.out).noticeId as string;

    const saved = join(sandbox.home, 'saved');
    const tail = await cli(
      'feed',
      'tail',
      '--as',
      'at-bmi',
      '--limit',
      '1',
      '--idle-ms',
      '5000',
      '--save',
      saved,
    );
    expect(tail.code, tail.err).toBe(0);
    expect(readdirSync(saved)).toEqual([`${requestId}.json`]);

    const answer = join(sandbox.home, 'answer.json');
    writeFileSync(
      answer,
      JSON.stringify({
        markings: {
          priority: 'urgent',
          handlingCode: 'H1',
          evaluation: { source: 'A', information: '1' },
          crimeAreas: ['drug-trafficking'],
        },
        body: {
          outcome: 'refusal',
          refusalGround: 'minor-offence',
          europolCopy: { copied: false, reasonNotCopied: 'outside-europol-objectives' },
          reasons: 'The offence is punishable by less than a year under national law.',
        },
      }),
    );
    const answered = await cli('answer', join(saved, `${requestId}.json`), answer, '--as', 'at-bmi');
    expect(answered.code, answered.err).toBe(0);
    expect(answered.out).toMatch(/de-bka\s+operational/);

    await sandbox.auditSettled();
    const stats = await cli('audit', 'stats', '--json');
    expect(stats.code, stats.err).toBe(0);
    const report = JSON.parse(stats.out);
    expect(report.requests).toBe(1);
    const at = report.agencies.find((a: { agency: string }) => a.agency === 'at-bmi');
    expect(at.received).toEqual({ total: 1, urgent: 1, nonUrgent: 0 });
    expect(at.refusalsByGround).toEqual({ 'minor-offence': 1 });
    expect(at.answered.inTime).toBe(1);
  });
});
