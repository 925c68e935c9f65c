import { auditCase } from '@liaison/audit-log';
import { caseThread, type FeedItem, type HitRecord, HitResponder, type LiaisonClient } from '@liaison/client';
import type { OpenedNotice } from '@liaison/envelope';
import { exampleNotices } from '@liaison/fixtures';
import { Sandbox } from '@liaison/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bkaRequest } from './conversation-fixtures.js';
import { readUntil } from './helpers.js';

// Two-step hit / no-hit (Prüm style, issue 17, docs/decisions/0015) and case threads.

const CASE = 'DE-BKA-2026-8120';
const PLATE = 'W 12345 X';
const markings = {
  priority: 'urgent',
  handlingCode: 'H1',
  evaluation: { source: 'A', information: '2' },
  crimeAreas: ['drug-trafficking'],
  caseReference: CASE,
};

// Austria holds the vehicle, written its own way (the normalisation makes it match);
// Finland holds other records only.
const austria: HitRecord[] = [
  {
    reference: 'AT-KFZ-77812',
    identifier: { type: 'vehicle', registrationCountry: 'at', plate: 'w-12345x' },
  },
  {
    reference: 'AT-KFZ-10001',
    identifier: { type: 'vehicle', registrationCountry: 'AT', plate: 'G 555 ZZ' },
  },
];
const finland: HitRecord[] = [
  { reference: 'FI-REK-00042', identifier: { type: 'vehicle', registrationCountry: 'FI', plate: 'ABC-123' } },
  {
    reference: 'FI-HLO-00007',
    identifier: { type: 'person', surname: 'Virtanen', givenNames: 'Aino', dateOfBirth: '1990-01-01' },
  },
];

const rejection = async (p: Promise<unknown>) => {
  const err = (await p.then(
    () => undefined,
    (e: unknown) => e,
  )) as { code?: string; issues?: { code: string }[] } | undefined;
  expect(err?.code).toBe('REJECTED');
  return err!.issues?.[0]?.code;
};

let sandbox: Sandbox;
let bka: LiaisonClient;
let at: LiaisonClient;
let fi: LiaisonClient;
const stop = new AbortController();
/** What the responders answered: the query, who asked it, the result. */
const answered: { query: string; from: string; result: string }[] = [];
let queryId: string;
let hit: FeedItem;
let noHit: FeedItem;
let reply: FeedItem;

beforeAll(async () => {
  sandbox = await Sandbox.start();
  bka = await sandbox.client('de-bka');
  at = await sandbox.client('at-bmi');
  fi = await sandbox.client('fi-raja');
  const onAnswer = (a: (typeof answered)[number]) => answered.push(a);
  void new HitResponder(at, austria).run({ signal: stop.signal, onAnswer });
  void new HitResponder(fi, finland).run({ signal: stop.signal, onAnswer });
});
afterAll(async () => {
  stop.abort();
  await sandbox?.dispose();
});

describe('two-step hit / no-hit', () => {
  it('asks Austria and Finland with a keyed hash only; their responders answer hit and no-hit', async () => {
    const sent = await bka.hits.query(
      {
        identifier: { type: 'vehicle', registrationCountry: 'AT', plate: PLATE },
        offences: ['drug-trafficking'],
        purpose: 'A vehicle seen at a cocaine handover near the border',
        markings,
      },
      ['at-bmi', 'fi-raja'],
    );
    queryId = sent.noticeId;
    expect(sent.recipients.map((r) => r.recipient).sort()).toEqual(['at-bmi', 'fi-raja']);
    const answers: FeedItem[] = [];
    await readUntil(bka, (i) => {
      if (i.notice.kind === 'hit-answer') answers.push(i);
      return answers.length === 2;
    });
    hit = answers.find((a) => a.notice.sender === 'at-bmi')!;
    noHit = answers.find((a) => a.notice.sender === 'fi-raja')!;
    expect(hit.notice.body).toEqual({ result: 'hit', reference: 'AT-KFZ-77812' });
    expect(hit.notice.conversation.hit).toEqual({ result: 'hit' });
    expect(noHit.notice.body).toEqual({ result: 'no-hit' });
    // No personal data in an answer: one strategic layer, no review date.
    expect(hit.notice.layers).toEqual(['strategic']);
    expect(hit.notice.markings.reviewAt).toBeUndefined();
    expect(hit.notice.markings.caseReference).toBe(CASE);
    expect(
      answered
        .filter((a) => a.query === queryId)
        .map((a) => `${a.from}:${a.result}`)
        .sort(),
    ).toEqual(['de-bka:hit', 'de-bka:no-hit']);
    // What Finland (no hit) was given holds no plate, only the salted hash.
    const given: OpenedNotice[] = [];
    for await (const r of fi.replay({ since: Date.now() - 600_000 })) given.push(r.notice);
    const query = given.find((n) => n.noticeId === queryId)!;
    expect(Object.keys(query.body).sort()).toEqual(['identifierType', 'offences', 'probe', 'purpose']);
    const content = JSON.stringify(given.map((n) => ({ body: n.body, markings: n.markings })));
    expect(content).not.toMatch(/12345/);
  });

  it('refuses the follow-up before a person confirmed the hit, and any follow-up of a no-hit', async () => {
    const ask = bkaRequest({ copied: false });
    expect(await rejection(bka.conversation.reply(hit.notice, ask))).toBe('MATCH_NOT_CONFIRMED');
    expect(await rejection(bka.hits.followUp(noHit.notice, ask, { confirmedBy: 'officer-4711' }))).toBe(
      'FOLLOW_UP_WITHOUT_HIT',
    );
    // A confirmation dated before the hit was answered is no confirmation of it.
    const before = new Date(hit.notice.createdAt.getTime() - 60_000);
    expect(
      await rejection(
        bka.hits.followUp(hit.notice, ask, { confirmedBy: 'officer-4711', confirmedAt: before }),
      ),
    ).toBe('MATCH_NOT_CONFIRMED');
    // A hit-answer that answers no query.
    expect(
      await rejection(
        at.publish({ kind: 'hit-answer', markings, body: { result: 'no-hit' } }, { recipients: ['de-bka'] }),
      ),
    ).toBe('PROVENANCE_MISSING');
  });

  it('after confirmation, asks the holder of the hit only; the data follows under the policy', async () => {
    // The follow-up takes the hit's case reference (inherited: the draft names none).
    const { caseReference: _c, ...ask } = bkaRequest({ copied: false }).markings;
    const sent = await bka.hits.followUp(
      hit.notice,
      { ...bkaRequest({ copied: false }), markings: ask },
      { confirmedBy: 'officer-4711' },
    );
    expect(sent.recipients.map((r) => r.recipient)).toEqual(['at-bmi']);
    const req = await readUntil(at, (i) => i.notice.noticeId === sent.noticeId);
    expect(req.notice.conversation.confirmation?.confirmedBy).toBe('officer-4711');
    expect(req.notice.conversation.provenance?.noticeId).toBe(hit.notice.noticeId);
    expect(req.notice.body.subject).toEqual({ vehicleRegistration: PLATE });
    const sentAnswer = await at.conversation.answer(req.notice, {
      markings: { ...markings, handlingCode: 'H2' },
      body: {
        outcome: 'information',
        europolCopy: { copied: false, reasonNotCopied: 'would-harm-investigation' },
        information: { persons: [{ surname: 'Huber', givenNames: 'Markus', dateOfBirth: '1981-03-09' }] },
      },
    });
    reply = await readUntil(bka, (i) => i.notice.noticeId === sentAnswer.noticeId);
  });

  it('forwards the H2 answer to Europol with Austria’s permission (part of the same case)', async () => {
    const asked = await bka.conversation.requestPermission(reply.notice, ['eu-europol'], markings);
    const request = await readUntil(at, (i) => i.notice.noticeId === asked.noticeId);
    const decided = await at.conversation.decidePermission(request.notice, 'granted');
    const grant = await readUntil(bka, (i) => i.notice.noticeId === decided.noticeId);
    const forwarded = await bka.conversation.forward(
      reply.notice,
      { kind: 'threat-notice', markings, body: exampleNotices().threatNotice.body },
      { recipients: ['eu-europol'] },
      { permission: grant.notice },
    );
    expect(
      forwarded.recipients.map((r) => `${r.recipient}:${r.reasons?.includes('ONWARD_PERMITTED')}`),
    ).toEqual(['eu-europol:true']);
  });
});

describe('the case thread', () => {
  it('as the requesting agency sees it: what it sent (with receipts) and what it was given', async () => {
    const thread = await caseThread(bka, CASE);
    const rows = thread.items.map((i) => `${i.direction} ${i.kind} ${i.sender}`);
    expect(rows).toEqual([
      'sent hit-query de-bka',
      expect.stringMatching(/^received hit-answer (at-bmi|fi-raja)$/),
      expect.stringMatching(/^received hit-answer (at-bmi|fi-raja)$/),
      'sent information-request de-bka',
      'received answer at-bmi',
      'sent onward-permission de-bka',
      'received onward-permission at-bmi',
      'sent threat-notice de-bka',
    ]);
    const forward = thread.items[7]!;
    expect(forward).toMatchObject({ relation: 'forward', answers: reply.notice.noticeId });
    expect(forward.permission).toBe(thread.items[6]!.noticeId);
    expect(thread.items[6]!.terms.permission).toMatchObject({
      decision: 'granted',
      recipients: ['eu-europol'],
    });
    const followUp = thread.items[3]!;
    expect(followUp.answers).toBe(hit.notice.noticeId);
    expect(followUp.terms.confirmation?.confirmedBy).toBe('officer-4711');
    expect(followUp.recipients).toEqual([{ recipient: 'at-bmi', level: 'operational', read: true }]);
    expect(thread.unseen).toEqual([]);
  });

  it('as the agency with no hit sees it: the query and its own no-hit, nothing after', async () => {
    const thread = await caseThread(fi, CASE);
    expect(thread.items.map((i) => `${i.direction} ${i.kind}`)).toEqual([
      'received hit-query',
      'sent hit-answer',
    ]);
  });

  it('as the auditor rebuilds it from the log: linked by provenance, without the case reference', async () => {
    await sandbox.auditSettled();
    const thread = await auditCase(sandbox.admin, { notice: queryId });
    expect(thread.items.map((i) => i.kind)).toEqual([
      'hit-query',
      'hit-answer',
      'hit-answer',
      'information-request',
      'answer',
      'onward-permission',
      'onward-permission',
      'threat-notice',
    ]);
    const followUp = thread.items[3]!;
    expect(followUp.terms.confirmation?.confirmedBy).toBe('officer-4711');
    expect(followUp.delivered).toEqual([{ recipient: 'at-bmi', level: 'operational' }]);
    expect(thread.items[0]!.read.map((r) => r.recipient).sort()).toEqual(['at-bmi', 'fi-raja']);
    // Any notice of the case gives the same thread.
    const fromAnswer = await auditCase(sandbox.admin, { notice: thread.items[4]!.noticeId });
    expect(fromAnswer.items.map((i) => i.noticeId)).toEqual(thread.items.map((i) => i.noticeId));
    expect(JSON.stringify(thread)).not.toMatch(/DE-BKA-2026-8120|12345/);
  });

  it('the auditor re-derives every decision and the two-step rules', async () => {
    const report = await sandbox.verifyAudit();
    expect(report.discrepancies).toEqual([]);
  });
});
