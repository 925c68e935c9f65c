import { join } from 'node:path';
import { auditCase } from '@liaison/audit-log';
import { caseThread, type FeedItem, type HitRecord, HitResponder, type LiaisonClient } from '@liaison/client';
import type { SubmissionReceipt } from '@liaison/envelope';
import { exampleNotices } from '@liaison/fixtures';
import { privateDir, writePrivate } from '@liaison/identity';
import type { Sandbox } from './sandbox.js';

type Line = (text: string) => void;

/** Reads (and acks) an agency's feed until the notice arrives, or fails after `timeoutMs`. */
async function delivered(client: LiaisonClient, noticeId: string, timeoutMs = 10_000): Promise<FeedItem> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeoutMs);
  try {
    for await (const item of client.feed({ signal: ctrl.signal })) {
      await item.ack();
      if (item.notice.noticeId === noticeId) return item;
    }
  } finally {
    clearTimeout(timer);
    ctrl.abort();
  }
  throw new Error(`${noticeId} was not delivered to ${client.agency}`);
}

const to = (r: SubmissionReceipt) =>
  r.recipients.map((x) => `${x.recipient} ${x.level}`).join(', ') || 'nobody';
const refused = (r: SubmissionReceipt, who: string) =>
  r.refused?.find((x) => x.recipient === who)?.reasons.join(',') ?? '';

const CASE = 'DE-BKA-2026-7731';
const answerMarkings = {
  priority: 'urgent',
  handlingCode: 'H1',
  evaluation: { source: 'A', information: '1' },
  crimeAreas: ['drug-trafficking'],
};

/** Directive 2023/977: an urgent request on directly accessible data, answered within its 8 hours. */
async function requestAndAnswer(sandbox: Sandbox, line: Line): Promise<void> {
  const bka = await sandbox.client('de-bka');
  const at = await sandbox.client('at-bmi');
  const sent = await bka.conversation.request(
    {
      kind: 'information-request',
      markings: { ...answerMarkings, legalBasis: 'directive-2023-977', caseReference: CASE },
      body: {
        purpose: 'Identify the keeper of a vehicle used to move a cocaine consignment across the border',
        offences: ['drug-trafficking'],
        maximumPenaltyYears: 10,
        directlyAccessible: true,
        requestedData: ['vehicle-registration', 'identity'],
        legalBasis: 'Directive (EU) 2023/977 Art. 4; national implementing law',
        europolCopy: { copied: true },
        subject: { vehicleRegistration: 'W 12345 X' },
      },
    },
    ['at-bmi'],
  );
  const request = await delivered(at, sent.noticeId);
  const due = request.notice.conversation.dueAtMs ?? 0;
  line('');
  line('Request → answer (Directive 2023/977): urgent, information directly accessible');
  line(
    `  de-bka asks at-bmi, copy to Europol: ${to(sent)}; deadline signed in: ${new Date(due).toISOString()} (8 h)`,
  );
  const answered = await at.conversation.answer(request.notice, {
    markings: answerMarkings,
    body: {
      outcome: 'information',
      europolCopy: { copied: true },
      summary: 'The vehicle is registered to a private person since 2024.',
      information: { persons: [{ surname: 'Huber', givenNames: 'Markus', dateOfBirth: '1981-03-09' }] },
    },
  });
  const answer = await delivered(bka, answered.noticeId);
  const inTime = answered.at <= due;
  line(
    `  at-bmi answers (information): ${to(answered)}; accepted ${new Date(answered.at).toISOString()} — ${inTime ? 'within' : 'AFTER'} the deadline`,
  );
  line(`  de-bka reads it [${answer.notice.level}], case ${answer.notice.markings.caseReference} inherited`);
}

/** Onward dissemination of an H2 notice: refused without the provider's grant, delivered with it. */
async function forwardWithPermission(sandbox: Sandbox, line: Line): Promise<void> {
  const fi = await sandbox.client('fi-raja');
  const at = await sandbox.client('at-bmi');
  const alert = exampleNotices().borderAlert;
  const notice = {
    ...alert,
    markings: { ...(alert.markings as Record<string, unknown>), caseReference: 'FI-RAJA-2026-0088' },
  };
  const sent = await fi.publish(notice, { recipients: ['at-bmi'] });
  const original = await delivered(at, sent.noticeId);
  line('');
  line('Forward with permission: a Finnish H2 border alert, given to at-bmi only');
  const without = await at.conversation.forward(original.notice, notice, { recipients: ['us-cbp'] });
  line(`  at-bmi forwards it to us-cbp without permission: ${to(without)} (${refused(without, 'us-cbp')})`);
  const asked = await at.conversation.requestPermission(
    original.notice,
    ['us-cbp'],
    notice.markings,
    'joint investigation of the route',
  );
  const request = await delivered(fi, asked.noticeId);
  const decided = await fi.conversation.decidePermission(request.notice, 'granted');
  const grant = await delivered(at, decided.noticeId);
  line(`  at-bmi asks fi-raja; fi-raja grants it for us-cbp (signed permission ${decided.noticeId})`);
  const forwarded = await at.conversation.forward(
    original.notice,
    notice,
    { recipients: ['us-cbp'] },
    {
      permission: grant.notice,
    },
  );
  const us = await delivered(await sandbox.client('us-cbp'), forwarded.noticeId);
  line(
    `  at-bmi forwards it citing the grant: ${to(forwarded)} (${forwarded.recipients[0]?.reasons?.filter((r) => r.startsWith('ONWARD')).join(',')}); us-cbp reads it [${us.notice.level}] ${us.notice.markings.handlingCode}`,
  );
}

/** Writes a responder's records file (the agency's own data, 0600) in the demo's home. */
function recordsFile(sandbox: Sandbox, agency: string, records: HitRecord[]): string {
  const dir = join(sandbox.home, 'hits');
  privateDir(dir);
  const file = join(dir, `${agency}.json`);
  writePrivate(file, `${JSON.stringify({ records }, null, 2)}\n`);
  return file;
}

/** Prüm-style two steps: a keyed-hash query, automated hit / no-hit, a follow-up after a person confirmed the hit. */
async function hitNoHit(sandbox: Sandbox, line: Line, signal: AbortSignal): Promise<string> {
  const bka = await sandbox.client('de-bka');
  const holders: [string, HitRecord[]][] = [
    [
      'at-bmi',
      [
        {
          reference: 'AT-KFZ-77812',
          identifier: { type: 'vehicle', registrationCountry: 'AT', plate: 'W-12345X' },
        },
      ],
    ],
    [
      'fi-raja',
      [
        {
          reference: 'FI-REK-00042',
          identifier: { type: 'vehicle', registrationCountry: 'FI', plate: 'ABC-123' },
        },
      ],
    ],
  ];
  line('');
  line('Two-step hit / no-hit (Prüm style): the plate travels only as HMAC-SHA256 under a fresh salt');
  for (const [agency, records] of holders) {
    const file = recordsFile(sandbox, agency, records);
    line(`  ${agency} runs the reference responder over ${file} (${records.length} record)`);
    void new HitResponder(await sandbox.client(agency), records).run({ signal });
  }
  const sent = await bka.hits.query(
    {
      identifier: { type: 'vehicle', registrationCountry: 'AT', plate: 'W 12345 X' },
      offences: ['drug-trafficking'],
      purpose: 'A vehicle seen at a cocaine handover near the border',
      markings: { ...answerMarkings, caseReference: CASE },
    },
    ['at-bmi', 'fi-raja'],
  );
  line(`  de-bka asks: ${to(sent)}`);
  const answers = new Map<string, FeedItem>();
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), 10_000);
  for await (const item of bka.feed({ kind: 'hit-answer', signal: ctrl.signal })) {
    await item.ack();
    if (item.notice.conversation.provenance?.noticeId === sent.noticeId)
      answers.set(item.notice.sender, item);
    if (answers.size === 2) break;
  }
  clearTimeout(timer);
  ctrl.abort();
  for (const [agency, a] of answers)
    line(
      `  ${agency} answers automatically: ${a.notice.body.result}${a.notice.body.reference ? ` ${a.notice.body.reference}` : ''} (no personal data: layers ${a.notice.layers.join(',')})`,
    );
  const hit = answers.get('at-bmi')!;
  // The follow-up names no case of its own: it inherits the hit's.
  const markings = { ...answerMarkings, legalBasis: 'directive-2023-977' };
  const followUp = await bka.hits.followUp(
    hit.notice,
    {
      markings,
      body: {
        purpose: 'Identify the keeper of the vehicle the hit refers to',
        offences: ['drug-trafficking'],
        directlyAccessible: true,
        requestedData: ['vehicle-registration', 'identity'],
        legalBasis: 'Prüm follow-up; Directive (EU) 2023/977 Art. 4',
        europolCopy: { copied: false, reasonNotCopied: 'would-harm-investigation' },
        subject: { vehicleRegistration: 'W 12345 X' },
      },
    },
    { confirmedBy: 'bka-officer-0815' },
  );
  line(`  a BKA officer (bka-officer-0815) confirms the match; the follow-up goes to ${to(followUp)} only`);

  const thread = await caseThread(bka, CASE);
  line('');
  line(`Case ${CASE} as de-bka sees it (liaison case show ${CASE} --as de-bka):`);
  for (const i of thread.items)
    line(
      `  ${i.direction.padEnd(8)} ${i.kind.padEnd(19)} ${i.direction === 'sent' ? `→ ${(i.recipients ?? []).map((r) => r.recipient).join(',')}` : `from ${i.sender}`}${i.relation ? ` (${i.relation})` : ''}`,
    );
  return sent.noticeId;
}

/**
 * The conversation part of the demo (issue 17): one request answered within its
 * deadline, one forward with the provider's permission, one hit / no-hit query with a
 * follow-up after confirmation, and the case's thread. Printed step by step.
 */
export async function runConversationDemo(sandbox: Sandbox, line: Line): Promise<void> {
  const stop = new AbortController();
  try {
    await requestAndAnswer(sandbox, line);
    await forwardWithPermission(sandbox, line);
    const query = await hitNoHit(sandbox, line, stop.signal);
    await sandbox.auditSettled();
    const audited = await auditCase(sandbox.admin, { notice: query });
    line('');
    line(
      `The auditor's thread of the query, from the log alone (liaison case show --notice ${query}): ${audited.items.map((i) => i.kind).join(' → ')}`,
    );
    line('  linked by the provenance signed in each header; the case reference is sealed, so the request');
    line('  answered above (no provenance link to the query) is a thread of its own for the auditor');
  } finally {
    stop.abort();
  }
}
